"""Lighthouse on the sample site, served from 127.0.0.1: shared by its test, which
checks what does not hang on the host's speed, and by benchmarks/bench_lighthouse.py,
which measures the performance score, which does."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conftest import NOW_ARG, copy_sample

LIGHTHOUSE = os.environ.get("FOCUE_LIGHTHOUSE", "")
CHROMIUM = os.environ.get("CHROME_PATH") or shutil.which("chromium") or ""
# headless in a closed network: without the background flags Chromium keeps dialling out
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PHOTOS = (
    "2023/10/17/will-xi-jinpings-gamble-on-vladimir-putin-pay-off/"  # a lead and two in the body
)
PAGES = (
    "",  # the front page: a pinned lead with its picture, top stories, section blocks
    "2023/10/19/the-west-should-stop-reading-beijing-and-moscow-as-an-alliance/",  # opinion
    "2023/10/18/belt-and-road-forum-ends-with-pledges-of-smaller-greener-projects/",  # corrected
    PHOTOS,
    "about/",
    "corrections/",
)


def available() -> bool:
    return bool(LIGHTHOUSE and os.path.isfile(LIGHTHOUSE) and CHROMIUM)


def page_id(path: str) -> str:
    return path.split("/")[-2] if path else "front"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def served_sample(workdir: Path) -> Iterator[tuple[str, Path]]:
    """The sample site, built for and served from a free port on 127.0.0.1, as a deploy
    preview would be, so its canonical links are its own."""
    root = copy_sample(workdir / "site")
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root / "output"))
    )
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    command = [sys.executable, "-m", "focue_ssg", "build", str(root), "--now", NOW_ARG]
    subprocess.run([*command, "--base-url", base], check=True, capture_output=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, root / "output"
    finally:
        server.shutdown()


def lighthouse(url: str, report: Path) -> dict:
    command = [
        LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}", f"--only-categories={','.join(CATEGORIES)}",
    ]  # fmt: skip
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(command, check=True, capture_output=True, timeout=300, env=env)
    return json.loads(report.read_text())
