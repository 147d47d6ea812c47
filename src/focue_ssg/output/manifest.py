"""What a build wrote into one output folder: each file's record (its key and the
digest of its bytes) and what the build reported, kept in the build cache so the
next build renders and writes only what changed."""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, NamedTuple

from ..core.errors import Diagnostic
from ..core.layout import CACHE_DIR
from ..core.memory import no_gc_pauses

UNREADABLE = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError)
UNREADABLE += (TypeError, ValueError)  # what unpickling damaged or foreign bytes raises


def unpacked(packed: bytes, default: Any) -> Any:
    """A value pickled apart inside the cache's state, or `default` if its bytes were
    damaged since (the whole file's own damage is caught, with a note, as it is read)."""
    try:
        with no_gc_pauses():
            return pickle.loads(packed)
    except UNREADABLE:
        return default


def lasting(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """What a build with nothing to do repeats of the last one's diagnostics: all but
    its notes on the cache, which told of what that build found there ("written by
    another version ...; rebuilding every page")."""
    return tuple(d for d in diagnostics if d.path != CACHE_DIR)


class OutputRecord(NamedTuple):
    """What the last build wrote at one output path. A named tuple: a manifest makes
    200,000 of them in C (see `Manifest.records`), at half a dataclass's time and size."""

    key: bytes  # what it was made from: a page's recipe and templates, a static file's stat
    digest: bytes  # of the bytes written
    size: int


@dataclass
class Manifest:
    """One output folder's pages, and what the last successful build reported."""

    records: dict[str, OutputRecord] = field(default_factory=dict)
    inputs: bytes = b""  # signature of everything the build read, for the no-change shortcut
    valid_from: float = 0.0  # the "now" of the build that wrote it
    valid_until: float = 0.0  # the build's output could change on its own after this time
    counts: dict[str, int] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    sources: dict[str, int] = field(default_factory=dict)  # what became of each source file
    shape: bytes = b""  # of all the site model was made from (output/shape.py)
    origins: bytes = b""  # the source_digest of every document, sorted and joined

    # Records are stored as columns of plain values, pickled apart, which load in a
    # fraction of the time 200,000 objects take: a build with nothing to do unpickles
    # only the paths and sizes, in the child that checks them, and a build that reads
    # the records makes them then, with their keys and digests.

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        records = state.pop("records", None)
        if records is not None:
            rows = records.values()
            sized = (tuple(records), tuple(r.size for r in rows))
            made = (tuple(r.key for r in rows), tuple(r.digest for r in rows))
            state["_packed"] = pickle.dumps(sized, protocol=pickle.HIGHEST_PROTOCOL)
            state["_made"] = pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL)
            state["_count"] = len(records)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def __getattr__(self, name: str) -> Any:  # only for what the instance lacks
        if name != "records" or "_packed" not in self.__dict__:
            raise AttributeError(name)
        paths, sizes = unpacked(self.__dict__.pop("_packed"), ((), ()))
        keys, digests = unpacked(self.__dict__.pop("_made"), ((), ()))
        if not len(paths) == len(keys) == len(sizes) == len(digests):
            paths = sizes = keys = digests = ()  # damaged: every page is made again
        with no_gc_pauses():
            made = map(tuple.__new__, repeat(OutputRecord), zip(keys, digests, sizes, strict=True))
            self.records = dict(zip(paths, made, strict=True))
        del self.__dict__["_count"]
        return self.records

    def sizes(self) -> Iterable[tuple[str, int]]:
        """Each output file's path and size, without making records."""
        packed = self.__dict__.get("_packed")
        if packed is not None:
            paths, sizes = unpacked(packed, ((), ()))
            return zip(paths, sizes, strict=True)
        return ((rel, r.size) for rel, r in self.records.items())

    @property
    def files(self) -> int:
        count = self.__dict__.get("_count")
        return count if count is not None else len(self.records)
