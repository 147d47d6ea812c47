#!/usr/bin/env python3
"""Build stories made of long runs, and flag the builds that hang, crash or slow down
with the square of the run.

    python benchmarks/long_runs.py [--size 2000] [--timeout 120] [--only NAME ...] [--list]

Each case is one small site: a Markdown, HTML or front-matter atom repeated in a
body, a headline, a summary or a tag; or one story of many tags, authors, aliases,
corrections or Read More lines; or many stories sharing a headline or a slug. Each is
built twice, in a process of its own, at `--size` and at four times it, and the time
beyond an empty site's start-up compared: four times the run should take about four
times as long. Flags:

- TIMEOUT: the build ran past `--timeout` (a hang: a bug);
- CRASH: an internal error or a traceback, or an exit code other than 0 or 1 (a bug);
- BUDGET: a file was stopped by the parse's 10-second budget (an error naming it,
  as designed, where Python-Markdown's own parser slows with the square);
- QUADRATIC: four times the run took more than ten times as long (a lead to follow).

`fuzz.py` never writes such runs: Hypothesis keeps its examples short, and a hang
would hang it. Exit code 1 if any case timed out or crashed. Stdlib only.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

NOW = "2026-01-01T00:00:00+00:00"
ATOMS = ["*", "**", "_", "`", "[", "](", "[a](", "[a][", "![", "<", ">", "&", "&#", "\\"]
ATOMS += ["#", "> ", "- ", "1. ", "|", "```", "<!--", "<div>", "</div>", "<b>", "</b>"]
ATOMS += ["<a href=x>", '<a href="', "<img ", "<p ", "<![CDATA[", '"', "'", "--", "..."]
ATOMS += ["http://a.b/ ", "<http://a", "[^1]", "*[", "{: ", "Read More: ", "[[", "\t"]
ATOMS += ["--With assistance from ", "<!--focue:read-more:1-->", "&#9999999999;", "北"]
LINES = ["Read More: x", "--With assistance from A", "    code", "| a |", "# h", "[a]: /x"]
LINES += ["<div>", "</div>", "<b>x", "", "```", "a  "]
Files = dict[str, str]


def story(title: str = "Probe", body: str = "Lead.", **fields: object) -> str:
    head = "".join(f"{name}: {json.dumps(value)}\n" for name, value in fields.items())
    return f"---\ntitle: {json.dumps(title)}\ndate: 2023-10-16 07:45\n{head}---\n\n{body}\n"


def stories(count: int, make: Callable[[int], str]) -> Files:
    return {f"content/2023/10/s{n}.md": make(n) for n in range(count)}


def cases() -> dict[str, Callable[[int], Files]]:
    """Each case's files for a run of n."""
    made: dict[str, Callable[[int], Files]] = {}
    for atom in ATOMS:
        made[f"body {atom!r}"] = lambda n, a=atom: {"content/p.md": story(body=a * n)}
        made[f"body {atom!r} spaced"] = lambda n, a=atom: {
            "content/p.md": story(body=(a + " ") * (n // 2))
        }
        made[f"headline {atom!r}"] = lambda n, a=atom: {"content/p.md": story(a * (n // 20))}
        made[f"summary {atom!r}"] = lambda n, a=atom: {"content/p.md": story(summary=a * n)}
        made[f"tag {atom!r}"] = lambda n, a=atom: {"content/p.md": story(tags=[a * (n // 20)])}
    for line in LINES:
        made[f"lines {line!r}"] = lambda n, x=line: {
            "content/p.md": story(body=(x + "\n") * (n // 4))
        }
    made.update(_many())
    return made


def _many() -> dict[str, Callable[[int], Files]]:
    def one(**fields: object) -> Files:
        return {"content/p.md": story(**fields)}

    def linked(n: int, body: str) -> Files:
        return {**stories(n // 10, lambda k: story(f"Story {k}")), "content/x.md": story(body=body)}

    return {
        "tags in a story": lambda n: one(tags=[f"Tag {k}" for k in range(n // 4)]),
        "authors of a story": lambda n: one(authors=[f"Au {k}" for k in range(n // 4)]),
        "aliases of a story": lambda n: one(aliases=[f"/old/{k}/" for k in range(n // 4)]),
        "corrections": lambda n: one(
            corrections=[{"date": "2023-10-17 07:45", "text": f"Fix {k}"} for k in range(n // 4)]
        ),
        "Read More lines": lambda n: linked(
            n, "\n\n".join(f"Read More: Story {k % (n // 10)}" for k in range(n))
        ),
        "Read More to nothing": lambda n: linked(
            n, "\n\n".join(f"Read More: Nothing {k}" for k in range(n))
        ),
        "stories of one headline": lambda n: stories(n // 10, lambda k: story("Markets")),
        "stories of one slug": lambda n: stories(n // 10, lambda k: story(f"S{k}", slug="s")),
        "stories of one tag set": lambda n: stories(
            n // 10, lambda k: story(f"S{k}", tags=[f"T{t}" for t in range(20)])
        ),
    }


def build(files: Files, work: Path, timeout: float) -> tuple[float | None, str, int]:
    """Seconds (None past the timeout), stderr and the exit code of one build."""
    site = Path(tempfile.mkdtemp(dir=work))
    try:
        for rel, text in files.items():
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / rel).write_text(text, encoding="utf-8")
        command = [sys.executable, "-m", "focue_ssg", "build", str(site), "--now", NOW, "-q"]
        start = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, "", -1
        return time.perf_counter() - start, done.stderr, done.returncode
    finally:
        shutil.rmtree(site, ignore_errors=True)


def flags(small: tuple, large: tuple, base: float) -> list[str]:
    found = []
    for seconds, err, code in (small, large):
        if seconds is None:
            return ["TIMEOUT"]
        if code not in (0, 1) or "internal error" in err or "Traceback" in err:
            found.append("CRASH")
        if "took more than" in err:
            found.append("BUDGET")
    if not found and large[0] - base > 10 * max(small[0] - base, 0.05):
        found.append("QUADRATIC")
    return sorted(set(found))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=2000, help="the shorter run (default 2000)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per build")
    parser.add_argument("--only", nargs="+", help="these cases only (names as --list shows)")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    args = parser.parse_args()
    chosen = cases()
    if args.list:
        print("\n".join(chosen))
        return 0
    if args.only:
        chosen = {name: make for name, make in chosen.items() if name in args.only}
    work = Path(tempfile.mkdtemp(prefix="focue-long-runs-"))
    try:
        base = build({"content/p.md": story()}, work, args.timeout)[0] or 0.0
        print(f"| case | {args.size:,} | {4 * args.size:,} | flags |\n|---|---:|---:|---|")
        bad = 0
        for name, make in chosen.items():
            small = build(make(args.size), work, args.timeout)
            large = build(make(4 * args.size), work, args.timeout) if small[0] else small
            found = flags(small, large, base)
            bad += "TIMEOUT" in found or "CRASH" in found
            times = [f"{s:.2f} s" if s is not None else "-" for s in (small[0], large[0])]
            print(f"| {name} | {times[0]} | {times[1]} | {' '.join(found)} |", flush=True)
        return 1 if bad else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
