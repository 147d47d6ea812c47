"""File events for the preview: watchdog, filtered and debounced into one callback.

Editors save in bursts (a temp file, a rename, a chmod) and a writer may save
several files at once; all of that becomes one rebuild. Reading files (which
the build itself does) is not a change.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

DEBOUNCE_SECONDS = 0.15
CHANGE_EVENTS = frozenset({"created", "deleted", "modified", "moved", "closed"})
PATH_MAX = 4096  # Linux's; macOS allows 1024
IGNORED_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules"})


@contextmanager
def _room_for_deep_folders() -> Iterator[None]:
    """watchdog walks each watched tree with os.walk, which until Python 3.12 recurses
    once per folder: content/ or static/ nested past the recursion limit stopped the
    preview. A path the system takes holds at most PATH_MAX / 2 folders, so the walk
    needs at most that many frames more."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(limit + PATH_MAX // 2 + 100)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def is_editor_noise(path: str) -> bool:
    """Swap, backup and lock files that editors write next to the real one."""
    name = os.path.basename(path)
    return (
        name.endswith((".swp", ".swx", ".swo", "~", ".tmp", ".part", ".crdownload"))
        or name.startswith((".#", "#"))
        or name == "4913"  # vim probes whether it may write in the folder
        or name.startswith(".~lock.")
    )


def _in_ignored_dir(path: str) -> bool:
    parts = Path(path).parts
    return any(p in IGNORED_DIRS or p.startswith(".focue-") for p in parts)


class _Debouncer(FileSystemEventHandler):
    """Collects relevant paths and calls back once things have been quiet for a moment."""

    def __init__(
        self,
        callback: Callable[[set[str]], None],
        delay: float,
        ignore: Callable[[str], bool],
        arrived: Callable[[list[str]], None] = lambda paths: None,
    ):
        self.callback = callback
        self.delay = delay
        self.ignore = ignore
        self.arrived = arrived  # told of every path changed, relevant or not, as it comes
        self.lock = threading.Lock()
        self.pending: set[str] = set()
        self.timer: threading.Timer | None = None

    def relevant(self, paths: list[str]) -> list[str]:
        return [
            p for p in paths if not (is_editor_noise(p) or _in_ignored_dir(p) or self.ignore(p))
        ]

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGE_EVENTS:
            return
        paths = [os.fsdecode(p) for p in (event.src_path, event.dest_path) if p]
        self.arrived(paths)
        self.add(self.relevant(paths))

    def add(self, paths: list[str]) -> None:
        """Changed paths, called back for once all is quiet for `delay`."""
        if not paths:
            return
        with self.lock:
            self.pending.update(paths)
            if self.timer is not None:
                self.timer.cancel()
            self.timer = threading.Timer(self.delay, self._fire)
            self.timer.daemon = True
            self.timer.start()

    def _fire(self) -> None:
        with self.lock:
            paths, self.pending, self.timer = self.pending, set(), None
        if paths:
            self.callback(paths)


class SiteWatcher:
    """Watches folders (recursively) and single files; calls `callback(changed_paths)`.
    A folder not there yet (no themes/ or data/ when the preview starts) is watched for
    from the folder above, and watched itself once it is made."""

    def __init__(
        self,
        folders: Iterable[Path],
        files: Iterable[Path],
        callback: Callable[[set[str]], None],
        delay: float = DEBOUNCE_SECONDS,
    ):
        self.files = {str(f.resolve()) for f in files}
        self.folders = [f.resolve() for f in folders]
        wanted = {str(f): True for f in self.folders}  # folder -> recursively
        for file in sorted(self.files):  # a single file's folder, alone
            wanted.setdefault(os.path.dirname(file), False)
        self.missing = {p: deep for p, deep in wanted.items() if not os.path.isdir(p)}
        for place in sorted(self.missing):
            wanted.setdefault(os.path.dirname(place), False)
        self.places = {p: deep for p, deep in wanted.items() if os.path.isdir(p)}
        self.handler = _Debouncer(callback, delay, self._outside, self._arrived)
        self.observer = self._scheduled(Observer())

    def _scheduled(self, observer: Any) -> Any:
        for place, deep in sorted(self.places.items()):
            observer.schedule(self.handler, place, recursive=deep)
        return observer

    def _arrived(self, paths: list[str]) -> None:
        """A watched folder made since the start is watched from now on. The rebuild a
        themes/ starts reads what was put in it meanwhile; a single file already
        written in a new data/ is a change of its own."""
        if not self.missing:  # as a rule: no path of every event is resolved for nothing
            return
        for path in map(os.path.realpath, paths):
            deep = self.missing.get(path)
            if deep is None or not os.path.isdir(path):
                continue
            del self.missing[path]
            with _room_for_deep_folders():
                self.observer.schedule(self.handler, path, recursive=deep)
            there = [f for f in self.files if os.path.dirname(f) == path and os.path.exists(f)]
            self.handler.add(there)

    def _outside(self, path: str) -> bool:
        """Events from a single file's folder count only for that file."""
        resolved = str(Path(path).resolve())
        if resolved in self.files:
            return False
        return not any(Path(resolved).is_relative_to(f) for f in self.folders)

    def start(self) -> None:
        """Native events where the system has them to spare; else polling (a machine
        out of inotify instances, as editors and browsers use them up)."""
        with _room_for_deep_folders():
            try:
                self.observer.start()
            except OSError:
                self.observer = self._scheduled(PollingObserver(timeout=0.5))
                self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)
