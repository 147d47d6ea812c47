"""The pieces pages are made of: articles, their cards and bodies, term links, the
frame. Each is a node made once per plan and shared by every page that shows it.

Kinds choose among these (which cards a listing page shows, which feeds an
article links); the recipes below make them, from declared inputs only. A card is
a cutoff: an edit that does not change what lists show of an article (its body,
say) does not change the key of any list that shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from markupsafe import Markup

from ..core.text import isoformat, text_key
from ..model.article import (
    GENRES,
    IMAGE_TOKEN_PATTERN,
    LINK_TOKEN_PATTERN,
    READ_MORE_PATTERN,
    Article,
)
from ..model.paths import term_link
from ..model.pictures import Rendition
from ..model.site import Site
from ..model.taxonomy import Taxonomy, Term
from .frame import make_frame
from .pictures import ARTICLE_SIZES, image_dict, made_image, picture
from .recipe import Cutoff, Memo, Node, Recipe, Source, Transient, Value
from .urls import Urls

T = TypeVar("T")
_MISSING = object()
_READ_MORE_LINK = Markup(
    '<p class="read-more"><span class="read-more-label">Read More:</span> <a href="{}">{}</a></p>'
)


@dataclass(frozen=True)
class Terms:
    """Every tag's, section's and author's name and link, by folder and term key."""

    refs: dict[str, dict[str, dict[str, str]]]


def make_card(
    urls: Urls, a: Article, link: str, terms: Terms, lead: Rendition | None
) -> dict[str, Any]:
    """What lists show of an article. It takes the links of every term, not only of
    its own: one input per build instead of a lookup per name, and as a cutoff (see
    Parts.card) a card changes the pages that show it only when it changes."""
    refs = terms.refs
    return {
        "title": a.title,
        "url": urls.link(link),
        "date": a.date,
        "date_iso": isoformat(a.date),
        "updated": a.revised,
        "updated_iso": isoformat(a.revised) if a.revised else None,
        "summary": a.summary,
        "section": a.section,
        "section_url": refs["sections"][text_key(a.section)]["url"] if a.section else None,
        "authors": [refs["authors"][text_key(name)] for name in a.authors],
        "tags": [refs["tags"][text_key(tag)] for tag in a.tags],
        "image": image_dict(urls, a.image, lead),
        "draft": a.draft,
        "genre": a.genre,
        "label": GENRES[a.genre].label,
    }


def make_ref(urls: Urls, name: str, link: str) -> dict[str, str]:
    """A term's name and link, as cards and term pages show it."""
    return {"name": name, "url": urls.link(link)}


NO_TARGET = Value(None)  # where a reference leads nowhere


def _target_url(card: dict[str, Any], fragment: str) -> str:
    return f"{card['url']}#{fragment}" if fragment else card["url"]


def resolve_body(
    a: Article,
    inline: tuple[dict[str, Any] | None, ...],
    inline_fragments: tuple[str, ...],
    links: tuple[dict[str, Any] | None, ...],
    link_fragments: tuple[str, ...],
    images: tuple[tuple[Urls, Rendition | None], ...] = (),
) -> Markup:
    """The body HTML with Read More lines and `.md` links pointing at real pages, and
    its photos in all their sizes: `inline` and `links` are the cards of the stories
    they lead to (None: nowhere)."""

    def read_more(match: Any) -> str:
        index = int(match.group(1))
        if index >= len(inline):  # not one of ours: typed into raw HTML
            return match.group(0)
        card = inline[index]
        if card is None:
            text = a.inline_read_more[index].text
            return Markup('<p class="read-more">Read More: {}</p>').format(text)
        return _READ_MORE_LINK.format(_target_url(card, inline_fragments[index]), card["title"])

    def link(match: Any) -> str:
        index = int(match.group(1))
        if index >= len(links):
            return match.group(0)
        card = links[index]
        if card is None:
            return ""
        return Markup('href="{}"').format(_target_url(card, link_fragments[index]))

    html = READ_MORE_PATTERN.sub(read_more, a.body_html)
    html = LINK_TOKEN_PATTERN.sub(link, html)
    return Markup(_pictures(html, a, images) if images else html)


def _pictures(html: str, a: Article, images: tuple[tuple[Urls, Rendition | None], ...]) -> str:
    def one(match: Any) -> str:
        index = int(match.group(1))
        if index >= len(images):
            return match.group(0)
        urls, rendition = images[index]
        ref = a.body_images[index]
        if rendition is None:  # it could not be read; the build has said so
            return Markup('<img src="{}" alt="{}">').format(ref.target, ref.text)
        return picture(made_image(urls, ref.text, rendition), ARTICLE_SIZES)

    return IMAGE_TOKEN_PATTERN.sub(one, html)


def _terms(urls: Urls, taxonomies: tuple[Taxonomy, ...]) -> Terms:
    return Terms(
        {
            t.folder: {term.key: make_ref(urls, term.name, term_link(t, term)) for term in t.terms}
            for t in taxonomies
        }
    )


class Parts:
    """The shared nodes of one plan, made on first use."""

    def __init__(
        self,
        site: Site,
        assets: dict[str, str],
        memo: Memo | None = None,
        carried: dict[Any, Any] | None = None,
    ):
        self.site = site
        self.memo = memo or Memo()
        self.carried = carried or {}  # portable values of a plan of this same site model
        self.portable: dict[Any, Any] = {}  # this plan's, for the next one
        frame = make_frame(
            site.config, assets, site.taxonomies, site.policies, site.menus, site.pictures.logo
        )
        self.urls = frame.urls
        self.frame = Value(frame)
        self.urls_node = Value(frame.urls)
        self.terms = Value(_terms(frame.urls, site.taxonomies))
        self._nodes: dict[Any, Any] = {}
        self._articles: dict[str, Node] = {}
        self._cards: dict[str, Cutoff] = {}
        self._bodies: dict[str, Transient] = {}
        self._changed: tuple[dict[str, float], dict[str, datetime]] | None = None

    def shared(self, key: Any, make: Callable[..., T], *args: Any, portable: bool = False) -> T:
        """What a kind works out once per plan (its lists, a sitemap's entries):
        `make(*args)`, the first time it is asked for. `portable`: plain data made from
        the site model alone (no nodes), which a later plan of the same model may take
        over (output/kept_site.py) instead of making it."""
        found = self._nodes.get(key, _MISSING)
        if found is _MISSING:
            found = self.carried.get(key, _MISSING) if portable else _MISSING
            if found is _MISSING:
                found = make(*args)
            self._nodes[key] = found
            if portable:
                self.portable[key] = found
        return found

    def known(self, key: Any) -> Any:
        """What `shared` has already made under this key."""
        return self._nodes[key]

    def article(self, path: str) -> Node:
        """An article, or a standalone page, as an input."""
        node = self._articles.get(path)
        if node is None:
            a = self.site.by_path.get(path) or self.site.page_by_path[path]
            # an article is a function of its path, bytes and the parse settings (see
            # source/parse.py); one made some other way is known by all it holds
            node = Source(a, a.source_digest) if a.source_digest else Value(a)
            self._articles[path] = node
        return node

    def articles(self, paths: Any) -> tuple[Node, ...]:
        try:  # once primed, every article's node is made
            return tuple(map(self._articles.__getitem__, paths))
        except KeyError:
            return tuple([self.article(path) for path in paths])

    def term_ref(self, taxonomy: Taxonomy, term: Term) -> dict[str, str]:
        """A term's name and link."""
        return self.terms.value.refs[taxonomy.folder][term.key]

    def card(self, path: str) -> Cutoff:
        card = self._cards.get(path)
        if card is None:
            recipe = Recipe(
                make_card,
                self.urls_node,
                self.article(path),
                self.site.permalinks[path],
                self.terms,
                self.site.pictures.lead.get(path),
            )
            card = self._cards[path] = Cutoff(recipe, self.memo)
        return card

    def target(self, path: str) -> Node:
        """What a link to an article or a page needs of it: a card has its title and URL."""
        if path in self.site.by_path:
            return self.card(path)
        page = self.site.page_by_path[path]
        return Value({"title": page.title, "url": self.urls.link(self.site.permalinks[path])})

    def cards(self, paths: Any) -> tuple[Cutoff, ...]:
        try:  # once primed, every card is made: one lookup each, in C
            return tuple(map(self._cards.__getitem__, paths))
        except KeyError:
            return tuple([self.card(path) for path in paths])

    def body(self, path: str) -> Transient:
        """A story's body as its pages show it; made for each page, not kept."""
        body = self._bodies.get(path)
        if body is None:
            body = self._bodies[path] = self._body(path)
        return body

    def _body(self, path: str) -> Transient:
        site = self.site
        inline, links = site.inline_targets[path], site.link_targets[path]
        photos = site.pictures.body.get(path, ())
        images = tuple((self.urls, photo) for photo in photos)
        if not inline and not links:
            return Transient(resolve_body, self.article(path), (), (), (), (), images)
        return Transient(
            resolve_body,
            self.article(path),
            tuple([self.card(t.path) if t.path else NO_TARGET for t in inline]),
            tuple([t.fragment for t in inline]),
            tuple([self.target(t.path) if t.path else NO_TARGET for t in links]),
            tuple([t.fragment for t in links]),
            images,
        )

    def changed(self, path: str) -> datetime:
        """When an article last changed, as sitemaps say it."""
        return self._times()[1][path]

    def changes(self) -> dict[str, datetime]:
        """`changed` for every article, by path."""
        return self._times()[1]

    def instants(self) -> dict[str, float]:
        """The same as POSIX times, which compare quickly."""
        return self._times()[0]

    def _times(self) -> tuple[dict[str, float], dict[str, datetime]]:
        if self._changed is None:
            changes = {a.path: a.changed for a in self.site.articles}
            self._changed = ({path: c.timestamp() for path, c in changes.items()}, changes)
        return self._changed

    def newest_change(self, paths: Any = None) -> datetime | None:
        """The latest time any of these articles (by default, all) changed: when a page
        of them last did. The first of equals wins, as lists are in a fixed order."""
        instants, changed = self._times()
        paths = list(instants if paths is None else paths)
        times = list(map(instants.__getitem__, paths))  # compared in C, not by a call each
        return changed[paths[times.index(max(times))]] if times else None

    def prime(self) -> None:
        """Every card's digest, here and now: each article's page needs its own, and
        worker processes then inherit them instead of each making them all."""
        card = self.card
        for a in self.site.articles:
            _ = card(a.path).digest
