"""Parse source files in worker processes, each under a time budget (budget.py).

A file whose parse runs past its budget is an error, not a hung build. A budget's
signal reaches only a process's main thread: a build run in a thread (by a program
using focue as a library) parses in a worker process kept from one build to the next.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..core.errors import Diagnostic, error
from ..core.layout import shown
from ..core.memory import no_gc_pauses
from ..model.article import Article
from ..model.page import Page
from ..source.parse import ParseSettings, SourceFile, parse_source
from .bodies import stored
from .budget import OverBudget, time_budget
from .cluster import Cluster
from .state import SourceStat
from .workers import (
    MIN_PARALLEL,
    Jobs,
    Progress,
    chunk_size,
    chunked,
    on_cluster,
    process_pool,
    run_chunks,
)

if TYPE_CHECKING:
    from concurrent.futures import Executor

PARSE_CHUNK = 48
PARSE_SECONDS = 10.0  # a file that takes longer to read is an error, not a hung build


@dataclass(frozen=True)
class Read:
    """A source file's bytes and stats, or why it could not be read."""

    size: int
    mtime_ns: int
    data: bytes
    problem: str | None = None  # why not, as a diagnostic says it


@dataclass(frozen=True)
class ParseTask:
    path: str  # relative to content/
    file: str  # absolute path to read
    settings: ParseSettings
    seconds: float | None = None  # the time budget, if not PARSE_SECONDS
    read: Read | None = None  # the file, read by the main process for a cluster's worker
    bodies: str | None = None  # where the body goes (output/bodies.py); None: kept inline


@dataclass(frozen=True)
class Parsed:
    path: str
    stat: SourceStat | None
    document: Article | Page | None  # what the file holds, if it parsed
    diagnostics: tuple[Diagnostic, ...]


MAX_STORY_BYTES = 16 * 2**20  # a book-length story is a few MB


def read_source(file: str) -> Read:
    """A story's bytes, unless it is too big to be one: a data file or a log saved as
    `.md` takes about 20 times its size in memory to parse (a 50 MB one took a GB)."""
    try:
        with open(file, "rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_size > MAX_STORY_BYTES:
                return Read(info.st_size, info.st_mtime_ns, b"", _too_big(info.st_size))
            return Read(info.st_size, info.st_mtime_ns, handle.read())
    except OSError as exc:
        return Read(0, 0, b"", f"cannot read: {exc.strerror or type(exc).__name__}")


def _too_big(size: int) -> str:
    return (
        f"is {size / 2**20:,.1f} MB; a story may be at most {MAX_STORY_BYTES // 2**20} MB "
        "(a data file or a video belongs in static/); not read"
    )


def _shipped(tasks: Sequence[ParseTask]) -> list[ParseTask]:
    """For a cluster's workers: the bytes go with the task, the body comes back inline."""
    return [replace(task, read=read_source(task.file), bodies=None) for task in tasks]


def _parse_one(task: ParseTask) -> Parsed:
    read = task.read or read_source(task.file)
    if read.problem is not None:
        problem = error(shown(task.path), read.problem)
        return Parsed(task.path, None, None, (problem,))
    source = SourceFile(task.path, read.data)
    stat = SourceStat(read.size, read.mtime_ns, source.digest)
    seconds = task.seconds or PARSE_SECONDS
    try:
        with time_budget(seconds):
            document, diagnostics = parse_source(source, task.settings)
    except OverBudget:
        message = (
            f"took more than {seconds:g} s to read, so it was stopped: look for "
            "deeply nested or very long runs of Markdown syntax"
        )
        return Parsed(task.path, stat, None, (error(shown(task.path), message, 1),))
    return Parsed(task.path, stat, document, diagnostics)


def _parse_chunk(tasks: Sequence[ParseTask]) -> list[Parsed]:
    """The chunk's files parsed, their bodies kept in one file where the tasks say."""
    with no_gc_pauses():
        parsed = [_parse_one(task) for task in tasks]
    folder = tasks[0].bodies if tasks else None
    if folder is None:
        return parsed
    documents = stored(folder, [p.document for p in parsed])
    return [replace(p, document=d) for p, d in zip(parsed, documents, strict=True)]


def parse_files(
    tasks: Sequence[ParseTask], jobs: Jobs, progress: Progress | None = None
) -> list[Parsed]:
    """Parsed files, in input order, the values they repeat made one object each."""
    parsed = _parse_all(tasks, jobs, progress)
    _share_values([p.document for p in parsed], {})
    return parsed


SHARED_FIELDS = ("section", "genre", "tags", "authors", "contributors", "lines")


def _share_values(documents: Sequence[Article | Page | None], table: dict) -> None:
    """Values that recur across stories (sections, tags, authors, the names of their
    front-matter fields) made one object each. Each chunk of parses arrives with
    objects of its own; shared here, they are shared in what the cache pickles, and in
    every build that loads it: 389 MB of stories at 100,000 rather than 485. The
    documents are new, held by nothing else yet, so their fields are set in place."""
    for document in documents:
        if document is None:
            continue
        for name in SHARED_FIELDS:
            value = getattr(document, name, None)
            if value is not None:
                object.__setattr__(document, name, _one(value, table))


def _one(value: object, table: dict) -> object:
    if type(value) is tuple:
        value = tuple([table.setdefault(v, v) if type(v) is str else v for v in value])
    return table.setdefault(value, value)


def _parse_all(
    tasks: Sequence[ParseTask], jobs: Jobs, progress: Progress | None = None
) -> list[Parsed]:
    """Off the main thread (a build in a thread), a few files are parsed in a worker
    process kept for the purpose, where their time budget can stop them (a signal
    reaches only a main thread). A cluster's workers are sent the files' bytes, read a
    chunk at a time as chunks are sent."""
    if isinstance(jobs, Cluster):
        if len(tasks) < MIN_PARALLEL:
            return run_chunks(_parse_chunk, tasks, 1, PARSE_CHUNK, progress)
        chunks = chunked(tasks, chunk_size(tasks, jobs.threads, PARSE_CHUNK))
        shipped = (_shipped(chunk) for chunk in chunks)
        return on_cluster(jobs, _parse_chunk, shipped, len(tasks), progress)
    on_main = threading.current_thread() is threading.main_thread()
    if on_main or len(tasks) >= MIN_PARALLEL or not tasks:
        return run_chunks(_parse_chunk, tasks, jobs, PARSE_CHUNK, progress)
    try:
        parsed = _kept_pool().submit(_parse_chunk, tasks).result()
    except BrokenExecutor:
        close_kept_pool()  # killed: the next build starts another
        raise
    if progress is not None:
        progress(len(parsed), len(tasks))
    return parsed


_KEPT: Executor | None = None  # one worker, kept from one build in a thread to the next


def _kept_pool() -> Executor:
    global _KEPT
    if _KEPT is None:
        _KEPT = process_pool(1, False, None)
    return _KEPT


def close_kept_pool() -> None:
    """Stop the kept worker, if one was started."""
    global _KEPT
    if _KEPT is not None:
        _KEPT.shutdown(wait=True, cancel_futures=True)
        _KEPT = None
