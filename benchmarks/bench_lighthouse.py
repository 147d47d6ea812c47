#!/usr/bin/env python3
"""Measure the sample site's Lighthouse performance score and the timings it is made of.

    python benchmarks/bench_lighthouse.py [--runs 3]

Builds the sample site for a free port on 127.0.0.1, serves it, and runs Lighthouse
(mobile, simulated throttling) on the pages tests/test_lighthouse.py checks, --runs
times each. Prints, per page, the median and lowest performance score, and the median
first contentful paint, largest contentful paint, total blocking time and speed index.
Lighthouse's own host benchmark (benchmarkIndex; higher is faster) is printed too: the
blocking time is the host's main-thread work scaled by a fixed factor, so a slow or
busy machine scores lower for the same page. Needs what the test needs: Debian's
chromium and FOCUE_LIGHTHOUSE (scripts/test installs Lighthouse under .venv).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from lighthouse import PAGES, available, lighthouse, page_id, served_sample

TIMINGS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time")
TIMINGS += ("speed-index",)
SHORT = ("FCP", "LCP", "TBT", "SI")


def measure(base: str, path: str, runs: int, work: Path) -> tuple[list[float], dict, list]:
    scores, timings, hosts = [], {name: [] for name in TIMINGS}, []
    for run in range(runs):
        result = lighthouse(base + path, work / f"{page_id(path)}-{run}.json")
        scores.append(result["categories"]["performance"]["score"] * 100)
        for name in TIMINGS:
            timings[name].append(result["audits"][name]["numericValue"])
        hosts.append(result["environment"]["benchmarkIndex"])
    return scores, timings, hosts


def row(path: str, scores: list[float], timings: dict) -> str:
    cells = [f"{statistics.median(timings[name]):>6.0f}" for name in TIMINGS]
    score = f"{statistics.median(scores):>6.0f} {min(scores):>4.0f}"
    return f"{page_id(path)[:40]:<40} {score} " + " ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not available():
        raise SystemExit("needs Debian's chromium and FOCUE_LIGHTHOUSE (see scripts/test)")
    hosts = []
    with tempfile.TemporaryDirectory() as temp, served_sample(Path(temp)) as (base, _):
        print(f"{'page':<40} {'median':>6} {'low':>4} " + " ".join(f"{s:>6}" for s in SHORT))
        for path in PAGES:
            scores, timings, host = measure(base, path, args.runs, Path(temp))
            hosts += host
            print(row(path, scores, timings), flush=True)
    print(f"timings in ms, median of {args.runs}; host benchmarkIndex median "
          f"{statistics.median(hosts):.0f} (range {min(hosts):.0f}-{max(hosts):.0f})")  # fmt: skip


if __name__ == "__main__":
    main()
