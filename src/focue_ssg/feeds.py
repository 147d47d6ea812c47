"""Atom and RSS 2.0 feeds for the site and for each tag, section and author.

Entries carry full content with absolute links (feed readers show it away from
the site), newest first, at most `feed_limit` of them.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .dates import isoformat

if TYPE_CHECKING:
    from .plan import Planner

KINDS = ("atom", "rss")
FILES = {"atom": "atom.xml", "rss": "feed.xml"}
TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
NAMES = {"atom": "Atom", "rss": "RSS"}
EMPTY_FEED_DATE = "1970-01-01T00:00:00+00:00"


def entry(planner: Planner, path: str) -> dict[str, Any]:
    """One article as a feed entry; shared by every feed that lists it."""
    cached = planner.feed_entries.get(path)
    if cached is not None:
        return cached
    a = planner.site.by_path[path]
    card = planner.card(path)
    url = planner.urls.absolute(planner.site.permalinks[path])
    changed = a.updated or a.date
    made = {
        "id": url,
        "title": a.title,
        "url": url,
        "published_iso": isoformat(a.date),
        "updated_iso": isoformat(changed),
        "published_rfc822": format_datetime(a.date),
        "authors": [author["name"] for author in card["authors"]],
        "summary": a.summary,
        "content": Markup(planner.urls.absolutize(str(planner.body(a)))),
        "categories": [tag["name"] for tag in card["tags"]],
    }
    planner.feed_entries[path] = made
    return made


def context(planner: Planner, list_key: tuple, kind: str) -> dict[str, Any]:
    listing = planner.lists[list_key]
    config = planner.site.config
    entries = [entry(planner, path) for path in listing.paths[: config.feed_limit]]
    title = config.title if list_key == ("index",) else f"{listing.title} · {config.title}"
    updated = max((e["updated_iso"] for e in entries), default=EMPTY_FEED_DATE, key=_instant)
    newest = planner.site.by_path[listing.paths[0]] if listing.paths else None
    return {
        **planner.common,
        "feed": {
            "title": title,
            "subtitle": config.tagline,
            "id": planner.urls.absolute(listing.first + FILES[kind]),
            "self_url": planner.urls.absolute(listing.first + FILES[kind]),
            "page_url": planner.urls.absolute(listing.first),
            "updated_iso": updated,
            "updated_rfc822": format_datetime(newest.updated or newest.date) if newest else None,
            "language": config.language,
            "entries": entries,
        },
    }


def _instant(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()
