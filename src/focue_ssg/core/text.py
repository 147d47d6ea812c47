"""Text helpers every stage uses: slugs, matching keys, tags stripped, names split."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from datetime import datetime
from html import unescape as _unescape
from types import MappingProxyType

from slugify import slugify as _slugify

MAX_SLUG_LENGTH = 80
# a URL segment becomes a file or folder name (with .html, perhaps), and file systems
# hold names of up to 255 bytes
MAX_SEGMENT_BYTES = 240
SUMMARY_LENGTH = 300
_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|tr|td|th|figure)\b[^>]*>", re.I)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")
_VALID_SLUG = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?$")
_NAME_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_STRAIGHT_QUOTES = MappingProxyType(str.maketrans("‘’‚‛“”„‟", "''''\"\"\"\""))
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


_ZEROS = re.compile(r"&#0+(?=\d)")
_PAST_UNICODE = re.compile(r"&#[1-9]\d{7,};?")  # 10,000,000 and up: past U+10FFFF


def unescape(text: str) -> str:
    """`html.unescape`, which turns a decimal reference of more than 4,300 digits into a
    ValueError (int()'s limit): such numbers are past Unicode, and become U+FFFD, as
    html.unescape makes any number past U+10FFFF."""
    if "&#" not in text:
        return _unescape(text)
    return _unescape(_PAST_UNICODE.sub("\ufffd", _ZEROS.sub("&#", text)))


def strip_tags(html: str, replacement: str = "") -> str:
    return _closed_sub(_TAG, replacement, html)


def _closed_sub(tag: re.Pattern, replacement: str, html: str) -> str:
    """`tag.sub`, given only the text up to the last `>`: no tag ends after it, and each
    `<` there would have been tried to the end of the text (quadratic time)."""
    end = html.rfind(">") + 1
    return tag.sub(replacement, html[:end]) + html[end:]


@functools.lru_cache(maxsize=65536)
def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """'Xi’s $1 Trillion ‘Project’' -> 'xis-1-trillion-project'; '' when nothing is left.
    Remembered: the same tags and names are slugged on every build of a preview."""
    return _slugify(
        unescape(strip_tags(text, " ")),
        max_length=max_length,
        word_boundary=True,
        replacements=_REPLACEMENTS,
        backend="text-unidecode",
    )


def clipped(text: str, most: int = 120) -> str:
    """A value as a diagnostic quotes it: a line, not a screenful."""
    return text if len(text) <= most else f"{text[:most]}… ({len(text):,} characters)"


def slug_problem(slug: str) -> str | None:
    """Why a written slug cannot be one URL path segment (letters, digits, '-', '_' and
    '.', never '..' or a '/', short enough for a file name), or None."""
    if len(slug) > MAX_SEGMENT_BYTES:
        return f"is {len(slug):,} characters long; a slug has at most {MAX_SEGMENT_BYTES}"
    if _VALID_SLUG.match(slug) and ".." not in slug:
        return None
    hint = slugify(slug)
    suggestion = f" such as '{hint}'" if hint else ""
    return f"'{clipped(slug)}' is not a valid slug; use letters, digits and hyphens{suggestion}"


@functools.lru_cache(maxsize=65536)
def text_key(text: str) -> str:
    """Tags and headlines match ignoring case, spacing, Unicode forms and curly quotes."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_STRAIGHT_QUOTES)
    return " ".join(text.split())


def plain_text(value: str) -> str:
    """Text that may carry HTML (Jekyll excerpts): tags dropped, entities read."""
    return " ".join(unescape(strip_tags(_closed_sub(_BLOCK_TAG, " ", value))).split())


def shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """Collapse whitespace and cut at a word boundary."""
    text = " ".join(unescape(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…"


def split_names(text: str) -> tuple[str, ...]:
    """'A, B and C' -> ('A', 'B', 'C')."""
    return tuple(n.strip() for n in _NAME_SEPARATOR.split(text.strip()) if n.strip())


def is_external(target: str) -> bool:
    """A link with a scheme (https:, mailto:) or protocol-relative (//host): not a site path."""
    return bool(_SCHEME.match(target))


def isoformat(value: datetime) -> str:
    """ISO 8601 to the second, with the offset: what `<time datetime>` carries."""
    return value.isoformat(timespec="seconds")


def compact_json(value: object) -> str:
    """JSON with no spaces, for data files the browser fetches (safe in HTML too)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
