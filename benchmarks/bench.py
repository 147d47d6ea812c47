#!/usr/bin/env python3
"""Time `focue build` on generated news corpora, with Hugo, Pelican and Eleventy beside it.

    python benchmarks/bench.py [--sizes 1000 10000] [--runs 3] [--work DIR]
                               [--hugo PATH] [--pelican PATH] [--eleventy PATH] [--no-peers]
                               [--baseline SRC] [--warm]

For each size it generates a corpus with make_corpus.py (deterministic, seed 1)
and times, as separate processes: a cold build (no output, no cache), a rebuild
with nothing changed, a rebuild after one article's body was edited, and (for
focue) one after a headline was edited. Each row gives the median wall time
over the runs (min-max), CPU time, peak memory (max RSS of the build process
and its children; and, on Linux, the peak of the PSS summed over the build's
processes, sampled every 0.2 s: memory that forked workers share counts once) and
how many output files the build wrote (files whose
modification time moved). Hugo, Pelican and Eleventy 3, when installed (on PATH
or given), build the same corpus in their own format (Eleventy reads Hugo's)
with the site configurations in peers/. `--baseline SRC` also times focue_ssg
from another source tree (a checkout of earlier code: its `src/` folder), to
compare two versions of focue side by side. `--warm` builds each corpus cold once,
untimed, and then times only the rebuilds, round after round, keeping the output and
cache (for 100,000 articles, where a cold build takes minutes). Runs alternate between the tools, so
a machine whose speed drifts treats them alike. Prints a Markdown table. Stdlib
only; runs from a clean clone.
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
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "make_corpus.py"
SEED = HERE / "seed-article.txt"
PEERS = HERE / "peers"
NOW = "2026-01-01T00:00:00+00:00"
IMAGE_SUFFIXES = {".avif", ".webp", ".jpg", ".jpeg", ".png"}
TABLE_HEADER = (
    "| articles | tool | build | wall s, median (min–max) | CPU s | peak RSS MB "
    "| peak PSS MB, all processes | files written | output files |\n"
    "|---:|---|---|---|---:|---:|---:|---:|---:|"
)


@dataclass(frozen=True)
class Tool:
    name: str
    format: str  # make_corpus.py --format
    command: list[str]
    output: str  # folder the tool writes, relative to the site
    scratch: tuple[str, ...]  # removed before a cold build
    setup: tuple[tuple[Path, str], ...] = ()  # (file or folder, where it goes in the site)
    headline_edit: bool = False


def folder_name(name: str) -> str:
    """A tool's name as a folder name: `hugo v0.168` -> `hugo-v0-168`."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower())


def focue_tool(source: Path | None = None, name: str = "focue") -> Tool:
    """focue as installed, or run from another source tree (`source`, its src/ folder)."""
    command = [sys.executable, "-m", "focue_ssg", "build", ".", "--now", NOW]
    if source is not None:
        command = ["env", f"PYTHONPATH={source.resolve()}", *command]
    scratch = ("output", ".focue-cache")
    return Tool(name, "focue", command, "output", scratch, headline_edit=True)


def hugo_tool(binary: str, overlay: Path | None = None) -> Tool:
    """Hugo building peers/hugo; an `overlay` folder's files are laid over that site,
    and its own .toml files are merged into the configuration."""
    version = subprocess.run([binary, "version"], capture_output=True, text=True).stdout
    match = re.search(r"v0\.(\d+)", version)
    latest = match is None or int(match.group(1)) >= 128  # pagination keys were renamed
    config = "hugo-latest.toml" if latest else "hugo.toml"
    name = f"hugo {match.group(0) if match else ''}".strip()
    files = tuple((p, ".") for p in (PEERS / "hugo").iterdir())
    if overlay is not None:
        files += tuple((p, ".") for p in sorted(overlay.iterdir()))
        config = ",".join([config, *(p.name for p in sorted(overlay.glob("*.toml")))])
    command = [binary, "--config", config, "--destination", "public", "--quiet"]
    return Tool(name, "hugo", command, "public", ("public", "resources"), files)


def pelican_tool(binary: str) -> Tool:
    command = [binary, "-s", "pelicanconf.py", "-o", "output", "-q"]
    return Tool(
        "pelican 4",
        "pelican",
        command,
        "output",
        ("output", "cache"),
        ((PEERS / "pelican" / "pelicanconf.py", "."),),
    )


def eleventy_tool(binary: str, overlay: Path | None = None) -> Tool:
    """Eleventy building peers/eleventy; an `overlay` folder's files are laid over that
    site, and its *.config.js (which extends the site's own) is the one used."""
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout
    site = PEERS / "eleventy"
    files = [(site / name, ".") for name in ("package.json", "eleventy.config.js", "_includes")]
    files += [(page, "content") for page in sorted((site / "pages").glob("*.njk"))]
    files += [(site / "posts.11tydata.js", "content/posts"), (PEERS / "hugo/static/css", "static")]
    name = f"eleventy {version.strip()}".strip()
    command = [binary, "--quiet"]
    if overlay is not None:
        files += [(p, ".") for p in sorted(overlay.iterdir())]
        command += [f"--config={p.name}" for p in sorted(overlay.glob("*.config.js"))]
    return Tool(name, "hugo", command, "_site", ("_site", ".cache"), tuple(files))


def run_corpus(*args: str) -> None:
    """make_corpus.py with these arguments, the seed article as its vocabulary."""
    command = [sys.executable, str(CORPUS), *args, "--source", str(SEED)]
    subprocess.run(command, check=True, capture_output=True)


def install(root: Path, tool: Tool) -> None:
    """Put the tool's site files into a corpus; a later folder merges into an earlier."""
    for path, folder in tool.setup:
        target = root / folder / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            shutil.copytree(path, target, dirs_exist_ok=True)
        else:
            shutil.copy(path, target)


def make_corpus(root: Path, articles: int, tool: Tool) -> None:
    shutil.rmtree(root, ignore_errors=True)
    run_corpus(str(root), "--articles", str(articles), "--format", tool.format)
    install(root, tool)


def _tree(root: int) -> list[int]:
    """The process and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    parent = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class PeakPss:
    """Samples the PSS summed over a process tree until stopped; 0 where /proc has no
    smaps_rollup (not Linux)."""

    def __init__(self, pid: int, every: float = 0.2):
        self.pid, self.every, self.peak = pid, every, 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        if os.path.exists(f"/proc/{os.getpid()}/smaps_rollup"):
            self.thread.start()

    def _run(self) -> None:
        while not self.done.wait(self.every):
            self.peak = max(self.peak, sum(map(_pss_kb, _tree(self.pid))))

    def stop(self) -> float:
        """The peak in MB."""
        self.done.set()
        if self.thread.is_alive():
            self.thread.join()
        return self.peak / 1024


def timed_build(site: Path, tool: Tool) -> dict:
    """Run one build in a child process; wall, CPU and peak RSS from wait4, peak PSS
    sampled meanwhile."""
    out = site / tool.output
    marker = site / ".bench-marker"
    marker.touch()
    os.utime(marker)
    since = marker.stat().st_mtime_ns
    os.sync()  # the last build's (or deletion's) disk work must not land on this one
    with tempfile.TemporaryFile() as stderr:  # a pipe would fill up and block the build
        started = time.perf_counter()
        process = subprocess.Popen(tool.command, cwd=site, stdout=subprocess.DEVNULL, stderr=stderr)
        sampler = PeakPss(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        pss = sampler.stop()
        stderr.seek(0)
        errors = stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{tool.name} failed in {site}:\n{errors[-2000:]}")
    files = [p for p in out.rglob("*") if p.is_file()]
    written = [p for p in files if p.stat().st_mtime_ns >= since]
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "pss_mb": pss,
        "written": len(written),
        "files": len(files),
        "images_written": sum(p.suffix in IMAGE_SUFFIXES for p in written),
    }


def edit_body(site: Path) -> None:
    run_corpus(str(site), "--edit-one")


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


def cold_build(site: Path, tool: Tool) -> dict:
    for name in tool.scratch:
        shutil.rmtree(site / name, ignore_errors=True)
    return timed_build(site, tool)


def one_round(site: Path, tool: Tool, results: dict[str, list[dict]], cold: bool = True) -> None:
    """A cold build (unless `cold` is false), then one with nothing changed, then after
    a body and a headline edit."""
    if cold:
        results.setdefault("cold", []).append(cold_build(site, tool))
    results.setdefault("no change", []).append(timed_build(site, tool))
    edit_body(site)
    results.setdefault("body edit", []).append(timed_build(site, tool))
    if tool.headline_edit:
        edit_headline(site)
        results.setdefault("headline edit", []).append(timed_build(site, tool))


def row(size: int, tool: str, kind: str, samples: list[dict]) -> str:
    med = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
    walls = [s["wall"] for s in samples]
    return (
        f"| {size:,} | {tool} | {kind} | {med['wall']:.2f} ({min(walls):.2f}–{max(walls):.2f}) | "
        f"{med['cpu']:.2f} | {med['rss_mb']:.0f} | {med['pss_mb']:.0f} | {int(med['written'])} "
        f"| {int(med['files'])} |"
    )


def tools(args: argparse.Namespace) -> list[Tool]:
    found = [focue_tool()]
    if args.baseline:
        found.append(focue_tool(args.baseline, "focue (baseline)"))
    if args.no_peers:
        return found
    hugo = args.hugo or shutil.which("hugo")
    pelican = args.pelican or shutil.which("pelican")
    eleventy = args.eleventy or shutil.which("eleventy")
    if hugo:
        found.append(hugo_tool(hugo))
    if pelican:
        found.append(pelican_tool(pelican))
    if eleventy:
        found.append(eleventy_tool(eleventy))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, help="where corpora go (default: a temporary folder)")
    parser.add_argument("--hugo", help="the hugo binary (default: hugo on PATH, if any)")
    parser.add_argument("--pelican", help="the pelican command (default: pelican on PATH, if any)")
    parser.add_argument(
        "--eleventy", help="the eleventy command (default: eleventy on PATH, if any)"
    )
    parser.add_argument("--no-peers", action="store_true", help="time focue only")
    parser.add_argument(
        "--baseline", type=Path, metavar="SRC", help="also time focue_ssg from this src/ folder"
    )
    parser.add_argument(
        "--warm", action="store_true", help="build cold once, untimed; time only rebuilds"
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="focue-bench-"))
    chosen = tools(args)
    python = sys.version.split()[0]
    print(
        f"focue benchmark: {os.cpu_count()} CPUs, Python {python}; "
        f"tools: {', '.join(t.name for t in chosen)}\n"
    )
    print(TABLE_HEADER)
    for size in args.sizes:
        sites = {}
        for tool in chosen:
            sites[tool.name] = work / f"{folder_name(tool.name)}-{size}"
            make_corpus(sites[tool.name], size, tool)
        results: dict[str, dict[str, list[dict]]] = {tool.name: {} for tool in chosen}
        for tool in chosen if args.warm else ():
            cold_build(sites[tool.name], tool)
        for _ in range(args.runs):
            for tool in chosen:
                one_round(sites[tool.name], tool, results[tool.name], cold=not args.warm)
        for tool in chosen:
            for kind, samples in results[tool.name].items():
                print(row(size, tool.name, kind, samples), flush=True)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
