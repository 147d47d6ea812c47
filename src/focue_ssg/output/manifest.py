"""What a build wrote into one output folder: each file's record (its key and the
digest of its bytes) and what the build reported, kept in the build cache so the
next build renders and writes only what changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import Diagnostic


@dataclass(frozen=True)
class OutputRecord:
    """What the last build wrote at one output path."""

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

    # Records are stored as columns of plain values, which load in a fraction of the
    # time 200,000 objects take, and become records again only when a build reads
    # them: a build with nothing to do only checks the files' sizes.

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        records = state.pop("records", None)
        if records is not None:
            rows = records.values()
            columns = (tuple(r.key for r in rows), tuple(r.digest for r in rows))
            state["_columns"] = (tuple(records), *columns, tuple(r.size for r in rows))
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def __getattr__(self, name: str) -> Any:  # only for what the instance lacks
        if name != "records" or "_columns" not in self.__dict__:
            raise AttributeError(name)
        paths, keys, digests, sizes = self.__dict__.pop("_columns")
        self.records = dict(zip(paths, map(OutputRecord, keys, digests, sizes), strict=True))
        return self.records

    def sizes(self) -> Iterable[tuple[str, int]]:
        """Each output file's path and size, without making records."""
        columns = self.__dict__.get("_columns")
        if columns is not None:
            return zip(columns[0], columns[3], strict=True)
        return ((rel, r.size) for rel, r in self.records.items())

    @property
    def files(self) -> int:
        columns = self.__dict__.get("_columns")
        return len(columns[0]) if columns is not None else len(self.records)
