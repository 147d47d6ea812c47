"""The parts of the site model a build can take over from the last one, through the
build cache: related articles (by a digest of what they are computed from) and the
search index (changed where stories changed, and kept as changes to the state last
written whole)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from ..core.digests import digest
from ..core.memory import give_back
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


COMPACT_TERMS = 0.25  # more of the terms changed than this: the main file is written anew


@dataclass(frozen=True)
class SearchChanges:
    """What the search index was made from, as changes to the state in the cache's
    main file (model/search.py's Inverted): an edit changes a few terms' lists, and
    the main file (300 MB at 100,000 stories) need not be written again for them."""

    stories: tuple[tuple[str, bytes], ...]
    sections: tuple[tuple[str, str], ...]
    lists: dict[str, Any]  # the lists that differ from the main file's; None: gone
    postings: dict[str, Any]
    forms: dict[str, str]
    uses: dict[str, int]


def with_search_index(site: Site, cache: BuildCache, jobs: Jobs = 1) -> Site:
    """The site with its search index, made from the last one where it can be."""
    if not site.config.search:
        return site
    base = cache.kept("search", taken=True)  # the full lists: not held once this is made
    base = base if isinstance(base, Inverted) else None
    changes = cache.kept("search-changes", taken=True)
    previous = _merged(base, changes) if isinstance(changes, SearchChanges) else base
    index, made = build_index(site.articles, previous, _chunks(jobs), cache.earlier)
    changed = _changes(base, made) if base is not None else None
    if changed is None:
        cache.keep("search", made)
    cache.keep("search-changes", changed)
    del base, previous, made, changed
    give_back()  # the full lists, written to the cache, need not stay in memory
    return replace(site, search=index)


def _changes(base: Inverted, made: Inverted) -> SearchChanges | None:
    """`made` as changes to `base` (an update copies the lists it changes and shares the
    rest, and its lists know which they set: model/term_lists.py); None if most changed
    or `made` was made anew."""
    altered = made.lists.changed_since(base.lists)
    if altered is None or len(altered) > COMPACT_TERMS * len(base.lists):
        return None
    lists = {t: made.lists.get(t) for t in sorted(altered)}  # None: gone
    postings = {t: v for t, v in made.postings.items() if base.postings.get(t) is not v}
    postings.update(dict.fromkeys(base.postings.keys() - made.postings.keys()))
    return SearchChanges(made.stories, made.sections, lists, postings, made.forms, made.uses)


def _merged(base: Inverted | None, changes: SearchChanges) -> Inverted | None:
    if base is None:
        return None
    lists, postings = base.lists.copy(), {**base.postings, **changes.postings}
    for term, values in changes.lists.items():
        if values is not None:
            lists[term] = values
        elif term in lists:
            del lists[term]
    for term in [term for term, value in changes.postings.items() if value is None]:
        del postings[term]
    return Inverted(changes.stories, changes.sections, lists, postings, changes.forms, changes.uses)


def _chunks(jobs: Jobs) -> Chunks:
    """Local processes invert a new index chunk by chunk (the main process then only
    joins their lists); a cluster is not sent the stories' terms: they would cross the
    network twice for a second's work."""
    if not isinstance(jobs, int) or jobs < 2:
        return run_at_once
    return partial(_in_processes, jobs=jobs)


def _in_processes(work: Callable, items: Sequence, jobs: int) -> list:
    return run_chunks(work, items, jobs, INVERT_CHUNK, least=INVERT_LEAST)
