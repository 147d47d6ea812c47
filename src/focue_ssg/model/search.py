"""The search index, as a pure function of the published stories.

Stories are numbered oldest first (by date, then path), so a new story takes the
next number and leaves every other where it was. Terms are sorted and cut into
parts at terms whose digest says so (content-defined boundaries, as backup tools
cut files into chunks): adding a story changes only the parts holding its terms,
never where the other parts begin. A term in more stories than `CAP` keeps the
`CAP` it matters most in (headline first, then standfirst, then count in the body,
then the newest: the order of its features' values): such a term scores little
anyway, and its list stays small on the wire. Facets (section, tag, author, year)
are terms too, so filters are lists to intersect; they are never capped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..core.digests import digest
from ..core.text import text_key
from .article import Article

CAP = 2000  # stories kept for a term; a facet keeps all
BLOCK = 200  # stories per records file
FACET = "#"  # starts a facet term; analysed terms never start with it
PART_BYTES = 24_000  # about what a part of the index should weigh, as JSON


@dataclass(frozen=True)
class Posting:
    ids: tuple[int, ...]  # story numbers, ascending
    features: tuple[int, ...]  # source/terms.py's features, by story; 0 for a facet
    count: int  # stories with the term, before capping


@dataclass(frozen=True)
class Index:
    stories: tuple[Article, ...]  # by number
    postings: dict[str, Posting]  # by term
    forms: dict[str, str]  # written form -> term, where they differ
    parts: tuple[tuple[str, ...], ...]  # the keys (terms and forms) of each part, in order


def numbered(articles: Sequence[Article]) -> tuple[Article, ...]:
    return tuple(sorted(articles, key=lambda a: (a.date.timestamp(), a.path)))


def facets(a: Article) -> list[str]:
    """A story's facet terms: its section, tags, authors and year."""
    found = [f"{FACET}y{a.date.year}"]
    if a.section:
        found.append(f"{FACET}s{text_key(a.section)}")
    found += [f"{FACET}t{text_key(tag)}" for tag in a.tags]
    found += [f"{FACET}a{text_key(name)}" for name in a.authors]
    return found


def _invert(stories: Sequence[Article]) -> tuple[dict[str, list], dict[str, str]]:
    lists: dict[str, list] = {}
    forms: dict[str, str] = {}
    for number, story in enumerate(stories):
        for line in story.search_terms.split("\n") if story.search_terms else ():
            stem, value, *written = line.split(" ")
            entry = lists.get(stem)
            if entry is None:
                entry = lists[stem] = [[], []]
            entry[0].append(number)
            entry[1].append(int(value))
            for form in written:
                forms[form] = stem
        for term in facets(story):
            entry = lists.setdefault(term, [[], []])
            entry[0].append(number)
            entry[1].append(0)
    return lists, forms


def _capped(ids: list[int], features: list[int]) -> Posting:
    """The CAP stories a term matters most in, back in number order."""
    if len(ids) <= CAP:
        return Posting(tuple(ids), tuple(features), len(ids))
    best = sorted(range(len(ids)), key=lambda i: (features[i], ids[i]), reverse=True)[:CAP]
    best.sort()
    return Posting(tuple(ids[i] for i in best), tuple(features[i] for i in best), len(ids))


def _weight(key: str, postings: dict[str, Posting]) -> int:
    """About what a key weighs in a part, as JSON."""
    posting = postings.get(key)
    return len(key) + 8 + (4 * len(posting.ids) if posting else len(key))


def _parts(postings: dict[str, Posting], forms: dict[str, str]) -> tuple[tuple[str, ...], ...]:
    """Every key a query may look up (terms, and the written forms of stemmed words),
    sorted and cut where a key's digest says so, at about PART_BYTES a part: the cut
    points depend on the keys alone, and their spacing only on the index's size to
    within a power of two."""
    terms = sorted(postings.keys() | forms.keys())
    total = sum(_weight(t, postings) for t in terms) or 1
    wanted = max(1, total // PART_BYTES)
    spacing = 1 << max(0, (len(terms) // wanted).bit_length() - 1)
    parts: list[list[str]] = []
    for term in terms:
        if not parts or int.from_bytes(digest(term.encode())[:4], "big") % spacing == 0:
            parts.append([])
        parts[-1].append(term)
    return tuple(tuple(part) for part in parts)


def build_index(articles: Sequence[Article]) -> Index:
    stories = numbered(articles)
    lists, forms = _invert(stories)
    postings = {
        term: _capped(*entry) if not term.startswith(FACET) else _whole(*entry)
        for term, entry in lists.items()
    }
    return Index(stories, postings, forms, _parts(postings, forms))


def _whole(ids: list[int], features: list[int]) -> Posting:
    return Posting(tuple(ids), tuple(features), len(ids))
