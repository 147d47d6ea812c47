#!/usr/bin/env python3
"""Time `focue build` on generated news corpora.

    python benchmarks/bench.py [--sizes 1000 10000] [--runs 3] [--work DIR]

For each size it generates a corpus with make_corpus.py (deterministic, seed 1)
and times, as separate processes: a cold build (no output folder), a rebuild
with nothing changed, a rebuild after one article's body was edited, and one
after one headline was edited. Each row gives the median wall time over the
runs, CPU time, peak memory (max RSS of the build process) and how many output
files the build wrote (files whose modification time moved). Prints a Markdown
table. Stdlib only; runs from a clean clone.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "make_corpus.py"
SEED = HERE / "seed-article.txt"
NOW = "2026-01-01T00:00:00+00:00"


def make_corpus(root: Path, articles: int) -> None:
    subprocess.run(
        [
            sys.executable,
            str(CORPUS),
            str(root),
            "--articles",
            str(articles),
            "--source",
            str(SEED),
            "--force",
        ],
        check=True,
        capture_output=True,
    )


def timed_build(site: Path) -> dict:
    """Run one build in a child process; wall, CPU and peak RSS from wait4."""
    out = site / "output"
    marker = site / ".bench-marker"
    marker.touch()
    os.utime(marker)
    since = marker.stat().st_mtime_ns
    command = [sys.executable, "-m", "focue_ssg", "build", str(site), "--now", NOW]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.stdout.read()
    process.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed in {site}")
    written = sum(1 for p in out.rglob("*") if p.is_file() and p.stat().st_mtime_ns >= since)
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "written": written,
        "files": sum(1 for p in out.rglob("*") if p.is_file()),
    }


def edit_body(site: Path) -> None:
    subprocess.run(
        [sys.executable, str(CORPUS), str(site), "--edit-one", "--source", str(SEED)],
        check=True,
        capture_output=True,
    )


def edit_headline(site: Path) -> None:
    """Change one published article's title (the same article every time)."""
    for path in sorted((site / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if "\ndraft: true" in text:
            continue
        edited = re.sub(
            r"^title: (['\"]?)(.*)\1$", r"title: \1\2 (Updated)\1", text, count=1, flags=re.M
        )
        path.write_text(edited, encoding="utf-8")
        return


def reset_output(site: Path) -> None:
    shutil.rmtree(site / "output", ignore_errors=True)
    shutil.rmtree(site / ".focue-cache", ignore_errors=True)


def measure(site: Path, runs: int) -> dict[str, list[dict]]:
    results: dict[str, list[dict]] = {
        "cold": [],
        "no change": [],
        "body edit": [],
        "headline edit": [],
    }
    for _ in range(runs):
        reset_output(site)
        results["cold"].append(timed_build(site))
        results["no change"].append(timed_build(site))
        edit_body(site)
        results["body edit"].append(timed_build(site))
        edit_headline(site)
        results["headline edit"].append(timed_build(site))
    return results


def row(size: int, kind: str, samples: list[dict]) -> str:
    med = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
    walls = [s["wall"] for s in samples]
    return (
        f"| {size:,} | {kind} | {med['wall']:.2f} ({min(walls):.2f}–{max(walls):.2f}) | "
        f"{med['cpu']:.2f} | {med['rss_mb']:.0f} | {int(med['written'])} | {int(med['files'])} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, help="where corpora go (default: a temporary folder)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="focue-bench-"))
    python = sys.version.split()[0]
    print(f"focue benchmark, {os.cpu_count()} CPUs, Python {python}, corpora in {work}\n")
    print(
        "| articles | build | wall s, median (min–max) | CPU s | peak RSS MB "
        "| files written | output files |"
    )
    print("|---:|---|---|---:|---:|---:|---:|")
    for size in args.sizes:
        site = work / f"corpus-{size}"
        make_corpus(site, size)
        for kind, samples in measure(site, args.runs).items():
            print(row(size, kind, samples), flush=True)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
