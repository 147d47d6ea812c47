"""Each term's list of stories, as the search index's cache keeps them: a list the
last build wrote is read from the cache's file only when a build asks for it.

At 100,000 stories the lists weigh 280 MB, and a body edit changes a few hundred of
6,500; reading them all took longer than the rest of that build's search index. So
they are pickled out of band, each list's bytes as they are in memory, which the
build cache maps rather than reads (output/cache.py), and a list becomes an array
again when first asked for.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, MutableMapping
from pickle import PickleBuffer
from typing import Any, SupportsIndex


class TermLists(MutableMapping[str, array]):
    """Term -> its packed postings (model/inversion.py). A copy shares what it was
    copied from and the arrays it read; like a dict's copy, neither sees the other's
    changes. `altered`: the terms set or deleted since the lists were made or read."""

    __slots__ = ("_origin", "_read", "_stored", "altered")

    def __init__(
        self,
        lists: dict[str, array] | None = None,
        stored: dict[str, Any] | None = None,
        altered: set[str] | None = None,
        origin: object = None,
    ):
        self._read = lists if lists is not None else {}  # arrays, made or read
        self._stored = stored if stored is not None else {}  # bytes-like, not read yet
        self.altered = altered if altered is not None else set()
        self._origin = origin if origin is not None else object()  # shared by copies

    def __getitem__(self, term: str) -> array:
        found = self._read.get(term)
        if found is None:
            values = array("Q")
            values.frombytes(memoryview(self._stored.pop(term)).cast("B"))  # KeyError: none
            found = self._read[term] = values
        return found

    def __setitem__(self, term: str, values: array) -> None:
        self._stored.pop(term, None)
        self._read[term] = values
        self.altered.add(term)

    def __delitem__(self, term: str) -> None:
        if self._stored.pop(term, None) is None:
            del self._read[term]
        self.altered.add(term)

    def __contains__(self, term: object) -> bool:
        return term in self._read or term in self._stored

    def __iter__(self) -> Iterator[str]:
        return iter([*self._read, *self._stored])  # reading moves a term between them

    def __len__(self) -> int:
        return len(self._read) + len(self._stored)

    def copy(self) -> TermLists:
        return TermLists(dict(self._read), dict(self._stored), set(self.altered), self._origin)

    def raw(self, term: str) -> object:
        """The term's list as held, read or not: what a copy shares until it changes."""
        found = self._read.get(term)
        return found if found is not None else self._stored.get(term)

    def changed_since(self, earlier: TermLists) -> set[str] | None:
        """The terms whose lists differ from `earlier`'s (a term both only read may be
        among them: its list is the same); None unless both are copies of one."""
        if self._origin is not earlier._origin:
            return None
        return {t for t in self.altered | earlier.altered if self.raw(t) is not earlier.raw(t)}

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple:
        """Each list's bytes as a buffer: the build cache writes them out of band, as
        they are in memory, and maps them back (a list not read is not copied). Before
        protocol 5, as bytes."""
        held = [*self._read.items(), *self._stored.items()]
        wrap = PickleBuffer if int(protocol) >= 5 else _bytes
        return _stored_lists, (tuple(t for t, _ in held), tuple(wrap(v) for _, v in held))


def _bytes(values: Any) -> bytes:
    return memoryview(values).cast("B").tobytes()


def _stored_lists(terms: tuple[str, ...], buffers: tuple[Any, ...]) -> TermLists:
    return TermLists(stored=dict(zip(terms, buffers, strict=True)))
