"""Spread work over processes: page work (context, key, render), photos, and the
chunks of parsing.py.

Every task is a pure function of its input and results are put back in input
order, so the output is identical for any number of jobs. On Linux the page
workers are forked once the site model exists and read it from the memory they
inherited. Elsewhere, and in a process running other threads, the
workers come from spawn or a fork server and are sent the page work once each.
`jobs` may also be a Dask cluster (cluster.py), whose workers share no files with
the build: they are sent what they would read and send back what they would write.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from jinja2 import Environment

from ..core.digests import digest
from ..core.errors import Diagnostic
from ..core.memory import give_back, may_fork, no_gc_pauses, worker_start
from ..model.article import StoredBody, bodies_sent
from ..pages.plan import Plan
from ..render.environment import make_environment, render_page, template_diagnostic
from ..render.theme import TemplateFiles, Theme, template_files
from .budget import Budget, OverBudget
from .cluster import Cluster
from .encode import EncodeTask, encode
from .manifest import OutputRecord
from .write import same_bytes, stage_file

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

PAGE_CHUNK = 256
MIN_PARALLEL = 96  # below this many tasks, starting processes costs more than it saves
RENDER_SECONDS = 60.0  # a page that takes longer is an error, not a hung build

T = TypeVar("T")
R = TypeVar("R")
Jobs = int | Cluster  # local processes, or a cluster to send the work to


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def process_pool(jobs: int, fork: bool, work: PageWork | None) -> Executor:
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


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


Progress = Callable[[int, int], None]


def chunk_size(items: Sequence, jobs: int, size: int) -> int:
    """At most `size`, and small enough that each worker gets several chunks."""
    return max(1, min(size, len(items) // (jobs * 8) or 1))


def on_cluster(
    cluster: Cluster,
    work: Callable,
    chunks: Iterable[Sequence],
    total: int,
    progress: Progress | None,
    shared: PageWork | None = None,
    each: Callable[[R], R] | None = None,
) -> list:
    """`work`'s results in order; `each`: applied to every result as its chunk arrives
    (so what a result holds need not wait for the last chunk)."""
    results: list = []
    for done in cluster.map(work, chunks, shared):
        results += done if each is None else map(each, done)
        if progress is not None:
            progress(len(results), total)
    return results


def run_chunks(
    work: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    jobs: int,
    size: int,
    progress: Progress | None = None,
    pages: PageWork | None = None,
    least: int = MIN_PARALLEL,
) -> list[R]:
    """Apply `work` to chunks of `items`, in processes when it pays; results in order.
    `pages`: the page work the workers need besides their chunks (this process then
    takes chunks too, see `_helped`); `least`: the fewest items worth starting
    processes for."""
    parallel = jobs > 1 and len(items) >= least
    chunks = chunked(items, chunk_size(items, jobs, size) if parallel else size)
    workers = min(jobs, len(chunks)) - (pages is not None)
    parallel = parallel and workers > 0
    fork = may_fork()
    done: dict[int, list[R]] = {}
    count = 0
    with (
        process_pool(workers, fork, None if fork else pages)
        if parallel
        else contextlib.nullcontext()
    ) as pool:
        if pool is None:
            finished: Iterable[tuple[int, list[R]]] = enumerate(map(work, chunks))
        elif pages is None:
            finished = enumerate(pool.map(work, chunks))
        else:
            finished = _helped(pool, workers, work, chunks)
        for number, results in finished:
            done[number], count = results, count + len(results)
            if progress is not None:
                progress(count, len(items))
    return [result for number in range(len(chunks)) for result in done[number]]


AHEAD = 2  # chunks queued for each worker, so none waits while this process works


def _helped(
    pool: Executor, workers: int, work: Callable[[Sequence[T]], list[R]], chunks: list
) -> Iterator[tuple[int, list[R]]]:
    """Each chunk's number and results as it is done, this process taking chunks from
    the end while the workers take them from the front. Each process that renders
    copies the pages of inherited memory it reads (CPython writes reference counts),
    so rendering here rather than in one more worker saves a whole copy of the model."""
    from concurrent.futures import FIRST_COMPLETED, wait

    ahead: deque = deque(enumerate(chunks))
    pending: dict[Future, int] = {}
    try:
        while ahead or pending:
            while ahead and len(pending) < AHEAD * workers:
                number, chunk = ahead.popleft()
                pending[pool.submit(work, chunk)] = number
            if ahead:
                number, chunk = ahead.pop()
                yield number, work(chunk)
            else:
                wait(pending, return_when=FIRST_COMPLETED)
            for future in [f for f in pending if f.done()]:
                yield pending.pop(future), future.result()
    finally:
        for future in pending:
            future.cancel()


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
    tasks: Sequence[EncodeTask], jobs: Jobs, progress: Progress | None = None
) -> list[Encoded]:
    """Each photo's missing variants, a photo per task: worth a process from two. With
    a cluster, photos are encoded here: the variants go to the build cache's store."""
    local = default_jobs() if isinstance(jobs, Cluster) else jobs
    return run_chunks(_encode_chunk, tasks, local, 1, progress, least=2)


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
    templates: TemplateFiles | None = None  # the templates as text, for a cluster's workers

    @classmethod
    def in_memory(
        cls, plan: Plan, theme: Theme, salt: bytes, site_dir: Path, output: Path
    ) -> PageWork:
        """Pages rendered and compared with nothing, written nowhere (focue check)."""
        return cls(plan, theme, salt, {}, None, False, site_dir, None, output, check_disk=False)

    @property
    def remote(self) -> bool:
        """Made for a cluster's workers: changed pages go back as bytes, not to the stage."""
        return self.templates is not None


@dataclass(frozen=True)
class PageDone:
    index: int
    record: OutputRecord | None
    staged: bool
    diagnostic: Diagnostic | None = None
    data: bytes | None = None  # from a cluster's worker: the bytes, for the main process to place


_WORK: PageWork | None = None
_SLOW: dict[str, Diagnostic] = {}  # templates a page of went over budget, in this render


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
        _ENVIRONMENTS[key] = make_environment(work.theme, work.compiled, work.templates)
    return _ENVIRONMENTS[key]


def _one_page(work: PageWork, index: int, env: Environment, budget: Budget) -> PageDone:
    spec = work.plan.specs[index]
    key = _key(work, index)
    page = work.plan.page(index)
    if page.template in _SLOW:  # each of its pages would take the whole budget too
        return PageDone(index, None, False, _SLOW[page.template])
    budget.start()
    try:
        data = render_page(env, page)
    except OverBudget as exc:
        problem = _SLOW[page.template] = template_diagnostic(exc, page, work.site_dir, _slow())
        return PageDone(index, None, False, problem)
    except Exception as exc:  # a theme is code: what it raises is its error, at its line
        return PageDone(index, None, False, template_diagnostic(exc, page, work.site_dir))
    finally:
        budget.stop()
    record = OutputRecord(key, digest(data), len(data))
    old = work.old.get(spec.output)
    if old is not None and old.digest == record.digest:
        return PageDone(index, record, False)
    if work.remote:
        return PageDone(index, record, False, data=data)
    return _place(work, PageDone(index, record, False), data)


def _place(work: PageWork, done: PageDone, data: bytes) -> PageDone:
    """Stage a page whose bytes differ from the last build's record, unless the output
    already holds them (no record to compare with) or this is a check."""
    output = work.plan.specs[done.index].output
    if output not in work.old and work.check_disk and same_bytes(work.output / output, data):
        return done
    if work.stage is None:  # a check: render to find errors, write nothing
        return done
    stage_file(work.stage, output, data)
    return replace(done, staged=True)


def _slow() -> str:
    return (
        f"took more than {RENDER_SECONDS:g} s, so it was stopped: look for a loop over "
        "a very large range, or a very large string or list made"
    )


class _PageChunk:
    """Page work for a chunk of indexes; picklable (the work travels only where it must)."""

    def __init__(self, work: PageWork | None):
        self.work = work

    def __call__(self, indexes: Sequence[int]) -> list[PageDone]:
        work = self.work or _WORK
        assert work is not None
        env = _environment(work)
        with no_gc_pauses(), Budget(RENDER_SECONDS) as budget:
            return [_one_page(work, index, env, budget) for index in indexes]


Shipped = tuple[Sequence[int], dict[StoredBody, bytes]]  # pages, and the bodies they show


def _pages_with(work: PageWork, chunk: Shipped) -> list[PageDone]:
    """A chunk of pages on a cluster's worker, given the page work scattered to it."""
    indexes, bodies = chunk
    with bodies_sent(bodies):
        return _PageChunk(work)(indexes)


def _with_bodies(plan: Plan, chunks: Iterable[Sequence[int]]) -> Iterator[Shipped]:
    """Each chunk with the bodies its pages show, read as it is sent: a worker is sent
    the stories it renders, not the whole site's."""
    for indexes in chunks:
        stored = set().union(*map(plan.bodies, indexes))
        yield indexes, {body: body.read() for body in stored}


def _pages_on(cluster: Cluster, work: PageWork, indexes: Sequence[int], progress) -> list:
    """The page work (the site model, with no bodies) goes to each worker once, with the
    templates as text; each chunk carries its own bodies. A changed page comes back as
    bytes and is placed here as its chunk arrives, so the bytes of the whole site are
    never held at once."""
    shipped = replace(work, compiled=None, templates=template_files(work.theme))
    chunks = _with_bodies(
        work.plan, chunked(indexes, chunk_size(indexes, cluster.threads, PAGE_CHUNK))
    )

    def placed(done: PageDone) -> PageDone:
        return done if done.data is None else _place(work, replace(done, data=None), done.data)

    return on_cluster(cluster, _pages_with, chunks, len(indexes), progress, shipped, placed)


def process_pages(
    work: PageWork, indexes: Sequence[int], jobs: Jobs, progress: Progress | None = None
) -> list[PageDone]:
    """Render the pages at `indexes`; those whose bytes changed go to the stage."""
    global _WORK
    _SLOW.clear()  # before the workers fork
    if isinstance(jobs, Cluster):
        if len(indexes) >= MIN_PARALLEL:
            return _pages_on(jobs, work, indexes, progress)
        jobs = 1
    try:
        if jobs <= 1 or len(indexes) < MIN_PARALLEL:
            return run_chunks(_PageChunk(work), indexes, 1, PAGE_CHUNK, progress)
        _WORK = work  # set before the workers fork, so they inherit it
        gc.freeze()  # the workers' collectors then leave inherited objects (and pages) alone
        give_back()  # nor do the workers inherit memory that nothing uses
        return run_chunks(_PageChunk(None), indexes, jobs, PAGE_CHUNK, progress, work)
    finally:
        _WORK = None
