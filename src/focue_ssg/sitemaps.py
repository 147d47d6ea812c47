"""sitemap.xml, the Google News sitemap and robots.txt.

`sitemap.xml` lists every indexable page with the real time its content last
changed (never the build time), and becomes a sitemap index beyond 50,000 URLs.
`news-sitemap.xml` lists the articles published in the two days before "now",
1,000 per file. Syndicated copy (`canonical:`) and `noindex: true` pages are in
neither.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from .dates import isoformat
from .model import Article

if TYPE_CHECKING:
    from .plan import Planner

MAX_URLS = 50_000
MAX_NEWS = 1_000
SITEMAP = "sitemap.xml"
NEWS_SITEMAP = "news-sitemap.xml"
LISTED_KINDS = ("article", "list", "terms")


def indexable(article: Article) -> bool:
    return not article.noindex and article.canonical is None


def _changed(article: Article) -> datetime:
    return article.updated or article.date


class _LastChanged:
    """When what a page shows last changed: the newest of its articles' times."""

    def __init__(self, planner: Planner):
        self.planner = planner
        articles = planner.site.articles
        self.changed = {a.path: _changed(a) for a in articles}
        self.instant = {path: when.timestamp() for path, when in self.changed.items()}
        self.newest = max(self.instant, key=self.instant.__getitem__, default=None)

    def __call__(self, spec: Any) -> datetime | None:
        if spec.kind == "article":
            return self.changed[spec.key[0]]
        if spec.kind == "list":
            (list_key, number), size = spec.key, self.planner.site.config.page_size
            shown = self.planner.lists[list_key].paths[(number - 1) * size : number * size]
            newest = max(shown, key=self.instant.__getitem__, default=None)
        else:
            newest = self.newest
        return self.changed[newest] if newest is not None else None


def _entries(planner: Planner, page_specs: list) -> list[tuple[str, datetime | None]]:
    found = []
    lastmod = _LastChanged(planner)
    for spec in page_specs:
        if spec.kind not in LISTED_KINDS:
            continue
        if spec.kind == "article" and not indexable(planner.site.by_path[spec.key[0]]):
            continue
        link = "/" + spec.output.removesuffix("index.html")
        found.append((link, lastmod(spec)))
    return found


def _news(planner: Planner) -> list[str]:
    site = planner.site
    return [a.path for a in site.articles if site.in_news_window(a) and indexable(a)]


def _parts(count: int, size: int) -> int:
    return max(1, -(-count // size))


def specs(planner: Planner, page_specs: list, make: Any) -> list:
    """The sitemap files; a list beyond one file's limit becomes an index of parts."""
    planner.sitemap_entries = _entries(planner, page_specs)
    planner.news_paths = _news(planner)
    found = []
    for name, count, limit in (
        (SITEMAP, len(planner.sitemap_entries), MAX_URLS),
        (NEWS_SITEMAP, len(planner.news_paths), MAX_NEWS),
    ):
        parts = _parts(count, limit)
        if parts == 1:
            found.append(make(name, name, "sitemap", (name, 0)))
            continue
        found.append(make(name, "sitemap-index.xml", "sitemap", (name, -parts)))
        found += [
            make(_part_name(name, n), name, "sitemap", (name, n)) for n in range(1, parts + 1)
        ]
    return found


def _part_name(name: str, n: int) -> str:
    return f"{name.removesuffix('.xml')}-{n}.xml"


def share(planner: Planner, name: str, n: int) -> list:
    """What file n of a sitemap lists (n = 1 for a sitemap in one file)."""
    limit = MAX_URLS if name == SITEMAP else MAX_NEWS
    items = planner.sitemap_entries if name == SITEMAP else planner.news_paths
    return items[(n - 1) * limit : n * limit]


def context(planner: Planner, name: str, part: int) -> dict[str, Any]:
    urls = planner.urls
    if part < 0:  # an index of -part files
        parts = []
        for n in range(1, -part + 1):
            parts.append(
                {
                    "loc": urls.absolute(_part_name(name, n)),
                    "lastmod": _newest(planner, name, share(planner, name, n)),
                }
            )
        return {**planner.common, "sitemaps": parts}
    chunk = share(planner, name, max(part, 1))
    if name == SITEMAP:
        return {
            **planner.common,
            "urls": [
                {"loc": urls.absolute(link), "lastmod": isoformat(when) if when else None}
                for link, when in chunk
            ],
        }
    config = planner.site.config
    return {
        **planner.common,
        "publication": {"name": config.publication, "language": config.language.lower()},
        "news": [_news_entry(planner, path) for path in chunk],
    }


def _newest(planner: Planner, name: str, chunk: list) -> str | None:
    if name == SITEMAP:
        times = [when for _, when in chunk if when]
    else:
        times = [_changed(planner.site.by_path[p]) for p in chunk]
    return isoformat(max(times, key=lambda d: d.timestamp())) if times else None


def _news_entry(planner: Planner, path: str) -> dict[str, Any]:
    a = planner.site.by_path[path]
    return {
        "loc": planner.urls.absolute(planner.site.permalinks[path]),
        "title": a.title,
        "publication_date": isoformat(a.date),
    }


def robots_context(planner: Planner) -> dict[str, Any]:
    return {
        **planner.common,
        "sitemaps": [planner.urls.absolute(SITEMAP), planner.urls.absolute(NEWS_SITEMAP)],
    }
