"""The parts of the site model a build can take over from the last one, through the
build cache: related articles (by a digest of what they are computed from) and the
search index (changed where stories changed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..core.digests import digest
from ..model.related import Entry, related
from ..model.search import Inverted, build_index
from ..model.site import Site
from .cache import BuildCache


class CachedRelated:
    """Related articles depend only on the entries (paths, dates, tags, sections)."""

    def __init__(self, cache: BuildCache):
        self.cache = cache

    def __call__(self, entries: Sequence[Entry], count: int) -> dict[str, tuple[str, ...]]:
        facts = [(e.id, e.timestamp, e.tags, e.section) for e in entries]  # a tuple's repr is C
        key = digest(repr((count, facts)).encode())
        saved = self.cache.state.related
        if saved is not None and saved[0] == key:
            return saved[1]
        result = related(entries, count)
        self.cache.state.related = (key, result)
        return result


def with_search_index(site: Site, cache: BuildCache) -> Site:
    """The site with its search index, made from the last one where it can be."""
    if not site.config.search:
        return site
    previous = cache.search_state()
    index, kept = build_index(site.articles, previous if isinstance(previous, Inverted) else None)
    cache.keep_search(kept)
    return replace(site, search=index)
