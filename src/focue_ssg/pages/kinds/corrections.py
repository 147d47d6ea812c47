"""The corrections page: every corrected story, newest correction first, with an Atom
feed of the corrections themselves, so readers and other newsrooms can follow them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ...core.text import isoformat
from ..frame import Frame, page_block, pagination
from ..kind import Kind, PageSpec, SitemapEntry
from ..parts import Parts
from ..recipe import Recipe
from ..urls import output_file, page_count, page_link, page_path, page_slice

FIRST = "/corrections/"
FEED_FILE = "atom.xml"
TITLE = "Corrections"
EMPTY_FEED_DATE = "1970-01-01T00:00:00+00:00"

Entries = tuple[tuple[tuple[datetime, str], ...], ...]  # per article: (date, text), newest first


def corrections_context(
    frame: Frame, number: int, pages: int, cards: tuple, corrections: Entries
) -> dict[str, Any]:
    urls = frame.urls
    shown = TITLE if number == 1 else f"{TITLE} (page {number})"
    feed = {
        "type": "application/atom+xml",
        "title": f"{TITLE} (Atom)",
        "url": urls.link(FIRST + FEED_FILE),
    }
    context = page_block(
        frame, "corrections", page_link(FIRST, number), shown, feeds=[feed, *frame.feeds]
    )
    context["entries"] = [
        {
            "article": card,
            "corrections": [{"date": d, "date_iso": isoformat(d), "text": t} for d, t in entries],
        }
        for card, entries in zip(cards, corrections, strict=True)
    ]
    context["pagination"] = pagination(urls, FIRST, number, pages)
    return context


def corrections_feed(
    frame: Frame, cards: tuple, links: tuple[str, ...], items: tuple[tuple[datetime, str], ...]
) -> dict[str, Any]:
    """One entry per correction, newest first; each names the story it corrects."""
    urls, site = frame.urls, frame.common["site"]
    entries = []
    for card, link, (date, text) in zip(cards, links, items, strict=True):
        url = urls.absolute(link)
        entries.append(
            {
                "id": f"{url}#correction-{isoformat(date)}",
                "title": f"Correction: {card['title']}",
                "url": url,
                "published_iso": isoformat(date),
                "updated_iso": isoformat(date),
                "authors": [author["name"] for author in card["authors"]],
                "summary": text,
                "content": text,
                "categories": [],
            }
        )
    return {
        **frame.common,
        "feed": {
            "title": f"{TITLE} · {site['title']}",
            "subtitle": f"Corrections to stories published by {site['title']}",
            "id": urls.absolute(FIRST + FEED_FILE),
            "self_url": urls.absolute(FIRST + FEED_FILE),
            "page_url": urls.absolute(FIRST),
            "updated_iso": entries[0]["updated_iso"] if entries else EMPTY_FEED_DATE,
            "updated_rfc822": None,
            "language": site["language"],
            "entries": entries,
        },
    }


def _corrected(parts: Parts) -> list[str]:
    """Corrected articles' paths, newest correction first (ties by path)."""
    found = [a for a in parts.site.articles if a.corrections]
    found.sort(key=lambda a: (-a.corrections[-1].date.timestamp(), a.path))
    return [a.path for a in found]


def _newest_first(parts: Parts, path: str) -> tuple[tuple[datetime, str], ...]:
    return tuple((c.date, c.text) for c in reversed(parts.site.by_path[path].corrections))


class CorrectionsKind(Kind):
    name = "corrections"

    def pages(self, parts: Parts, earlier: Sequence[PageSpec]) -> list[PageSpec]:
        corrected = parts.shared("corrected", _corrected, parts)
        count = page_count(len(corrected), parts.site.config.page_size)
        found = [
            self.spec(output_file(page_link(FIRST, n)), "corrections.html", (n,))
            for n in range(1, count + 1)
        ]
        found.append(self.spec(output_file(FIRST + FEED_FILE), "atom.xml", (0,), label="feed"))
        return found

    def recipe(self, spec: PageSpec, parts: Parts) -> Recipe:
        (number,) = spec.params
        corrected = parts.known("corrected")
        if number == 0:  # the feed
            items = [(path, entry) for path in corrected for entry in _newest_first(parts, path)]
            items.sort(key=lambda item: -item[1][0].timestamp())
            items = items[: parts.site.config.feed_limit]
            paths = [path for path, _ in items]
            links = tuple(parts.site.permalinks[path] for path in paths)
            entries = tuple(entry for _, entry in items)
            return Recipe(corrections_feed, parts.frame, parts.cards(paths), links, entries)
        size = parts.site.config.page_size
        shown = page_slice(corrected, number, size)
        pages = page_count(len(corrected), size)
        entries = tuple(_newest_first(parts, path) for path in shown)
        return Recipe(corrections_context, parts.frame, number, pages, parts.cards(shown), entries)

    def sitemap_entry(self, spec: PageSpec, parts: Parts) -> SitemapEntry | None:
        if spec.params[0] == 0:
            return None
        shown = page_slice(parts.known("corrected"), spec.params[0], parts.site.config.page_size)
        times = [parts.site.by_path[path].corrections[-1].date for path in shown]
        newest = max(times, key=lambda t: t.timestamp(), default=None)
        return page_path(spec.output), newest
