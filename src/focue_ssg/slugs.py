"""ASCII slugs for URLs: transliterated, readable, bounded, and never a path."""

from __future__ import annotations

import functools
import re
from html import unescape

from slugify import slugify as _slugify

MAX_SLUG_LENGTH = 80
_HTML_TAG = re.compile(r"<[^>]*>")
_VALID_SLUG = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?$")
# Apostrophes join words ("Xi's" -> "xis"); symbols that carry meaning in
# headlines and tags get words, so C, C++ and C# get distinct slugs.
_REPLACEMENTS = (
    ("’", ""),
    ("'", ""),
    ("‘", ""),
    ("+", " plus "),
    ("#", " sharp "),
    ("&", " and "),
    ("@", " at "),
)


@functools.lru_cache(maxsize=65536)
def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """'Xi’s $1 Trillion ‘Project’' -> 'xis-1-trillion-project'; '' when nothing is left.
    Remembered: the same tags and names are slugged on every build of a preview."""
    return _slugify(
        unescape(_HTML_TAG.sub(" ", text)),
        max_length=max_length,
        word_boundary=True,
        replacements=_REPLACEMENTS,
        backend="text-unidecode",
    )


def is_valid_slug(slug: str) -> bool:
    """One URL path segment: letters, digits, '-', '_' and '.', never '..' or a '/'."""
    return bool(_VALID_SLUG.match(slug)) and ".." not in slug
