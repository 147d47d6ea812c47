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
from html import unescape

from ..core.text import strip_tags
from ..model.article import SearchTerms
from .analysis import Analyzer

HEADLINE, STANDFIRST = 64, 32
MAX_BUCKET = 7

_analyzers: dict[str, Analyzer] = {}


def analyzer(language: str) -> Analyzer:
    """One per process and language: each remembers the tokens it has seen."""
    if language not in _analyzers:
        _analyzers[language] = Analyzer(language)
    return _analyzers[language]


def story_terms(language: str, title: str, summary: str, body_html: str) -> SearchTerms:
    """The story's terms, their features and the forms written for them. One pass
    over the distinct tokens of each field (news copy repeats its words)."""
    analyse = analyzer(language)
    features: dict[str, int] = {}
    forms: dict[str, str] = {}
    for field, text in ((HEADLINE, title), (STANDFIRST, summary)):
        for piece in set(text.split()):
            for form, stem in analyse.token(piece):
                features[stem] = features.get(stem, 0) | field
                if form != stem:
                    forms[form] = stem
    body = unescape(strip_tags(body_html, " "))
    known = analyse.known
    counts: Counter[str] = Counter()
    for piece, count in Counter(body.split()).items():
        for form, stem in known.get(piece) or analyse.token(piece):
            counts[stem] += count
            if form != stem:
                forms[form] = stem
    for stem, count in counts.items():
        features[stem] = features.get(stem, 0) | min(MAX_BUCKET, count.bit_length())
    stems = sorted(features)
    return SearchTerms(
        " ".join(stems),
        bytes(features[stem] for stem in stems),
        " ".join(f"{form} {stem}" for form, stem in sorted(forms.items())),
    )
