"""A fingerprint of a page: its template set plus its full render context.

A page is re-rendered only when its fingerprint changed, so nothing about what
a page depends on has to be declared. Contexts are plain data (str, numbers,
None, dates, Markup, and dicts, lists and tuples of them). Scalars are hashed
through their `repr`, which for these types is exact and runs in C; containers
shared by many pages (article summaries in lists) are hashed once per build.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from markupsafe import Markup

CONTAINERS = (dict, list, tuple)
SCALARS = frozenset({str, int, float, bool, type(None), datetime, date, Markup})
_FLAT = frozenset({str, int, float, bool, type(None), datetime, date})
_LONG = 256  # longer strings are hashed on their own rather than repr'd


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _text_digest(text: str) -> bytes:
    return digest(text.encode("utf-8", "surrogatepass"))


_NESTED = frozenset(CONTAINERS)


def _check(value: Any) -> None:
    if type(value) not in SCALARS:
        raise TypeError(f"page contexts must be plain data, not {type(value).__name__}")


class Fingerprinter:
    """Hashes nested plain data; containers met again (by identity) cost nothing.

    A container is remembered from its second meeting on, so the memo holds the
    shared summaries, not every page's context (memory stays flat on big sites).
    """

    def __init__(self, salt: bytes = b""):
        self.salt = salt
        self.memo: dict[int, tuple[Any, bytes]] = {}
        self.met: set[int] = set()

    def of(self, value: Any) -> bytes:
        if not isinstance(value, CONTAINERS):
            _check(value)
            return hashlib.blake2b(repr(value).encode(), digest_size=16).digest()
        seen = self.memo.get(id(value))
        if seen is not None and seen[0] is value:
            return seen[1]
        result = self._container(value)
        if id(value) in self.met:
            self.memo[id(value)] = (value, result)  # keeps it alive, so its id stays its own
        else:
            self.met.add(id(value))
        return result

    def _container(self, value: dict | list | tuple) -> bytes:
        """One `repr` of the flattened items: nested containers appear as their digests."""
        is_dict = type(value) is dict
        parts: list[Any] = ["{" if is_dict else "["]
        for key, item in value.items() if is_dict else enumerate(value):
            kind = type(item)
            if (kind is str or kind is Markup) and len(item) > _LONG:
                parts.append((key, kind is Markup, _text_digest(item)))  # bodies: hash, not repr
            elif kind in _FLAT:
                parts.append((key, item))
            elif kind in _NESTED:
                parts.append((key, self.of(item)))
            elif kind is Markup:  # its repr is slow Python; the text itself says it all
                parts.append((key, "Markup", str.__str__(item)))
            elif isinstance(item, CONTAINERS):
                parts.append((key, self.of(item)))
            else:
                _check(item)
                parts.append((key, item))
        return hashlib.blake2b(
            repr(parts).encode("utf-8", "surrogatepass"), digest_size=16
        ).digest()

    def page(self, template: str, context: dict) -> bytes:
        h = hashlib.blake2b(self.salt, digest_size=16)
        h.update(template.encode())
        h.update(self.of(context))
        return h.digest()
