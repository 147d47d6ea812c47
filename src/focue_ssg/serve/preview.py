"""The preview: build into its own folder, serve it, rebuild when a file changes.

A rebuild renders into a staging folder and then swaps each changed file in with
an atomic rename, so a request during a rebuild always gets a whole page. The
pages open in a browser are rendered and swapped in first, and reloaded at once:
after an edit to a template, which changes every page, the writer sees the page
in front of them while the rest render. A browser reloads only pages a build
changed. A failed build keeps the last good site and puts the diagnostics on
every page. Builds run in a process of their own (builder.py). With no change, it
rebuilds when the site changes by itself: a scheduled story comes due, a pin runs
out (the build's `next_rebuild_at`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..config.settings import load_config, overridden
from ..core.layout import CONFIG_FILE, CONTENT_DIR, PREVIEW_DIR, STATIC_DIR, THEMES_DIR
from ..pipeline import BuildResult
from ..render.theme import default_theme_dir
from ..watch import SiteWatcher
from .builder import BuildProcess, Settings
from .server import CannotListen, PortInUse, PreviewHTTPServer, PreviewState

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class BuildReport:
    """One preview build, for the terminal."""

    result: BuildResult
    seconds: float
    changed: tuple[str, ...]
    first_shown: float | None = None  # seconds until the open pages were shown, if first


class Preview:
    """Build, serve and rebuild on change. `start()` returns at once; `stop()` cleans up."""

    def __init__(
        self,
        site_dir: Path,
        host: str = "127.0.0.1",
        port: int = 8000,
        drafts: bool = True,
        future: bool = False,
        clock: Callable[[], datetime] | None = None,
        report: Callable[[BuildReport], None] = lambda r: None,
        base_url: str | None = None,
    ):
        self.site_dir = site_dir
        self.base_url = base_url  # instead of focue.toml's
        self.drafts = drafts
        self.future = future
        self.clock = clock or (lambda: datetime.now(UTC))
        self.report = report
        # one folder per preview process: two previews of one site must not build into,
        # or delete, each other's folder
        self.folder = site_dir / PREVIEW_DIR / str(os.getpid())
        self.output = self.folder / "site"
        self.builder: BuildProcess | None = None  # started with the preview
        self.state = PreviewState()
        self.wanted = threading.Event()
        self.pending: set[str] = set()
        self.lock = threading.Lock()
        self.idle = threading.Event()
        self.due = float("inf")  # when the last build said the site changes by itself
        self.server = self._bind(host, port)
        self.watcher: SiteWatcher | None = None
        self.threads: list[threading.Thread] = []

    def _bind(self, host: str, port: int) -> PreviewHTTPServer:
        try:
            return PreviewHTTPServer((host, port), self.state)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(
                    f"port {port} on {host} is already in use; stop the other server or pass --port"
                ) from None
            # an unknown host name, or an address of no interface here
            raise CannotListen(
                f"cannot listen on {host}, port {port}: {exc.strerror or exc}"
            ) from None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}{self.state.base_path}"

    def build_once(self, changed: tuple[str, ...] = ()) -> BuildReport:
        """Rebuild the preview folder in place; each changed file is swapped in whole.

        A failed build leaves the folder as it was and puts the diagnostics on top.
        """
        started = time.perf_counter()
        base = self._base_path()
        shown: list[str] = []
        first_shown: list[float] = []

        def show(paths: tuple[str, ...]) -> None:
            first_shown.append(time.perf_counter() - started)
            shown.extend(paths)
            self.state.publish(self.output, (), base, frozenset(paths))

        assert self.builder is not None, "start() the preview first"
        result = self.builder.build(self.clock(), self.state.open_pages(), show)
        if result.ok:
            self.due = result.next_rebuild_at
            written = result.report
            paths = (*written.written_paths, *written.removed_paths) if written else ()
            self.state.publish(self.output, (), base, frozenset(paths) - set(shown))
        else:
            self.state.publish(None, result.diagnostics, base)
        seconds = time.perf_counter() - started
        report = BuildReport(result, seconds, changed, first_shown[0] if first_shown else None)
        self.report(report)
        return report

    def _base_path(self) -> str:
        config = load_config(self.site_dir)[0]
        if self.base_url:
            return overridden(config, base_url=self.base_url).base_path
        return config.base_path

    def on_change(self, paths: set[str]) -> None:
        with self.lock:
            self.pending.update(paths)
        self.wanted.set()

    def _until_due(self) -> float | None:
        """Seconds until the site changes by itself, or None if it never does."""
        if self.due == float("inf"):
            return None
        return min(max(0.0, self.due - self.clock().timestamp()), threading.TIMEOUT_MAX)

    def _builder(self) -> None:
        """Rebuild whenever changes arrive, or the site's next change by itself is due;
        changes during a build cause one more build."""
        while not self.state.closing:
            self.idle.set()
            self.wanted.wait(self._until_due())
            self.idle.clear()
            if self.state.closing:
                return
            self.wanted.clear()
            with self.lock:
                changed, self.pending = self.pending, set()
            self.build_once(tuple(sorted(self._shown(p) for p in changed)))

    def _shown(self, path: str) -> str:
        try:
            return Path(path).resolve().relative_to(self.site_dir.resolve()).as_posix()
        except ValueError:
            return path

    def watched(self) -> tuple[list[Path], list[Path]]:
        site = self.site_dir
        folders = [site / CONTENT_DIR, site / THEMES_DIR, site / STATIC_DIR]
        default = default_theme_dir()
        if not default.is_relative_to(self.site_dir.resolve()):
            folders.append(default)
        authors = self.site_dir / load_config(self.site_dir)[0].authors_file
        return folders, [self.site_dir / CONFIG_FILE, authors]

    def start(self) -> BuildReport:
        _remove_abandoned(self.folder.parent)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        settings = Settings(self.site_dir, self.output, self.drafts, self.future, self.base_url)
        self.builder = BuildProcess(settings)
        first = self.build_once()
        folders, files = self.watched()
        self.watcher = SiteWatcher(folders, files, self.on_change)
        self.watcher.start()
        for target in (self.server.serve_forever, self._builder):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self.threads.append(thread)
        return first

    def stop(self) -> None:
        self.state.close()
        self.wanted.set()
        if self.watcher is not None:
            self.watcher.stop()
        self.server.shutdown()
        self.server.server_close()
        for thread in self.threads:
            thread.join(timeout=5)
        if self.builder is not None:
            self.builder.stop()  # it saves the build cache
        shutil.rmtree(self.folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.folder.parent.rmdir()  # unless another preview of the site is running


def _remove_abandoned(folder: Path) -> None:
    """Preview folders left by previews that were killed (their process is gone)."""
    for child in folder.glob("*") if folder.is_dir() else ():
        if child.name.isdigit() and not _running(int(child.name)):
            shutil.rmtree(child, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, owned by someone else (or not ours to ask)
        return True
    return True
