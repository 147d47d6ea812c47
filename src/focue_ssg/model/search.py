"""The search index, as a pure function of the published stories.

Stories are numbered oldest first (by date, then path), so a new story takes the
next number and leaves every other where it was; inversion.py makes each term's
list of them. Terms are sorted and cut into parts at terms whose digest says so
(content-defined boundaries, as backup tools cut files into chunks): adding a
story changes only the parts holding its terms, never where the other parts
begin. A term in more stories than `CAP` keeps the `CAP` it matters most in
(headline first, then standfirst, then count in the body, then the newest: the
order of its features' values), but never fewer than the stories with it in their
headline or standfirst, up to `LEAD_CAP`: a reader looking for a story by its
headline must find it in a big archive too. Such a term scores little anyway, and
its list stays small on the wire. Facets (section, tag, author, year) are terms
too, so filters are lists to intersect; they are never capped.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..core.digests import digest
from ..core.text import text_key
from .article import Article
from .inversion import FACET, NUMBER, RANK, Chunks, invert, rework, run_at_once
from .term_lists import TermLists

CAP = 2000  # stories kept for a term; a facet keeps all
LEAD_CAP = 10_000  # stories kept for a term in their headline or standfirst
STANDFIRST_RANK = 32 << 24  # the least rank with the term in the headline or standfirst
COUNT_BITS = 5  # a capped term's count is kept to this many significant bits
BLOCK = 200  # stories per records file
TYPO_LETTERS = 5  # a word this long or longer is still found with one letter wrong
PART_BYTES = 24_000  # about what a part of the index should weigh, as JSON
MAX_PART_BYTES = 60_000  # and at most, unless one key weighs more
MAX_CHANGED = 64  # more changed stories than this: the index is made anew, which is quicker


@dataclass(frozen=True)
class Posting:
    """A term's stories, packed as features << 24 | number, in number order (unpacked
    only where a part of the index is written, and only for parts that changed)."""

    packed: Sequence[int]
    count: int  # stories with the term, before capping

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(p & NUMBER for p in self.packed)

    @property
    def features(self) -> tuple[int, ...]:  # source/terms.py's; 0 for a facet
        return tuple(p >> 24 & 127 for p in self.packed)


@dataclass(frozen=True)
class Index:
    stories: tuple[Article, ...]  # by number
    postings: dict[str, Posting]  # by term
    forms: dict[str, str]  # written form -> term, where they differ
    parts: tuple[tuple[str, ...], ...]  # the keys (terms and forms) of each part, in order
    tails: tuple[tuple[str, ...], ...] = ()  # words of TYPO_LETTERS+, by their reversed spelling
    sections: tuple[tuple[str, str], ...] = ()  # (key, name) of section 1, 2, ...
    years: tuple[tuple[int, int], ...] = ()  # (year, the number of its first story)


def numbered(articles: Sequence[Article]) -> tuple[Article, ...]:
    return tuple(sorted(articles, key=lambda a: (a.date.timestamp(), a.path)))


def _sections(stories: Sequence[Article]) -> tuple[tuple[str, str], ...]:
    """Every section's key and name, in key order (at most 255: the rest count as none)."""
    names = {text_key(s.section): s.section for s in stories if s.section}
    return tuple(sorted(names.items()))[:255]


def _years(stories: Sequence[Article]) -> tuple[tuple[int, int], ...]:
    starts: dict[int, int] = {}
    for number, story in enumerate(stories):
        starts.setdefault(story.date.year, number)
    return tuple(starts.items())


def _posting(packed: array, cap: int) -> Posting:
    """The `cap` stories a term matters most in (the largest packed values: features,
    then number), back in number order."""
    if len(packed) <= cap:
        return Posting(packed, len(packed))  # shared with the lists, never changed
    ranked = sorted(packed, key=RANK.__and__, reverse=True)
    # the stories with the term in the headline or standfirst come first in `ranked`
    leading = bisect_left(ranked, -STANDFIRST_RANK, key=_negative_rank)
    chosen = ranked[: max(cap, min(LEAD_CAP, leading))]
    return Posting(array("Q", sorted(chosen, key=NUMBER.__and__)), _rounded(len(packed)))


def _negative_rank(packed: int) -> int:
    return -(packed & RANK)


def _rounded(count: int) -> int:
    """A capped term's count to COUNT_BITS significant bits: ranking needs no more, and
    a story more or less with the term then seldom changes its part of the index."""
    shift = max(0, count.bit_length() - COUNT_BITS)
    return count >> shift << shift


def _weight(key: str, postings: dict[str, Posting]) -> int:
    """About what a key weighs in a part, as JSON (a story's gap, features and section
    take about 8 bytes)."""
    posting = postings.get(key)
    return len(key) + 8 + (8 * len(posting.packed) if posting else len(key))


def _cut(keys: list[str], weights: list[int]) -> tuple[tuple[str, ...], ...]:
    """Sorted keys cut where a key's digest says so, at about PART_BYTES a part: those
    cut points depend on the keys alone, and their spacing only on the total weight to
    within a power of two. A part that would pass MAX_PART_BYTES is cut early too (a
    query for a common word should not bring the lists of its neighbours along); such
    a cut moves only up to the next cut of the first kind."""
    wanted = max(1, sum(weights) // PART_BYTES)
    spacing = 1 << max(0, round(math.log2(max(1, len(keys) / wanted))))
    parts: list[list[str]] = []
    held = 0
    for key, weight in zip(keys, weights, strict=True):
        chosen = int.from_bytes(digest(key.encode())[:4], "big") % spacing == 0
        if not parts or chosen or held + weight > MAX_PART_BYTES:
            parts.append([])
            held = 0
        parts[-1].append(key)
        held += weight
    return tuple(tuple(part) for part in parts)


def _parts(postings: dict[str, Posting], forms: dict[str, str]) -> tuple[tuple[str, ...], ...]:
    """Every key a query may look up: terms, and the written forms of stemmed words."""
    keys = sorted(postings.keys() | forms.keys())
    return _cut(keys, [_weight(key, postings) for key in keys])


def _tails(parts: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """The words a typo may be meant for, sorted by their reversed spelling. A one-letter
    slip leaves a word's first half or its last half as written: the first half finds
    the word among its neighbours in `parts`, the last half among its neighbours here."""
    words = sorted(
        (k for part in parts for k in part if len(k) >= TYPO_LETTERS and k[0] != FACET),
        key=lambda k: k[::-1],
    )
    return _cut(words, [len(k) + 3 for k in words])


@dataclass(frozen=True)
class Inverted:
    """What an index was made from, kept by the build cache so that the next build
    redoes only what its edits touched: the stories by number (path and source
    digest), the sections, each term's list and posting, the written forms and how
    many stories write each (a form goes when the last does)."""

    stories: tuple[tuple[str, bytes], ...]
    sections: tuple[tuple[str, str], ...]
    lists: TermLists  # never changed once made: an update copies what it changes
    postings: dict[str, Posting]
    forms: dict[str, str]
    uses: dict[str, int]


Earlier = Callable[[str, bytes], Article | None]  # a story by path and digest, as it was


def _cap(term: str) -> int:
    return 1 << 62 if term.startswith(FACET) else CAP


def _from_scratch(stories: Sequence[Article], sections: tuple, chunks: Chunks) -> tuple:
    numbers = {key: n for n, (key, _) in enumerate(sections, 1)}
    lists, forms, uses = invert(stories, numbers, chunks)
    postings = {term: _posting(packed, _cap(term)) for term, packed in lists.items()}
    return lists, postings, forms, uses


def build_index(
    articles: Sequence[Article],
    previous: Inverted | None = None,
    chunks: Chunks = run_at_once,
    earlier: Earlier | None = None,
) -> tuple[Index, Inverted]:
    """The index, and what the next build may start from. From `previous` when only a
    few stories changed (`earlier` has them as they were) or were added after the
    others (see `update`), else anew, its stories inverted chunk by chunk by `chunks`:
    the result is the same either way."""
    stories = numbered(articles)
    sections = _sections(stories)
    known = tuple((story.path, story.source_digest) for story in stories)
    found = None
    if previous is not None and earlier is not None:
        found = update(previous, stories, known, sections, earlier)
    lists, postings, forms, uses = found or _from_scratch(stories, sections, chunks)
    parts = _parts(postings, forms)
    index = Index(stories, postings, forms, parts, _tails(parts), sections, _years(stories))
    lists = lists if isinstance(lists, TermLists) else TermLists(lists)
    return index, Inverted(known, sections, lists, postings, forms, uses)


def _changed(previous: Inverted, known: tuple, sections: tuple) -> list[int] | None:
    """The numbers of the stories that changed; None when the numbering itself changed
    or too many did (then the index is made anew)."""
    old = previous.stories
    if previous.sections != sections or len(known) < len(old) or not all(d for _, d in known):
        return None
    if any(a[0] != b[0] for a, b in zip(old, known, strict=False)):
        return None
    changed = [n for n, (a, b) in enumerate(zip(old, known, strict=False)) if a[1] != b[1]]
    return changed if len(changed) <= MAX_CHANGED else None


def update(
    previous: Inverted, stories: Sequence[Article], known: tuple, sections: tuple, earlier: Earlier
) -> tuple[dict, dict, dict, dict] | None:
    """The lists, postings, forms and their uses after the stories that changed and the
    new ones after them (see inversion.py); None where the index is made anew."""
    changed = _changed(previous, known, sections)
    before = [earlier(*previous.stories[n]) for n in changed or ()]
    if changed is None or None in before:
        return None
    lists, forms, uses = previous.lists.copy(), dict(previous.forms), dict(previous.uses)
    changes = [(n, was, stories[n]) for n, was in zip(changed, before, strict=True)]
    added = [(n, stories[n]) for n in range(len(previous.stories), len(known))]
    numbers = {key: n for n, (key, _) in enumerate(sections, 1)}
    touched = rework(lists, forms, uses, changes, added, numbers)
    return lists, _postings_after(previous.postings, lists, touched), forms, uses


def _postings_after(postings: dict, lists: TermLists, touched: set[str]) -> dict:
    postings = dict(postings)
    for term in touched:
        if lists.get(term):
            postings[term] = _posting(lists[term], _cap(term))
        else:
            lists.pop(term, None)
            postings.pop(term, None)
    return postings
