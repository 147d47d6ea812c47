"""What the search index needs of one story, worked out when the file is parsed (in
a worker, and cached with the article): each term with how often it occurs and in
which fields, and the written forms it stands for.

One string per story, a line per term: `stem features form form...`. `features`
packs whether the term is in the headline (bit 6) and the standfirst (bit 5) over
its count in the body, capped at 31 (bits 0 to 4): the larger the number, the more
the story is about the term. A plain string keeps the cache of parsed articles small
and quick to load.
"""

from __future__ import annotations

from html import unescape

from ..core.text import strip_tags
from .analysis import Analyzer

HEADLINE, STANDFIRST = 64, 32
MAX_COUNT = 31

_analyzers: dict[str, Analyzer] = {}


def analyzer(language: str) -> Analyzer:
    """One per process and language: each remembers the tokens it has seen."""
    if language not in _analyzers:
        _analyzers[language] = Analyzer(language)
    return _analyzers[language]


def story_terms(language: str, title: str, summary: str, body_html: str) -> str:
    """The story's terms, encoded as the module says."""
    analyse = analyzer(language).counts
    body = unescape(strip_tags(body_html, " "))
    features: dict[str, int] = {}
    forms: dict[str, set[str]] = {}
    for field, text in ((HEADLINE, title), (STANDFIRST, summary), (0, body)):
        for (form, stem), count in analyse(text).items():
            known = features.get(stem, 0)
            if field:
                features[stem] = known | field
            else:  # the body: its count
                features[stem] = (known & ~MAX_COUNT) | min(MAX_COUNT, (known & MAX_COUNT) + count)
            if form != stem:
                forms.setdefault(stem, set()).add(form)
    return "\n".join(
        " ".join((stem, str(value), *sorted(forms.get(stem, ()))))
        for stem, value in sorted(features.items())
    )
