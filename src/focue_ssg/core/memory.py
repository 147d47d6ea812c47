"""The cycle collector and the build's many small objects.

A build makes hundreds of thousands of small, acyclic objects (articles, cards,
contexts, unpickled cache entries). Reference counting frees them; the cycle
collector only walks them again and again, a large share of a rebuild.
Phases that make such objects pause it; objects that live as long as the build
are frozen, so later collections skip them. Where processes fork, a child can also
work on that memory as it was (check output sizes, pickle the site model) while the
build goes on. A process that ends with its build leaves that memory to the system
rather than free it one object at a time.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import functools
import gc
import os
import sys
import threading
from collections.abc import Callable, Iterator
from typing import NoReturn

INHERITS_MEMORY = sys.platform == "linux"  # where workers fork, and inherit the build's memory


@contextlib.contextmanager
def no_gc_pauses() -> Iterator[None]:
    """Pause the cycle collector for a phase; it runs again (and catches up) after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def freeze() -> None:
    """What is alive now lives as long as the build: keep the collector off it. Frozen
    objects are still freed by reference counting; they are only never scanned."""
    gc.freeze()


def worker_start() -> None:
    """A forked worker inherits the parent's paused collector; its own work needs it."""
    gc.enable()


def may_fork() -> bool:
    """A forked child has only the thread that forked it: with others running (the
    preview's server and watcher, whose builds therefore run in a process of their own),
    a lock one of them held would stay locked there."""
    return INHERITS_MEMORY and threading.active_count() == 1


def forked(work: Callable[[], bool]) -> int:
    """A forked child running `work` on the memory as it was, exiting with 0 if `work`
    returned true and 1 otherwise (nothing of the parent's is flushed or cleaned up
    there); its pid, or 0 where a build may not fork."""
    if not may_fork():
        return 0
    child = os.fork()
    if child == 0:
        done = False
        try:
            done = work()
        finally:
            os._exit(0 if done else 1)
    return child


_ENDS_WITH_COMMAND: list[int] = []  # the process that ends when its command does
_OUTLIVING: list[tuple[object, ...]] = []


def ends_with_command() -> None:
    """This process ends when its command does (the `focue` program, not a program using
    focue as a library): what its build made may be left for the system to reclaim."""
    _ENDS_WITH_COMMAND[:] = [os.getpid()]


def outlive(*values: object) -> None:
    """Keep these to the end of a process that ends with its command (not in its forked
    children): freeing a big site's model object by object takes 0.3 to 0.7 s."""
    if os.getpid() in _ENDS_WITH_COMMAND:
        _OUTLIVING.append(values)


def release() -> None:
    """Free what was kept to the end after all: more work follows."""
    _OUTLIVING.clear()


def end_process(code: int) -> NoReturn:
    """Exit with `code`. Where a build's memory was left to the end, the exit handlers
    run and the output is flushed, but nothing is freed (os._exit)."""
    if not _OUTLIVING:
        sys.exit(code)
    atexit._run_exitfuncs()  # what a normal exit runs first; os._exit skips it
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`), say
            stream.flush()
    os._exit(code)


def give_back() -> None:
    """Return the heap memory a phase freed to the system. glibc keeps freed memory for
    reuse and rarely hands it back: the search index's lists, made and written to the
    cache, stayed in the process's memory through rendering."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc's; other C libraries have none
    except (AttributeError, OSError):
        return None
