"""Spread Markdown parsing and page work (context, key, render) over processes.

Every task is a pure function of its input and results are put back in input
order, so the output is identical for any number of jobs. On Linux the page
workers are forked once the site model exists and read it from the memory they
inherited. Elsewhere, and in a process running other threads (the preview), the
workers come from spawn or a fork server and are sent the page work once each.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from jinja2 import Environment

from ..core.digests import digest
from ..core.errors import Diagnostic, error
from ..core.layout import shown
from ..core.memory import no_gc_pauses, worker_start
from ..model.article import Article
from ..model.page import Page
from ..pages.plan import Plan
from ..render.environment import RENDER_ERRORS, make_environment, render_page, template_diagnostic
from ..render.theme import Theme
from ..source.parse import ParseSettings, SourceFile, parse_source
from .cache import OutputRecord, SourceStat
from .encode import EncodeTask, encode
from .write import same_bytes, stage_file

if TYPE_CHECKING:
    from concurrent.futures import Executor

PARSE_CHUNK = 48
PARSE_SECONDS = 10.0  # a file that takes longer to read is an error, not a hung build
PAGE_CHUNK = 256
MIN_PARALLEL = 96  # below this many tasks, starting processes costs more than it saves
INHERITS_MEMORY = sys.platform == "linux"

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _may_fork() -> bool:
    """A forked child has only the thread that forked it: with others running (the
    preview's server and watcher), a lock one of them held would stay locked there."""
    return INHERITS_MEMORY and threading.active_count() == 1


def _executor(jobs: int, fork: bool, work: PageWork | None) -> Executor:
    """Forked workers inherit the page work; others (spawned, or forked from a clean
    fork server) are sent it once each, when they start."""
    # imported here: a small rebuild works in-process and need not pay for them
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    method = "fork" if fork else "forkserver" if "forkserver" in methods else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload([__name__])  # its workers start with this imported
    return ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(work,)
    )


def _start_worker(work: PageWork | None) -> None:
    global _WORK
    worker_start()
    if work is not None:
        _WORK = work


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


Progress = Callable[[int, int], None]


def _run(
    work: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    jobs: int,
    size: int,
    progress: Progress | None = None,
    pages: PageWork | None = None,
    least: int = MIN_PARALLEL,
) -> list[R]:
    """Apply `work` to chunks of `items`, in processes when it pays; results in order.
    `pages`: the page work the workers need besides their chunks; `least`: the fewest
    items worth starting processes for."""
    results: list[R] = []
    parallel = jobs > 1 and len(items) >= least
    chunks = _chunks(items, max(1, min(size, len(items) // (jobs * 8) or 1)) if parallel else size)
    fork = _may_fork()
    with (
        _executor(min(jobs, len(chunks)), fork, None if fork else pages)
        if parallel
        else contextlib.nullcontext()
    ) as pool:
        for done in pool.map(work, chunks) if pool else map(work, chunks):
            results += done
            if progress is not None:
                progress(len(results), len(items))
    return results


# -- parsing ----------------------------------------------------------------


@dataclass(frozen=True)
class ParseTask:
    path: str  # relative to content/
    file: str  # absolute path to read
    settings: ParseSettings
    seconds: float | None = None  # the time budget, if not PARSE_SECONDS


@dataclass(frozen=True)
class Parsed:
    path: str
    stat: SourceStat | None
    document: Article | Page | None  # what the file holds, if it parsed
    diagnostics: tuple[Diagnostic, ...]


class OverBudget(Exception):
    """A task ran past its time budget."""


def _over_budget(signum: int, frame: object) -> None:
    raise OverBudget


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Interrupt the work inside after `seconds` (it raises OverBudget), where a signal
    can reach it: in a process's main thread, as in the workers and the command line.
    Python code is interrupted between two steps; one step in C runs to its end."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _over_budget)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _parse_one(task: ParseTask) -> Parsed:
    try:
        with open(task.file, "rb") as handle:
            info = os.fstat(handle.fileno())
            data = handle.read()
    except OSError as exc:
        problem = error(shown(task.path), f"cannot read: {exc.strerror}")
        return Parsed(task.path, None, None, (problem,))
    source = SourceFile(task.path, data)
    stat = SourceStat(info.st_size, info.st_mtime_ns, source.digest)
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
    with no_gc_pauses():
        return [_parse_one(task) for task in tasks]


def parse_files(
    tasks: Sequence[ParseTask], jobs: int, progress: Progress | None = None
) -> list[Parsed]:
    """Parsed files, in input order. Off the main thread (the preview's builder), a few
    files are parsed in a worker process kept for the purpose, where their time budget
    can stop them (a signal reaches only a main thread)."""
    on_main = threading.current_thread() is threading.main_thread()
    if on_main or len(tasks) >= MIN_PARALLEL or not tasks:
        return _run(_parse_chunk, tasks, jobs, PARSE_CHUNK, progress)
    parsed = _kept_pool().submit(_parse_chunk, tasks).result()
    if progress is not None:
        progress(len(parsed), len(tasks))
    return parsed


_KEPT: Executor | None = None  # one worker, kept from one preview build to the next


def _kept_pool() -> Executor:
    global _KEPT
    if _KEPT is None:
        _KEPT = _executor(1, False, None)
    return _KEPT


def close_kept_pool() -> None:
    """Stop the kept worker (the preview, when it stops)."""
    global _KEPT
    if _KEPT is not None:
        _KEPT.shutdown(wait=True, cancel_futures=True)
        _KEPT = None


# -- photos ---------------------------------------------------------------------


@dataclass(frozen=True)
class Encoded:
    made: int  # variants written to the store
    problem: str | None = None  # why the photo could not be encoded


def _encode_chunk(tasks: Sequence[EncodeTask]) -> list[Encoded]:
    done = []
    for task in tasks:
        try:
            encode(task)
            done.append(Encoded(len(task.variants)))
        except (OSError, ValueError, SyntaxError, MemoryError) as exc:
            done.append(Encoded(0, str(exc) or type(exc).__name__))
    return done


def encode_photos(
    tasks: Sequence[EncodeTask], jobs: int, progress: Progress | None = None
) -> list[Encoded]:
    """Each photo's missing variants, a photo per task: worth a process from two."""
    return _run(_encode_chunk, tasks, jobs, 1, progress, least=2)


# -- pages: context, render, stage -----------------------------------------------


@dataclass(frozen=True)
class PageWork:
    """Everything page workers need; forked workers inherit it, others get it pickled."""

    plan: Plan
    theme: Theme
    salt: bytes  # the template set and code, part of every key
    old: dict[str, OutputRecord]  # what the last build wrote, by output path
    keys: tuple[bytes, ...] | None  # by spec index; None: made by the workers, if `keyed`
    keyed: bool  # the records are kept (the cache is on), so every page needs its key
    site_dir: Path
    stage: Path | None  # None: render only (focue check)
    output: Path
    check_disk: bool  # no manifest: compare with the bytes already in the output folder
    compiled: Path | None = None  # where compiled templates are kept between builds


@dataclass(frozen=True)
class PageDone:
    index: int
    record: OutputRecord | None
    staged: bool
    diagnostic: Diagnostic | None = None


_WORK: PageWork | None = None


def _key(work: PageWork, index: int) -> bytes:
    """The page's key; made here when the main process left that to the workers (a
    first build has nothing to compare keys with, so nothing waits for them)."""
    if work.keys is not None:
        return work.keys[index]
    return work.plan.key(index, work.salt, keep=True) if work.keyed else b""


_ENVIRONMENTS: dict[tuple, Environment] = {}


def _environment(work: PageWork) -> Environment:
    """One environment per template set: the salt digests every template file, so a
    process that builds again (the preview) never renders with templates compiled
    before an edit. Only the newest is kept."""
    key = (work.theme, work.salt, work.compiled)
    if key not in _ENVIRONMENTS:
        _ENVIRONMENTS.clear()
        _ENVIRONMENTS[key] = make_environment(work.theme, work.compiled)
    return _ENVIRONMENTS[key]


def _one_page(work: PageWork, index: int, env: Environment) -> PageDone:
    spec = work.plan.specs[index]
    key = _key(work, index)
    page = work.plan.page(index)
    try:
        data = render_page(env, page)
    except RENDER_ERRORS as exc:
        return PageDone(index, None, False, template_diagnostic(exc, page, work.site_dir))
    record = OutputRecord(key, digest(data), len(data))
    old = work.old.get(spec.output)
    if old is not None and old.digest == record.digest:
        return PageDone(index, record, False)
    if old is None and work.check_disk and same_bytes(work.output / spec.output, data):
        return PageDone(index, record, False)
    if work.stage is None:  # a check: render to find errors, write nothing
        return PageDone(index, record, False)
    stage_file(work.stage, spec.output, data)
    return PageDone(index, record, True)


class _PageChunk:
    """Page work for a chunk of indexes; picklable (the work travels only where it must)."""

    def __init__(self, work: PageWork | None):
        self.work = work

    def __call__(self, indexes: Sequence[int]) -> list[PageDone]:
        work = self.work or _WORK
        assert work is not None
        env = _environment(work)
        with no_gc_pauses():
            return [_one_page(work, index, env) for index in indexes]


def process_pages(
    work: PageWork, indexes: Sequence[int], jobs: int, progress: Progress | None = None
) -> list[PageDone]:
    """Render the pages at `indexes`; those whose bytes changed go to the stage."""
    global _WORK
    try:
        if jobs <= 1 or len(indexes) < MIN_PARALLEL:
            return _run(_PageChunk(work), indexes, 1, PAGE_CHUNK, progress)
        _WORK = work  # set before the workers fork, so they inherit it
        gc.freeze()  # the workers' collectors then leave inherited objects (and pages) alone
        return _run(_PageChunk(None), indexes, jobs, PAGE_CHUNK, progress, work)
    finally:
        _WORK = None
