#!/usr/bin/env python3
"""Measure the preview's save-to-reload latency.

    python benchmarks/bench_serve.py SITE_DIR [--edits 5] [--template]
    python benchmarks/bench_serve.py --articles 1000 [--edits 5] [--template]

Starts `focue serve --port 0` on the site (or on a generated corpus), listens
to its reload events like a browser does, appends a sentence to one article, and
times from the save to the reload event. With --template it edits the theme
instead, with the front page open: the site gets a copy of the default theme's
base.html, and each edit adds a comment to it, which changes every page; the
time to the front page's reload and to the end of the build are both shown.
Prints the median and range.
"""

from __future__ import annotations

import argparse
import http.client
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def start_server(site: Path) -> tuple[subprocess.Popen, str, int]:
    process = subprocess.Popen(
        [sys.executable, "-m", "focue_ssg", "serve", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    while True:
        line = process.stdout.readline()
        if not line:
            raise SystemExit("the server did not start")
        if line.startswith("Serving"):
            host, port = line.split()[1].split("//")[1].split("/")[0].rsplit(":", 1)
            return process, host, int(port)


def listen(host: str, port: int, events: queue.Queue, page: str) -> None:
    """Reload events as a browser showing `page` gets them ('': any build reloads it)."""
    conn = http.client.HTTPConnection(host, port)
    conn.request("GET", f"/__focue__/events?since=1&page={page}")
    for raw in conn.getresponse():
        if raw.startswith(b"data: "):
            events.put((time.perf_counter(), int(raw[6:])))


def pick_article(site: Path) -> Path:
    for path in sorted((site / "content").rglob("*.md")):
        if "draft: true" not in path.read_text(encoding="utf-8"):
            return path
    raise SystemExit("no article to edit")


def built(process: subprocess.Popen, lines: queue.Queue) -> None:
    for line in process.stdout:
        if line.startswith("Built in"):
            lines.put(time.perf_counter())


def template_copy(site: Path) -> Path:
    from focue_ssg.render.theme import default_theme_dir

    target = site / "themes/focue/templates/base.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(default_theme_dir() / "templates/base.html", target)
    return target


def measure(site: Path, edits: int, template: bool) -> tuple[list[float], list[float]]:
    """Seconds from each save to the front page's reload, and to the build's end."""
    edited = template_copy(site) if template else pick_article(site)
    process, host, port = start_server(site)
    events: queue.Queue = queue.Queue()
    ends: queue.Queue = queue.Queue()
    page = "/" if template else ""  # a template edit changes the front page too
    threading.Thread(target=listen, args=(host, port, events, page), daemon=True).start()
    threading.Thread(target=built, args=(process, ends), daemon=True).start()
    time.sleep(0.5)
    reloads, builds = [], []
    try:
        for n in range(edits):
            saved = time.perf_counter()
            with edited.open("a", encoding="utf-8") as handle:
                handle.write(
                    f"\n<!-- edit {n} -->\n" if template else f"\nUpdate {n}: a sentence.\n"
                )
            reloaded, _ = events.get(timeout=600)
            reloads.append(reloaded - saved)
            builds.append(ends.get(timeout=600) - saved)
            while not events.empty():
                events.get()
            time.sleep(0.5)
    finally:
        process.send_signal(2)
        process.wait(60)
    return reloads, builds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path)
    parser.add_argument("--articles", type=int, help="generate a corpus of this size instead")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--template", action="store_true", help="edit the theme, not an article")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="focue-serve-bench-"))
    try:
        if args.articles:
            site = work / "site"
            subprocess.run(
                [
                    sys.executable,
                    str(HERE / "make_corpus.py"),
                    str(site),
                    "--articles",
                    str(args.articles),
                    "--source",
                    str(HERE / "seed-article.txt"),
                ],
                check=True,
                capture_output=True,
            )
        elif args.site:
            site = work / "site"
            shutil.copytree(args.site, site, ignore=shutil.ignore_patterns("output", ".focue-*"))
        else:
            parser.error("give SITE_DIR or --articles N")
        reloads, builds = measure(site, args.edits, args.template)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name, seconds in (("save-to-reload", reloads), ("save-to-built", builds)):
        print(
            f"{name} over {len(seconds)} edits: median {statistics.median(seconds):.3f} s "
            f"(min {min(seconds):.3f}, max {max(seconds):.3f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
