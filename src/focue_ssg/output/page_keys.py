"""Every page's key, for a build whose site model changed: each page's recipe is made
and digested, 3 s at 100,000 stories in one process. So the build process and
workers forked beside it take chunks of the pages, as they do to render them.

A worker's additions to the memo of cutoff recipes are not brought back: the cards
it keeps are made here first (`Parts.prime`), and the rest are made again if asked.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence

from ..core.memory import may_fork
from ..pages.plan import Plan
from .workers import Jobs, run_chunks

KEY_CHUNK = 1024
KEYS_LEAST = 8192  # fewer pages' keys are made in this process: a worker costs more

_KEYED: tuple[Plan, bytes] | None = None  # what forked workers inherit


def page_keys(plan: Plan, salt: bytes, jobs: Jobs) -> tuple[bytes, ...]:
    """Each page's key, in the order of `plan.specs`."""
    global _KEYED
    count = len(plan.specs)
    if not isinstance(jobs, int) or jobs < 2 or count < KEYS_LEAST or not may_fork():
        return tuple(plan.key(index, salt) for index in range(count))
    _KEYED = plan, salt  # set before the workers fork, so they inherit it
    try:
        gc.freeze()  # the workers' collectors then leave inherited objects alone
        return tuple(run_chunks(_keys_of, range(count), jobs, KEY_CHUNK, helped=True))
    finally:
        _KEYED = None


def _keys_of(indexes: Sequence[int]) -> list[bytes]:
    assert _KEYED is not None
    plan, salt = _KEYED
    return [plan.key(index, salt) for index in indexes]
