"""Time budgets: work that runs too long is stopped by a signal and becomes an error
naming what it was working on, not a hung build.

A signal reaches only a process's main thread: the command line's and the workers'.
Elsewhere (a program running a build in a thread, a cluster's worker threads) a
budget does nothing. Python code is interrupted between two steps; one step in C
runs to its end. A program's own timer (`signal.alarm`) waits while a budget runs,
and is put back after it.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator


class OverBudget(Exception):
    """A task ran past its time budget."""


def _over_budget(signum: int, frame: object) -> None:
    raise OverBudget


def _signals_reach_here() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class Budget:
    """A budget for each of many tasks in turn: the signal's handler is set once, and
    `start` and `stop` cost a system call each (a page is rendered in well under a
    millisecond)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.usable = False
        self.previous: object = None
        self.outer = (0.0, 0.0)  # a timer of the program around the build, put back after
        self.entered = 0.0

    def __enter__(self) -> Budget:
        self.usable = _signals_reach_here()
        if self.usable:
            self.previous = signal.signal(signal.SIGALRM, _over_budget)
            self.outer = signal.setitimer(signal.ITIMER_REAL, 0)
            self.entered = time.monotonic()
        return self

    def start(self) -> None:
        if self.usable:
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def stop(self) -> None:
        if self.usable:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def __exit__(self, *exc: object) -> None:
        if self.usable:
            self.stop()
            signal.signal(signal.SIGALRM, self.previous)  # type: ignore[arg-type]
            if self.outer[0] > 0:  # what was left of it; due already: at once
                left = self.outer[0] - (time.monotonic() - self.entered)
                signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), self.outer[1])


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Interrupt the work inside after `seconds`: it raises OverBudget."""
    with Budget(seconds) as budget:
        budget.start()
        yield
