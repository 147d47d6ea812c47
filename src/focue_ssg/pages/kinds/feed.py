"""Atom and RSS 2.0 feeds for the site and for each tag, section and author.

Entries carry full content with absolute links (feed readers show it away from
the site), newest first, at most `feed_limit` of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from email.utils import format_datetime
from typing import Any

from markupsafe import Markup

from ...core.text import isoformat
from ...model.article import Article
from ..frame import FEED_FORMATS, Frame
from ..kind import Kind, PageSpec
from ..parts import Parts
from ..recipe import Recipe
from ..urls import Urls, output_file
from .listing import INDEX, listings

EMPTY_FEED_DATE = "1970-01-01T00:00:00+00:00"
# of a story's authors and of its tags an entry names, the first ones: a story of 5,000
# tags is in 5,000 tags' feeds, which named all of them each (quadratic: minutes)
MAX_NAMES = 50


def feed_entry(urls: Urls, a: Article, card: dict, body: Markup, link: str) -> dict[str, Any]:
    """One article as a feed entry."""
    url = urls.absolute(link)
    return {
        "id": url,
        "title": a.title,
        "url": url,
        "published_iso": isoformat(a.date),
        "updated_iso": isoformat(a.changed),
        "published_rfc822": format_datetime(a.date),
        "authors": [author["name"] for author in card["authors"][:MAX_NAMES]],
        "summary": a.summary,
        "content": Markup(urls.absolutize(str(body))),
        "categories": [tag["name"] for tag in card["tags"][:MAX_NAMES]],
    }


def feed_context(
    frame: Frame,
    title: str,
    first: str,
    file: str,
    articles: tuple[Article, ...],
    cards: tuple[dict, ...],
    bodies: tuple[Markup, ...],
    links: tuple[str, ...],
    newest: datetime | None,
) -> dict[str, Any]:
    """The feed of the articles it carries, with their cards, bodies and permalinks."""
    urls, site = frame.urls, frame.common["site"]
    shown = zip(articles, cards, bodies, links, strict=True)
    entries = [feed_entry(urls, *entry) for entry in shown]
    updated = max((e["updated_iso"] for e in entries), default=EMPTY_FEED_DATE, key=_instant)
    return {
        **frame.common,
        "feed": {
            "title": title,
            "subtitle": site["tagline"],
            "id": urls.absolute(first + file),
            "self_url": urls.absolute(first + file),
            "page_url": urls.absolute(first),
            "updated_iso": updated,
            "updated_rfc822": format_datetime(newest) if newest else None,
            "language": site["language"],
            "entries": entries,
        },
    }


def _instant(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


class FeedKind(Kind):
    name = "feed"

    def pages(self, parts: Parts, earlier: Sequence[PageSpec]) -> list[PageSpec]:
        return [
            self.spec(output_file(listing.first + feed.file), f"{feed.name}.xml", (key, feed))
            for key, listing in listings(parts).items()
            if listing.feed
            for feed in FEED_FORMATS
        ]

    def shows_body_of(self, spec: PageSpec, parts: Parts, paths: frozenset[str]) -> bool:
        shown = listings(parts)[spec.params[0]].paths[: parts.site.config.feed_limit]
        return not paths.isdisjoint(shown)

    def recipe(self, spec: PageSpec, parts: Parts) -> Recipe:
        key, feed = spec.params
        listing, config = listings(parts)[key], parts.site.config
        title = config.title if key == INDEX else f"{listing.title} · {config.title}"
        shown = listing.paths[: config.feed_limit]
        articles = parts.articles(shown)
        bodies = tuple([parts.body(path) for path in shown])
        links = tuple([parts.site.permalinks[path] for path in shown])
        newest = parts.site.by_path[shown[0]].changed if shown else None
        return Recipe(
            feed_context,
            parts.frame,
            title,
            listing.first,
            feed.file,
            articles,
            parts.cards(shown),
            bodies,
            links,
            newest,
        )
