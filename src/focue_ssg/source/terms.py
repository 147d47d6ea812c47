"""What the search index needs of one story, worked out when the file is parsed (in
a worker, and cached with the article): each term with how often it occurs and in
which fields, and the written forms it stands for.

A term's features pack whether it is in the headline (bit 6) and the standfirst
(bit 5) over its count in the body, capped at 31 (bits 0 to 4): the larger the
number, the more the story is about the term.
"""

from __future__ import annotations

from collections import Counter
from html import unescape

from ..core.text import strip_tags
from ..model.article import SearchTerms
from .analysis import Analyzer

HEADLINE, STANDFIRST = 64, 32
MAX_COUNT = 31

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
    for piece, count in Counter(body.split()).items():
        for form, stem in known.get(piece) or analyse.token(piece):
            value = features.get(stem, 0)
            features[stem] = (value & ~MAX_COUNT) | min(MAX_COUNT, (value & MAX_COUNT) + count)
            if form != stem:
                forms[form] = stem
    stems = sorted(features)
    return SearchTerms(
        " ".join(stems),
        bytes(features[stem] for stem in stems),
        " ".join(f"{form} {stem}" for form, stem in sorted(forms.items())),
    )
