"""What the search index needs of one story, worked out when the file is parsed (in
a worker, and cached with the article): each term with how often it occurs and in
which fields, and the written forms it stands for.

A term's features pack whether it is in the headline (bit 6) and the standfirst
(bit 5) over how often it is in the body, in powers of two (bits 0 to 2: 1 once,
2 for 2 or 3 times, 3 for 4 to 7, ... 7 for 64 or more): the larger the number, the
more the story is about the term. Powers of two, because ranking needs no more, and
an edit that adds a word once more to a story then seldom changes the index.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import chain, filterfalse, repeat

from ..core.text import strip_tags, unescape
from ..model.article import SearchTerms
from .analysis import Analyzer

HEADLINE, STANDFIRST = 64, 32
MAX_BUCKET = 7
BUCKETS = bytes(min(MAX_BUCKET, count.bit_length()) for count in range(4096))  # by count

_analyzers: dict[str, Analyzer] = {}


def analyzer(language: str) -> Analyzer:
    """One per process and language: each remembers the tokens it has seen."""
    if language not in _analyzers:
        _analyzers[language] = Analyzer(language)
    return _analyzers[language]


def story_terms(language: str, title: str, summary: str, body_html: str) -> SearchTerms:
    """The story's terms (those of its headline and standfirst first, then the body's
    in the order they come), their features and the forms written for them."""
    analyse = analyzer(language)
    lead: dict[str, int] = {}
    forms: dict[str, str] = {}
    for field, text in ((HEADLINE, title), (STANDFIRST, summary)):
        for form, stem in analyse.query(text):
            lead[stem] = lead.get(stem, 0) | field
            if form != stem:
                forms[form] = stem
    counts = Counter(dict.fromkeys(lead, 0))
    _count_body(analyse, unescape(strip_tags(body_html, " ")).split(), counts, forms)
    features = bytearray(map(BUCKETS.__getitem__, _below(counts.values(), len(BUCKETS))))
    for at, bits in enumerate(lead.values()):
        features[at] |= bits
    return SearchTerms(
        " ".join(counts), bytes(features), " ".join(chain.from_iterable(forms.items()))
    )


def _below(counts: Iterable[int], limit: int) -> Iterable[int]:
    """The counts, any of `limit` or more made `limit - 1` (as high a bucket)."""
    return counts if max(counts, default=0) < limit else map(min, counts, repeat(limit - 1))


def _count_body(analyse: Analyzer, pieces: list[str], counts: Counter, forms: dict) -> None:
    """Each piece of the body (text between white space) counted under its stem, and
    its written form kept, by `map` in C: a piece is analysed once per process, into
    `Analyzer.key_of` and `form_of`. A piece new to the process, or of several terms
    (or none), is seen to after."""
    key_of = analyse.key_of
    counts.update(map(key_of.get, pieces))
    if counts.pop(None, 0):
        new = list(filterfalse(key_of.__contains__, pieces))
        for piece in dict.fromkeys(new):
            analyse.token(piece)
        counts.update(map(key_of.__getitem__, new))
    forms.update(filter(None, map(analyse.form_of.get, pieces)))
    for terms in sorted(analyse.several.intersection(counts)):
        count = counts.pop(terms)
        for form, stem in terms:
            counts[stem] += count
            if form != stem:
                forms[form] = stem
