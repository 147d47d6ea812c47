#!/usr/bin/env python3
"""Measure the preview's save-to-reload latency.

    python benchmarks/bench_serve.py SITE_DIR [--edits 5]
    python benchmarks/bench_serve.py --articles 1000 [--edits 5]

Starts `focue serve --port 0` on the site (or on a generated corpus), listens
to its reload events like a browser does, appends a sentence to one article,
and times from the save to the reload event. Prints the median and range.
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


def listen(host: str, port: int, events: queue.Queue) -> None:
    conn = http.client.HTTPConnection(host, port)
    conn.request("GET", "/__focue__/events?since=1")
    for raw in conn.getresponse():
        if raw.startswith(b"data: "):
            events.put((time.perf_counter(), int(raw[6:])))


def pick_article(site: Path) -> Path:
    for path in sorted((site / "content").rglob("*.md")):
        if "draft: true" not in path.read_text(encoding="utf-8"):
            return path
    raise SystemExit("no article to edit")


def measure(site: Path, edits: int) -> list[float]:
    process, host, port = start_server(site)
    events: queue.Queue = queue.Queue()
    threading.Thread(target=listen, args=(host, port, events), daemon=True).start()
    time.sleep(0.5)
    article = pick_article(site)
    latencies = []
    try:
        for n in range(edits):
            saved = time.perf_counter()
            with article.open("a", encoding="utf-8") as handle:
                handle.write(f"\nUpdate {n}: a sentence added for the benchmark.\n")
            reloaded, _ = events.get(timeout=120)
            latencies.append(reloaded - saved)
            time.sleep(0.5)
    finally:
        process.send_signal(2)
        process.wait(30)
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path)
    parser.add_argument("--articles", type=int, help="generate a corpus of this size instead")
    parser.add_argument("--edits", type=int, default=5)
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
        latencies = measure(site, args.edits)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    median = statistics.median(latencies)
    print(
        f"save-to-reload over {len(latencies)} edits: median {median:.3f} s "
        f"(min {min(latencies):.3f}, max {max(latencies):.3f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
