"""The whole-site model: which articles are published, their URLs, tags, and links.

Everything that needs more than one article happens here, after every file is
parsed and before any page is planned, so cross-links are always consistent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..config.settings import SiteConfig
from ..core.errors import Diagnostic, error
from ..core.layout import CONFIG_FILE, shown
from ..core.text import MAX_SEGMENT_BYTES, clipped, is_external, text_key
from .article import Article
from .authors import AuthorInfo
from .fields import ALIASES
from .front import Front, curate, front_moments
from .links import Linker, Resolver, Target
from .menus import MenuLink, build_menus
from .page import Page
from .paths import alias_path, page_permalink, permalink
from .pictures import Pictures
from .related import Entry, related
from .search import Index
from .taxonomy import Taxonomy, collect

NEWS_WINDOW = timedelta(days=2)
Related = Callable[[Sequence[Entry], int], dict[str, tuple[str, ...]]]


@dataclass(frozen=True)
class Selection:
    """Which articles a build publishes; `now` comes from the shell, never the clock here."""

    now: datetime
    drafts: bool = False
    future: bool = False


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    now: datetime
    articles: tuple[Article, ...]  # published, newest first
    by_path: dict[str, Article]
    permalinks: dict[str, str]  # article or page path -> path below the base path
    tags: Taxonomy
    sections: Taxonomy
    authors: Taxonomy
    author_info: dict[str, AuthorInfo]  # by name key, from the authors data file
    inline_targets: dict[str, tuple[Target, ...]]
    link_targets: dict[str, tuple[Target, ...]]
    read_more: dict[str, tuple[str, ...]]
    backlinks: dict[str, tuple[str, ...]]
    valid_until: float  # the output changes by itself then (a story comes due or ages out)
    pages: tuple[Page, ...] = ()  # standalone pages, published, by path
    page_by_path: dict[str, Page] = field(default_factory=dict)
    policies: dict[str, str] = field(default_factory=dict)  # setting -> URL or site path
    menus: dict[str, tuple[MenuLink, ...]] = field(default_factory=dict)
    front: Front = field(default_factory=Front)  # what leads the front and section pages
    pictures: Pictures = field(default_factory=Pictures)  # the photos documents show
    search: Index | None = None  # the search index, when the build made one

    @property
    def taxonomies(self) -> tuple[Taxonomy, Taxonomy, Taxonomy]:
        return self.tags, self.sections, self.authors

    def in_news_window(self, article: Article) -> bool:
        """Published in the two days before now: Google News sitemap material."""
        return self.now - NEWS_WINDOW < article.date <= self.now


def newest_first(articles: Sequence[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (-a.date.timestamp(), a.path))


FATES = ("published", "draft", "scheduled", "expired")  # and "error": see pipeline.py


def fate(document: Article | Page, selection: Selection) -> str:
    """What a build does with a document that parsed: one of FATES."""
    if isinstance(document, Page):
        return "draft" if document.draft and not selection.drafts else "published"
    if document.draft and not selection.drafts:
        return "draft"
    if document.expires is not None and document.expires <= selection.now:
        return "expired"
    return "published" if selection.future or document.date <= selection.now else "scheduled"


def is_published(article: Article, selection: Selection) -> bool:
    return fate(article, selection) == "published"


def _assign_permalinks(
    documents: Sequence[Article] | Sequence[Page], make: Callable[[Any], str]
) -> tuple[dict[str, str], list[Diagnostic]]:
    links: dict[str, str] = {}
    owner: dict[str, Article | Page] = {}
    problems = []
    for article in documents:
        link = make(article)
        first = owner.get(link)
        if first is None:
            owner[link] = article
            links[article.path] = link
            continue
        for mine, other in ((article, first), (first, article)):
            line = mine.line_of("slug") or mine.line_of("title")
            message = (
                f"URL {link} is also the URL of {shown(other.path)}; give one of them another slug"
            )
            problems.append(error(shown(mine.path), message, line))
    return links, problems


def _related_entries(articles: Sequence[Article]) -> list[Entry]:
    return [
        Entry(
            a.path,
            a.date.timestamp(),
            tuple(sorted({text_key(t) for t in a.tags})),
            text_key(a.section) if a.section else None,
        )
        for a in articles
    ]


def _read_more_blocks(articles, explicit, related_ids, count) -> dict[str, tuple[str, ...]]:
    blocks = {}
    for article in articles:
        chosen = list(explicit[article.path])
        limit = max(count, len(chosen))
        for path in related_ids.get(article.path, ()):
            if len(chosen) >= limit:
                break
            if path not in chosen:
                chosen.append(path)
        blocks[article.path] = tuple(chosen)
    return blocks


def _backlinks(articles, inline, explicit) -> dict[str, tuple[str, ...]]:
    sources: dict[str, list[str]] = {}
    for article in articles:  # newest first
        targets = [t.path for t in inline[article.path] if t.path] + list(explicit[article.path])
        for path in dict.fromkeys(targets):
            sources.setdefault(path, []).append(article.path)
    return {path: tuple(paths) for path, paths in sources.items()}


def _check_aliases(articles: Sequence[Article], base_path: str) -> list[Diagnostic]:
    problems = []
    for article in articles:
        for alias in article.aliases:
            if alias_path(alias, base_path) is None:
                message = (
                    f"alias '{clipped(alias)}' is not a path on this site "
                    "(such as '/2021/05/old-headline/'"
                    f"; each part at most {MAX_SEGMENT_BYTES} bytes)"
                )
                line = article.line_of("aliases") or article.line_of("redirect_from")
                problems.append(error(shown(article.path), message, line))
    return problems


def _check_required(articles: Sequence[Article], required: Sequence[str]) -> list[Diagnostic]:
    """Fields focue.toml's `require` asks every article to set in its front matter."""
    problems = []
    for article in articles:
        for name in required:
            if not any(article.line_of(alias) for alias in ALIASES[name]):
                message = (
                    f"{name} is required (focue.toml: require); add a '{name}:' line to the "
                    "front matter"
                )
                problems.append(error(shown(article.path), message, 1))
    return problems


def _check_revisions(articles: Sequence[Article], now: datetime) -> list[Diagnostic]:
    """A correction or update cannot be dated after "now": it would be published
    before it happened. (One dated before its story is found while parsing.)"""
    problems = []
    for article in articles:
        if article.date > now:  # a scheduled story shown with --future
            continue
        for kind, entries in (("correction", article.corrections), ("update", article.updates)):
            for entry in entries:
                if entry.date > now:
                    message = (
                        f"{kind} dated {entry.date.isoformat()} is after now ({now.isoformat()})"
                    )
                    problems.append(error(shown(article.path), message, entry.line))
    return problems


POLICIES = ("corrections_policy", "ethics_policy", "masthead")


def _policies(
    config: SiteConfig, pages: Sequence[Page], links: dict[str, str]
) -> tuple[dict[str, str], list[Diagnostic]]:
    """The policy pages focue.toml names: URLs as they are, page slugs as their pages."""
    found, problems = {}, []
    for key in POLICIES:
        value = getattr(config, key)
        if not value or is_external(value):
            if value:
                found[key] = value
            continue
        name = value.strip("/")
        page = next((p for p in pages if name in (p.slug, f"{p.folders}{p.slug}")), None)
        if page is None:
            message = f"{key}: '{value}' is not a URL, and no page has that slug"
            problems.append(error(CONFIG_FILE, message, config.line_of(key)))
        else:
            found[key] = links[page.path]
    return found, problems


def _author_names(info: dict[str, AuthorInfo]) -> Callable[[str, str], str]:
    def display(key: str, spelling: str) -> str:
        known = info.get(key)
        return known.name if known is not None and known.name else spelling

    return display


def _valid_until(
    every: Sequence[Article], published: Sequence[Article], selection: Selection, config: SiteConfig
) -> float:
    """The earliest moment the output changes with no edit: a scheduled story comes due,
    one expires, one leaves the two-day news window, or the front page's choice changes."""
    now = selection.now
    moments = [a.date + NEWS_WINDOW for a in published if now - NEWS_WINDOW < a.date <= now]
    moments += front_moments(published, config.home, now)
    moments += [a.expires for a in every if a.expires is not None and a.expires > now]
    if not selection.future:
        moments += [a.date for a in every if a.date > now and (selection.drafts or not a.draft)]
    return min((m.timestamp() for m in moments), default=float("inf"))


def _taxonomies(articles: Sequence[Article], info: dict[str, AuthorInfo]) -> dict[str, Taxonomy]:
    return {
        "tags": collect("tag", "tags", articles, lambda a: a.tags),
        "sections": collect(
            "section", "sections", articles, lambda a: (a.section,) if a.section else ()
        ),
        "authors": collect("author", "authors", articles, lambda a: a.authors, _author_names(info)),
    }


def _published_pages(
    every: Sequence[Page], config: SiteConfig, selection: Selection
) -> tuple[list[Page], dict[str, str], list[Diagnostic]]:
    shown_pages = sorted(
        (p for p in every if selection.drafts or not p.draft), key=lambda p: p.path
    )
    links, problems = _assign_permalinks(
        shown_pages, lambda p: page_permalink(p, config.page_permalink)
    )
    return [p for p in shown_pages if p.path in links], links, problems


def build_site(*inputs: Any, **named: Any) -> tuple[Site, tuple[Diagnostic, ...]]:
    """`model_site`'s model, with every problem found in one list."""
    site, problems, linker = model_site(*inputs, **named)
    return site, problems + linker.found()


def model_site(
    every: Sequence[Article],
    config: SiteConfig,
    selection: Selection,
    related_with: Related = related,
    author_info: dict[str, AuthorInfo] | None = None,
    every_page: Sequence[Page] = (),
) -> tuple[Site, tuple[Diagnostic, ...], Linker]:
    """The site model from every parsed article and page (drafts and scheduled ones
    included), its problems, and the linker apart: what that found depends on where
    references are written in bodies, so a model kept for body edits has it made
    again. `related_with` computes related articles; a build passes a cached version."""
    articles = newest_first([a for a in every if is_published(a, selection)])
    links, problems = _assign_permalinks(articles, lambda a: permalink(a, config.permalink))
    articles = [a for a in articles if a.path in links]  # a URL clash is an error already
    problems += _check_aliases(articles, config.base_path)
    problems += _check_required(articles, config.require)
    problems += _check_revisions(articles, selection.now)
    pages, page_links, page_problems = _published_pages(every_page, config, selection)
    policies, policy_problems = _policies(config, pages, page_links)
    info = author_info or {}
    taxonomies = _taxonomies(articles, info)
    menus, menu_problems = build_menus(config, pages, page_links, tuple(taxonomies.values()))
    by_path = {a.path: a for a in articles}
    front, front_problems = curate(
        articles, by_path, taxonomies["sections"], config.home, selection.now
    )
    problems += page_problems + policy_problems + menu_problems + front_problems
    every_link = {**links, **page_links}
    linker = Linker(
        Resolver([*articles, *pages], [*every, *every_page], every_link, config.base_path)
    )
    inline = {a.path: linker.inline(a) for a in (*articles, *pages)}
    body_links = {a.path: linker.links(a) for a in (*articles, *pages)}
    explicit = {a.path: linker.explicit(a) for a in articles}
    related_ids = related_with(_related_entries(articles), config.related_articles)
    site = Site(
        config=config,
        now=selection.now,
        articles=tuple(articles),
        by_path=by_path,
        permalinks=every_link,
        **taxonomies,
        author_info=info,
        inline_targets=inline,
        link_targets=body_links,
        read_more=_read_more_blocks(articles, explicit, related_ids, config.related_articles),
        backlinks=_backlinks(articles, inline, explicit),
        valid_until=_valid_until(every, articles, selection, config),
        pages=tuple(pages),
        page_by_path={p.path: p for p in pages},
        policies=policies,
        menus=menus,
        front=front,
    )
    return site, tuple(problems), linker
