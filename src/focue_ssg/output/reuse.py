"""The parts of the site model a build can take over from the last one, through the
build cache: related articles (by a digest of what they are computed from) and the
search index (changed where stories changed)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

from ..core.digests import digest
from ..model.inversion import Chunks, run_at_once
from ..model.related import Entry, related
from ..model.search import Inverted, build_index
from ..model.site import Site
from .cache import BuildCache
from .workers import Jobs, run_chunks


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


INVERT_CHUNK = 2000  # stories a process inverts at a time
INVERT_LEAST = 2000  # fewer stories are inverted in this process: starting others costs more


def with_search_index(site: Site, cache: BuildCache, jobs: Jobs = 1) -> Site:
    """The site with its search index, made from the last one where it can be."""
    if not site.config.search:
        return site
    previous = cache.kept("search")
    previous = previous if isinstance(previous, Inverted) else None
    index, kept = build_index(site.articles, previous, _chunks(jobs), cache.earlier)
    cache.keep("search", kept)
    return replace(site, search=index)


def _chunks(jobs: Jobs) -> Chunks:
    """Local processes invert a new index chunk by chunk (the main process then only
    joins their lists); a cluster is not sent the stories' terms: they would cross the
    network twice for a second's work."""
    if not isinstance(jobs, int) or jobs < 2:
        return run_at_once
    return partial(_in_processes, jobs=jobs)


def _in_processes(work: Callable, items: Sequence, jobs: int) -> list:
    return run_chunks(work, items, jobs, INVERT_CHUNK, least=INVERT_LEAST)
