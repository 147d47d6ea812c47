"""The preview's builds, in a process of their own.

The preview's own process runs threads (the server's, the watcher's), and a process
with threads must not fork: a lock another thread held would stay locked in the
child. Its builds would then start their workers from a fork server and send each
the whole site on every rebuild. Here builds run in a child process that has no
other thread, so its workers fork and inherit the site, as on the command line,
each parse runs under its time budget (a signal needs a main thread), and the
build cache stays in the child's memory from one build to the next.

The preview sends what varies per build (now, the pages open in a browser) and
gets back, in order, the pages shown first and the result.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..core.errors import error
from ..output.cache import BuildCache
from ..output.incremental import Early
from ..output.workers import default_jobs
from ..pipeline import BuildOptions, BuildResult, build

STOP_SECONDS = 30.0


@dataclass(frozen=True)
class Settings:
    """What stays the same for every build of one preview."""

    site_dir: Path
    output: Path
    drafts: bool
    future: bool
    base_url: str | None


def _serve_builds(connection: Any, settings: Settings) -> None:
    """The child: build whenever asked, until told to stop (None); then save the cache."""
    cache = BuildCache(settings.site_dir)
    cache.deferred = True  # saved once, when the preview stops
    while (asked := _next(connection)) is not None:
        now, open_pages = asked
        shown = lambda paths: connection.send(("shown", paths))  # noqa: E731
        options = BuildOptions(
            settings.site_dir,
            now=now,
            output_dir=settings.output,
            drafts=settings.drafts,
            future=settings.future,
            jobs=default_jobs(),
            base_url=settings.base_url,
            first=Early(open_pages, shown) if open_pages else None,
        )
        try:
            result = build(options, cache)
        except Exception as exc:  # a bug: say so on the page, keep previewing
            detail = "".join(traceback.format_exception_only(exc)).strip()
            result = BuildResult((error(str(settings.site_dir), f"internal error: {detail}"),))
        with contextlib.suppress(OSError):  # the preview may be gone; then so are we
            connection.send(("built", result))
    cache.forget_manifest(settings.output)  # no later preview builds into this folder
    cache.flush()
    with contextlib.suppress(OSError):
        connection.send(("stopped", None))


def _next(connection: Any) -> Any:
    """The next request; None to stop, also when the preview is gone."""
    try:
        return connection.recv()
    except (EOFError, OSError):
        return None


class BuildProcess:
    """The child process and the pipe to it; started again if it dies."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.busy = False  # a build is under way
        self.closed = False
        self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, theirs = context.Pipe()
        # not a daemon: it starts worker processes of its own, which a daemon may not;
        # it ends when the preview stops, or when its pipe closes with the preview
        self.process = context.Process(target=_serve_builds, args=(theirs, self.settings))
        self.process.start()
        theirs.close()

    def build(
        self, now: datetime, open_pages: frozenset[str], shown: Callable[[tuple[str, ...]], None]
    ) -> BuildResult:
        """One build; `shown` is called with the open pages once they are in place."""
        self.busy = True
        try:
            self.connection.send((now, open_pages))
            while True:
                kind, value = self.connection.recv()
                if kind != "shown":
                    return value or BuildResult(())
                shown(value)
        except (EOFError, OSError):
            if self.closed:
                return BuildResult(())
            self.process.join(1)
            self._start()
            message = "internal error: the preview's build process stopped; it was restarted"
            return BuildResult((error(str(self.settings.site_dir), message),))
        finally:
            self.busy = False

    def stop(self) -> None:
        """Let the child save its cache and end, then make sure it has. A build under
        way is not waited for: the child ends without saving, as a killed build."""
        self.closed = True
        if not self.busy:
            try:
                self.connection.send(None)
                if self.connection.poll(STOP_SECONDS):
                    self.connection.recv()
            except (EOFError, OSError):
                pass
            self.process.join(STOP_SECONDS)
        if self.process.is_alive():
            self.process.kill()
        self.connection.close()
