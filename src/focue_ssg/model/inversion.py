"""Each term's list of stories, the core of the search index (model/search.py):
inverted anew from every story, chunk by chunk, or reworked where stories changed.

A list holds packed postings in story-number order. Inverting a cold build's
stories is the one loop that sees every term of every story, so its appending is
done by `map` in C, in processes of their own where there are many stories. A
changed story is compared with itself as the last build parsed it: only the terms
it gained, lost or weighs otherwise are touched, and the lists of the last build
are copied before they change, never changed in place.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from itertools import repeat
from operator import lshift, or_

from ..core.text import text_key
from .article import Article, SearchTerms, StoredTerms, loaded

# A packed posting: section << 31 | features << 24 | number. The section (its place in
# Index.sections, 0 for none) lets the browser count and filter results by section
# with no more fetching; the rest orders the stories a capped term keeps.
NUMBER = (1 << 24) - 1
RANK = (1 << 31) - 1  # features and number
FACET = "#"  # starts a facet term; analysed terms never start with it


def facets(a: Article) -> list[str]:
    """A story's facet terms: its section, tags, authors and year."""
    found = [f"{FACET}y{a.date.year}"]
    if a.section:
        found.append(f"{FACET}s{text_key(a.section)}")
    found += [f"{FACET}t{text_key(tag)}" for tag in a.tags]
    found += [f"{FACET}a{text_key(name)}" for name in a.authors]
    return found


def _contributions(
    story: Article, terms: SearchTerms, number: int, sections: dict[str, int]
) -> Iterator[tuple[str, int]]:
    """Each term of a story (`terms`: its search terms, read once by the caller) with
    its packed posting (see RANK); facets have no features."""
    base = _base(story, number, sections)
    if terms.stems:
        yield from zip(terms.stems.split(" "), _packed(terms.features, base), strict=True)
    for term in facets(story):
        yield term, base


def _packed(features: bytes, base: int) -> Iterator[int]:
    return map(or_, map(lshift, features, repeat(24)), repeat(base))


def _pairs(written: str) -> Iterator[tuple[str, str]]:
    """A story's "form stem" pairs (a form is always written for the one stem:
    analysis depends on the form alone)."""
    words = iter(written.split(" ") if written else ())
    return zip(words, words, strict=True)


def _base(story: Article, number: int, sections: dict[str, int]) -> int:
    """A story's number and section packed (see RANK), without features."""
    section = sections.get(text_key(story.section), 0) if story.section else 0
    return section << 31 | number


Chunk = Sequence[tuple[SearchTerms | StoredTerms, tuple[str, ...], int]]
Inversion = tuple[dict[str, array], dict[str, str], Counter]  # term lists; forms; their uses
# applies a function to chunks of a list, in order: output/workers.py's, or `run_at_once`
Chunks = Callable[[Callable[[Chunk], list[Inversion]], Chunk], list[Inversion]]


def run_at_once(work: Callable[[Chunk], list[Inversion]], items: Chunk) -> list[Inversion]:
    return work(items)


def _chunk_input(stories: Sequence[Article], sections: dict[str, int]) -> Chunk:
    """What inverting needs of each story: its terms (where the build cache keeps
    them: the process that inverts reads them), facets, packed number and section
    (see RANK)."""
    return [
        (s.search_terms, tuple(facets(s)), _base(s, n, sections)) for n, s in enumerate(stories)
    ]


def invert_chunk(chunk: Chunk) -> list[Inversion]:
    """Each term's stories in a run of stories, packed, in number order, the forms
    written in them and how many stories write each. The appending is done by `map`
    in C: this loop sees every term of every story of a cold build (in processes of
    their own, chunk by chunk)."""
    lists: defaultdict[str, list] = defaultdict(list)
    into = lists.__getitem__
    forms: dict[str, str] = {}
    uses: Counter = Counter()
    for held, facet_terms, base in chunk:
        terms = loaded(held)
        if terms.stems:
            any(map(list.append, map(into, terms.stems.split(" ")), _packed(terms.features, base)))
        for term in facet_terms:
            lists[term].append(base)
        if terms.forms:
            written = dict(_pairs(terms.forms))
            forms.update(written)
            uses.update(written.keys())
    return [({term: array("Q", values) for term, values in lists.items()}, forms, uses)]


def invert(stories: Sequence[Article], sections: dict[str, int], chunks: Chunks) -> Inversion:
    """The chunks' lists joined: runs of stories in number order, so a term's lists
    follow one another."""
    lists: dict[str, array] = {}
    forms: dict[str, str] = {}
    uses: Counter = Counter()
    for found, written, used in chunks(invert_chunk, _chunk_input(stories, sections)):
        for term, values in found.items():
            if term in lists:
                lists[term].extend(values)
            else:
                lists[term] = values
        forms.update(written)
        uses.update(used)
    return lists, forms, uses


def rework(
    lists: MutableMapping[str, array],
    forms: dict[str, str],
    uses: dict[str, int],
    changes: Sequence[tuple[int, Article, Article]],
    added: Sequence[tuple[int, Article]],
    sections: dict[str, int],
) -> set[str]:
    """The lists, forms and uses (copies of the last build's) after the `changes`
    (number, story as it was, story as it is) and the stories `added` after the
    others; returns the terms whose lists were touched."""
    touched: set[str] = set()
    for number, was, story in changes:
        gone, terms = was.terms, story.terms  # each read from the cache once
        then = dict(_contributions(was, gone, number, sections))
        now = dict(_contributions(story, terms, number, sections))
        _replace(lists, number, then, now, touched)
        _count_forms(forms, uses, dict(_pairs(gone.forms)), dict(_pairs(terms.forms)))
    for number, story in added:
        terms = story.terms
        for term, value in _contributions(story, terms, number, sections):
            _insert(lists, term, value, touched)
        _count_forms(forms, uses, {}, dict(_pairs(terms.forms)))
    return touched


def _replace(
    lists: MutableMapping[str, array],
    number: int,
    then: dict[str, int],
    now: dict[str, int],
    touched: set,
) -> None:
    """A changed story's entries made what they are `now` from what they were `then`;
    a term whose entry stays the same is not touched (an edit changes few of a story's
    terms)."""
    for term in then.keys() - now.keys():
        values = _own(lists, term, touched)
        del values[_at(values, number)]
    for term, value in now.items():
        if then.get(term) == value:
            continue
        if term in then:
            values = _own(lists, term, touched)
            values[_at(values, number)] = value
        else:
            _insert(lists, term, value, touched)


def _at(values: array, number: int) -> int:
    return bisect_left(values, number, key=NUMBER.__and__)


def _own(lists: MutableMapping[str, array], term: str, touched: set[str]) -> array:
    """The term's list, copied once before it is changed (the last build's stays whole)."""
    if term not in touched:
        lists[term] = array("Q", lists.get(term, ()))
        touched.add(term)
    return lists[term]


def _insert(lists: MutableMapping[str, array], term: str, value: int, touched: set[str]) -> None:
    values = _own(lists, term, touched)
    values.insert(_at(values, value & NUMBER), value)


def _count_forms(forms: dict, uses: dict, then: dict[str, str], now: dict[str, str]) -> None:
    """A story's forms counted out as they were and in as they are; a form no story
    writes any more leaves the index."""
    for form in then.keys() - now.keys():
        uses[form] -= 1
        if not uses[form]:
            del uses[form], forms[form]
    for form in now.keys() - then.keys():
        uses[form] = uses.get(form, 0) + 1
    forms.update(now)
