"""Article pages: the story, its byline and body, and its Read More and backlink lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from ...core.layout import shown
from ...core.text import isoformat
from ...model.article import Article, Revision
from ...model.paths import term_link
from ..frame import Frame, feed_links, page_block
from ..kind import Kind, PageSpec, SitemapEntry
from ..parts import Parts
from ..recipe import Recipe, Value
from ..urls import output_file, page_path


def article_context(
    frame: Frame,
    a: Article,
    card: dict[str, Any],
    body: Markup,
    link: str,
    read_more: tuple,
    backlinks: tuple,
    section_feeds: list[dict[str, str]] | None,
) -> dict[str, Any]:
    urls = frame.urls
    article = {
        **card,
        "path": a.path,
        "slug": a.slug,
        "absolute_url": urls.absolute(link),
        "contributors": list(a.contributors),
        "source": {"name": a.source.name, "url": a.source.url} if a.source else None,
        "body": body,
        "read_more": list(read_more),
        "backlinks": list(backlinks),
        "extra": a.extra,
        "corrections": [_revision(entry) for entry in a.corrections],
        "updates": [_revision(entry) for entry in a.updates],
    }
    context = page_block(
        frame,
        "article",
        link,
        a.title,
        description=a.summary,
        feeds=frame.feeds + section_feeds if section_feeds else frame.feeds,
        noindex=a.noindex,
        canonical=a.canonical or urls.absolute(link),
    )
    context["article"] = article
    return context


def _revision(entry: Revision) -> dict[str, Any]:
    return {"date": entry.date, "date_iso": isoformat(entry.date), "text": entry.text}


class ArticleKind(Kind):
    name = "article"
    summary_groups = ("articles",)

    def pages(self, parts: Parts, earlier: Sequence[PageSpec]) -> list[PageSpec]:
        site = parts.site
        links = site.permalinks
        return [
            PageSpec(
                output_file(links[a.path]),
                "article.html",
                self,
                (a.path,),
                self.name,
                shown(a.path),
            )
            for a in site.articles
        ]

    def recipe(self, spec: PageSpec, parts: Parts) -> Recipe:
        (path,) = spec.params
        site, cards = parts.site, parts.cards
        return Recipe(
            article_context,
            parts.frame,
            parts.article(path),
            parts.card(path),
            parts.body(path),
            site.permalinks[path],
            cards(site.read_more.get(path, ())),
            cards(site.backlinks.get(path, ())),
            _section_feeds(parts, site.by_path[path].section),
        )

    def sitemap_entry(self, spec: PageSpec, parts: Parts) -> SitemapEntry | None:
        path = spec.params[0]
        if not parts.site.by_path[path].indexable:
            return None
        return page_path(spec.output), parts.changed(path)

    def sitemap_entries(self, specs: Sequence[PageSpec], parts: Parts) -> list[SitemapEntry]:
        by_path, changes = parts.site.by_path, parts.changes()
        entries = []
        for spec in specs:
            path = spec.params[0]
            if by_path[path].indexable:
                entries.append((page_path(spec.output), changes[path]))
        return entries

    def summary_group(self, spec: PageSpec) -> str:
        return "articles"

    def shows_body_of(self, spec: PageSpec, parts: Parts, paths: frozenset[str]) -> bool:
        return spec.params[0] in paths


def _section_feeds(parts: Parts, section: str | None) -> Value | None:
    """The feeds of the article's section, linked from its page."""
    if section is None:
        return None
    known = parts.shared("section feeds", dict)
    feeds = known.get(section)
    if feeds is None:
        feeds = known[section] = _feeds_of(parts, section)
    return feeds


def _feeds_of(parts: Parts, section: str) -> Value:
    sections = parts.site.sections
    term = sections.of(section)
    return Value(feed_links(parts.urls, term_link(sections, term), term.name))
