"""How long each phase of a build took, for the report and the summary line."""

from __future__ import annotations

import time


class Stopwatch:
    """Phase timings for the report; they never influence the output."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.timings[phase] = round(self.timings.get(phase, 0.0) + now - self.last, 4)
        self.last = now
