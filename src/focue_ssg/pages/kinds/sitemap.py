"""sitemap.xml and the Google News sitemap.

`sitemap.xml` lists every page whose kind gives it a sitemap entry, with the real
time its content last changed (never the build time), and becomes a sitemap index
beyond 50,000 URLs. `news-sitemap.xml` lists the articles published in the two
days before "now", 1,000 per file, and is not written when there are none (the
schema has no empty sitemap). Syndicated copy (`canonical:`) and `noindex: true`
pages are in neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Any

from ...core.text import isoformat
from ..frame import Frame
from ..kind import Kind, PageSpec
from ..parts import Parts
from ..recipe import Recipe, Value
from ..urls import page_count, page_slice

MAX_URLS = 50_000
MAX_NEWS = 1_000
SITEMAP = "sitemap.xml"
NEWS_SITEMAP = "news-sitemap.xml"
INDEX_TEMPLATE = "sitemap-index.xml"


Stamped = tuple[str | None, float]  # a time as the files write it (ISO 8601), and as POSIX


@dataclass(frozen=True)
class Listed:
    """What the sitemap files list: pages, and the news sitemap's stories. Times are
    kept as written, with their POSIX times to find the newest: plain strings and
    floats, which a later plan takes over quickly (pages/parts.py's portable values)."""

    pages: list[tuple[str, str | None, float]]  # (site path, *last changed)
    news: list[tuple[str, str, str, str | None, float]]  # (permalink, headline, date, *changed)


def _stamped(when: datetime | None) -> Stamped:
    return (isoformat(when), when.timestamp()) if when is not None else (None, 0.0)


def sitemap_context(frame: Frame, entries: list) -> dict[str, Any]:
    return {
        **frame.common,
        "urls": [
            {"loc": frame.urls.absolute(link), "lastmod": lastmod} for link, lastmod in entries
        ],
    }


def news_sitemap_context(frame: Frame, entries: list) -> dict[str, Any]:
    site = frame.common["site"]
    return {
        **frame.common,
        "publication": {"name": site["publication"], "language": site["language"].lower()},
        "news": [
            {"loc": frame.urls.absolute(link), "title": title, "publication_date": date}
            for link, title, date in entries
        ],
    }


def sitemap_index_context(frame: Frame, parts: tuple[tuple[str, str | None], ...]) -> dict:
    """An index of sitemap files: (file, newest last-changed time) of each."""
    sitemaps = [{"loc": frame.urls.absolute(name), "lastmod": lastmod} for name, lastmod in parts]
    return {**frame.common, "sitemaps": sitemaps}


def sitemap_files(parts: Parts) -> tuple[str, ...]:
    """The sitemap files crawlers start from (each a sitemap, or an index of parts)."""
    listed: Listed = parts.known("sitemap")
    return tuple(
        name for name, items in ((SITEMAP, listed.pages), (NEWS_SITEMAP, listed.news)) if items
    )


def _part_name(name: str, n: int) -> str:
    return f"{name.removesuffix('.xml')}-{n}.xml"


def _limit(name: str) -> int:
    return MAX_URLS if name == SITEMAP else MAX_NEWS


class SitemapKind(Kind):
    name = "sitemap"

    def pages(self, parts: Parts, earlier: Sequence[PageSpec]) -> list[PageSpec]:
        listed = parts.shared("sitemap", _listed, parts, earlier, portable=True)
        found = []
        for name, count in ((SITEMAP, len(listed.pages)), (NEWS_SITEMAP, len(listed.news))):
            if count == 0:
                continue  # an empty urlset fails the schema: no file (and robots.txt says none)
            files = page_count(count, _limit(name))
            if files == 1:
                found.append(self.spec(name, name, (name, 0)))
                continue
            found.append(self.spec(name, INDEX_TEMPLATE, (name, -files)))
            found += [self.spec(_part_name(name, n), name, (name, n)) for n in range(1, files + 1)]
        return found

    def recipe(self, spec: PageSpec, parts: Parts) -> Recipe:
        name, part = spec.params
        if part < 0:  # an index of -part files
            files = tuple(
                (_part_name(name, n), _newest(parts, name, n)) for n in range(1, -part + 1)
            )
            return Recipe(sitemap_index_context, parts.frame, files)
        make = sitemap_context if name == SITEMAP else news_sitemap_context
        return Recipe(make, parts.frame, _share(parts, name, max(part, 1)))


def _listed(parts: Parts, earlier: Sequence[PageSpec]) -> Listed:
    pages = []
    for kind, run in groupby(earlier, key=attrgetter("kind")):
        pages += [(path, *_stamped(when)) for path, when in kind.sitemap_entries(list(run), parts)]
    site = parts.site
    news = [
        (site.permalinks[a.path], a.title, isoformat(a.date), *_stamped(a.changed))
        for a in site.articles
        if site.in_news_window(a) and a.indexable
    ]
    return Listed(pages, news)


def _items(parts: Parts, name: str, n: int) -> list:
    """What file n of a sitemap lists (n = 1 for a sitemap in one file)."""
    listed: Listed = parts.known("sitemap")  # the pages were planned before any recipe
    items = listed.pages if name == SITEMAP else listed.news
    return list(page_slice(items, n, _limit(name)))


def _share(parts: Parts, name: str, n: int) -> Value:
    """What file n shows: of the news, each story's link, headline and date."""

    def make() -> Value:
        items = _items(parts, name, n)
        return Value([item[:2] if name == SITEMAP else item[:3] for item in items])

    return parts.shared(("sitemap share", name, n), make)


def _newest(parts: Parts, name: str, n: int) -> str | None:
    """The latest time a file's items changed; the first of equals."""
    stamped = [item[-2:] for item in _items(parts, name, n) if item[-2] is not None]
    return max(stamped, key=itemgetter(1))[0] if stamped else None
