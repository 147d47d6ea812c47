"""The pieces pages are made of: articles, their cards and bodies, term links, the
frame. Each is a node made once per plan and shared by every page that shows it.

Kinds choose among these (which cards a listing page shows, which feeds an
article links); the recipes below make them, from declared inputs only. A card is
a cutoff: an edit that does not change what lists show of an article (its body,
say) does not change the key of any list that shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from markupsafe import Markup

from ..core.text import isoformat
from ..model.article import LINK_TOKEN_PATTERN, READ_MORE_PATTERN, Article, Image
from ..model.links import Target
from ..model.site import Site
from ..model.taxonomy import Taxonomy, Term
from .frame import make_frame
from .recipe import Cutoff, Memo, Recipe, Source, Value
from .urls import Urls, term_link

T = TypeVar("T")
_READ_MORE_LINK = Markup(
    '<p class="read-more"><span class="read-more-label">Read More:</span> <a href="{}">{}</a></p>'
)


def image_dict(urls: Urls, image: Image | None) -> dict[str, Any] | None:
    if image is None:
        return None
    return {
        "url": urls.media(image.src),
        "absolute_url": urls.absolute_media(image.src),
        "caption": image.caption,
        "credit": image.credit,
        "alt": image.alt or image.caption or "",
    }


def make_card(
    urls: Urls,
    a: Article,
    link: str,
    section: dict[str, str] | None,
    authors: tuple[dict[str, str], ...],
    tags: tuple[dict[str, str], ...],
) -> dict[str, Any]:
    """What lists show of an article."""
    return {
        "title": a.title,
        "url": urls.link(link),
        "date": a.date,
        "date_iso": isoformat(a.date),
        "updated": a.updated,
        "updated_iso": isoformat(a.updated) if a.updated else None,
        "summary": a.summary,
        "section": a.section,
        "section_url": section["url"] if section else None,
        "authors": list(authors),
        "tags": list(tags),
        "image": image_dict(urls, a.image),
        "draft": a.draft,
    }


def make_ref(urls: Urls, name: str, link: str) -> dict[str, str]:
    """A term's name and link, as cards and term pages show it."""
    return {"name": name, "url": urls.link(link)}


def _target_url(urls: Urls, link: str, fragment: str) -> str:
    url = urls.link(link)
    return f"{url}#{fragment}" if fragment else url


def resolve_body(
    urls: Urls,
    a: Article,
    inline: tuple[tuple[str | None, str, str | None], ...],
    links: tuple[tuple[str | None, str], ...],
) -> Markup:
    """The body HTML with Read More lines and `.md` links pointing at real pages.
    `inline`: (permalink, fragment, headline) of each Read More target, None if none;
    `links`: (permalink, fragment) of each link's target."""

    def read_more(match: Any) -> str:
        index = int(match.group(1))
        link, fragment, title = inline[index]
        if link is None:
            return Markup('<p class="read-more">Read More: {}</p>').format(
                a.inline_read_more[index].text
            )
        return _READ_MORE_LINK.format(_target_url(urls, link, fragment), title)

    def link(match: Any) -> str:
        target, fragment = links[int(match.group(1))]
        return (
            ""
            if target is None
            else Markup('href="{}"').format(_target_url(urls, target, fragment))
        )

    html = READ_MORE_PATTERN.sub(read_more, a.body_html)
    return Markup(LINK_TOKEN_PATTERN.sub(link, html))


class Parts:
    """The shared nodes of one plan, made on first use."""

    def __init__(self, site: Site, assets: dict[str, str], memo: Memo | None = None):
        self.site = site
        self.memo = memo or Memo()
        frame = make_frame(site.config, assets, site.taxonomies)
        self.urls = frame.urls
        self.frame = Value(frame)
        self.urls_node = Value(frame.urls)
        self._nodes: dict[Any, Any] = {}

    def shared(self, key: Any, make: Callable[[], T]) -> T:
        """What a kind works out once per plan (its lists, a sitemap's entries)."""
        if key not in self._nodes:
            self._nodes[key] = make()
        return self._nodes[key]

    def known(self, key: Any) -> Any:
        """What `shared` has already made under this key."""
        return self._nodes[key]

    def article(self, path: str) -> Source:
        return self.shared(("article", path), lambda: self._source(self.site.by_path[path]))

    def _source(self, a: Article) -> Source:
        # an article is a function of its path, bytes and the parse settings (source/parse.py)
        return Source(a, a.source_digest) if a.source_digest else Value(a)  # type: ignore[return-value]

    def term_ref(self, taxonomy: Taxonomy, term: Term) -> Value:
        return self.shared(
            (taxonomy.folder, term.key),
            lambda: Value(make_ref(self.urls, term.name, term_link(taxonomy, term))),
        )

    def ref(self, taxonomy: Taxonomy, name: str) -> Value:
        """The term an article names, as written in its front matter."""
        return self.term_ref(taxonomy, taxonomy.of(name))

    def card(self, path: str) -> Cutoff:
        return self.shared(("card", path), lambda: self._card(self.site.by_path[path]))

    def _card(self, a: Article) -> Cutoff:
        site = self.site
        recipe = Recipe(
            make_card,
            self.urls_node,
            self.article(a.path),
            site.permalinks[a.path],
            self.ref(site.sections, a.section) if a.section else None,
            tuple(self.ref(site.authors, name) for name in a.authors),
            tuple(self.ref(site.tags, tag) for tag in a.tags),
        )
        return Cutoff(recipe, self.memo)

    def cards(self, paths: Any) -> tuple[Cutoff, ...]:
        return tuple(self.card(path) for path in paths)

    def body(self, path: str) -> Recipe:
        return self.shared(("body", path), lambda: self._body(path))

    def _body(self, path: str) -> Recipe:
        site = self.site
        inline = tuple(
            (self._link(t), t.fragment, site.by_path[t.path].title) if t.path else (None, "", None)
            for t in site.inline_targets[path]
        )
        links = tuple(
            (self._link(t), t.fragment) if t.path else (None, "") for t in site.link_targets[path]
        )
        return Recipe(resolve_body, self.urls_node, self.article(path), inline, links)

    def _link(self, target: Target) -> str:
        return self.site.permalinks[target.path or ""]

    def newest_change(self) -> datetime | None:
        """The latest time any article changed: when a page of them all last did."""

        def newest() -> datetime | None:
            found = max(self.site.articles, key=lambda a: a.changed.timestamp(), default=None)
            return found.changed if found else None

        return self.shared("newest change", newest)

    def prime(self) -> None:
        """Every card's digest, here and now: each article's page needs its own, and
        worker processes then inherit them instead of each making them all."""
        for a in self.site.articles:
            _ = self.card(a.path).digest
