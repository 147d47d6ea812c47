"""The no-change shortcut: when nothing a build reads has changed since the last
successful build into the same folder, and no scheduled story came due, the build
can stop after checking that.

What a build reads besides content/ is stat'ed (size and mtime) before the build,
so an edit made while it runs is seen by the next one; content/ is taken as the
build's own walk saw it, and only files whose hash the cache trusts count. The
output files' sizes are checked in a forked child meanwhile (`SizeCheck`).
"""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO

from ..config.settings import load_config
from ..core.digests import digest
from ..core.errors import Diagnostic
from ..core.files import files_below
from ..core.layout import CONFIG_FILE, DATA_DIR, STATIC_DIR
from ..core.memory import forked
from ..render.theme import files_of, find_theme
from ..source.scan import Found
from .cache import BuildCache
from .manifest import Manifest
from .write import same_size

# what scan_sources found: the articles, its problems, the images beside the articles
Scan = tuple[list[Found], list[Diagnostic], list[Found]]


def _stats_of(paths: Iterable[Path], root: Path) -> list[str]:
    lines = []
    for path in sorted(paths):
        try:
            info = path.stat()
        except (OSError, ValueError):  # ValueError: a NUL byte in a configured name
            continue
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        lines.append(f"{shown}:{info.st_size}:{info.st_mtime_ns}")
    return lines


def surroundings(site: Path, options: tuple, cache: BuildCache) -> list[str]:
    """What a build reads besides the content files, cheaply (sizes and mtimes), with
    the options that change its output; taken before the build starts."""
    config, _ = load_config(site)
    theme, _ = find_theme(site, config.theme)
    parts = [cache.code, repr(options)]
    config_file = site / CONFIG_FILE
    parts.append(config_file.read_bytes().hex() if config_file.is_file() else "-")
    parts += _stats_of(files_of(theme), site)
    for folder in (STATIC_DIR, DATA_DIR):
        parts += _stats_of(files_below(site / folder)[0], site)
    parts += _stats_of([site / config.authors_file], site)  # it may live outside data/
    return parts


def inputs_signature(around: list[str], scan: Scan, cache: BuildCache) -> bytes | None:
    """Everything a build reads, with the content files as its walk saw them; None if
    their stats prove nothing."""
    sources, problems, _ = scan
    if problems:
        return None
    for found in sources:
        if cache.trusted_digest(found.path, found.size, found.mtime_ns) is None:
            return None  # new, changed, or too recently hashed to tell
    return _signature(around, scan)


def stat_lines(found: Iterable[Found]) -> Iterator[str]:
    """Files as a walk saw them, one line each, for a digest of what a build reads."""
    return (f"{f.path}:{f.size}:{f.mtime_ns}" for f in found)


def _signature(around: list[str], scan: Scan) -> bytes:
    sources, _, images = scan
    return digest("\n".join([*around, *stat_lines(sources), *stat_lines(images)]).encode())


class SizeCheck:
    """Which files of the last build's output no longer have the size they were written
    with (200,000 stats at 100,000 articles). Where it may, it forks a child to stat
    them while the build walks content/ (both are mostly Python: threads would take
    turns); the no-change check asks it whether any, and a build that goes on asks
    it which, rather than stat them again (`moved`)."""

    def __init__(self, output: Path, manifest: Manifest | None):
        self.folder, self.manifest = str(output), manifest
        self.found: frozenset[str] | None = None
        self.answer: IO[bytes] | None = None  # the child's answer, read back from a file
        self.child = 0
        if manifest is not None and manifest.inputs:
            self.answer = tempfile.TemporaryFile()  # noqa: SIM115 (closed once answered)
            self.child = forked(self._report)

    def _moved(self) -> frozenset[str]:
        if self.manifest is None:
            return frozenset()
        folder = self.folder  # a string, not a Path per file: there may be 200,000
        sizes = self.manifest.sizes()
        return frozenset(rel for rel, size in sizes if not same_size(f"{folder}/{rel}", size))

    def _report(self) -> bool:
        assert self.answer is not None
        self.answer.write("\0".join(sorted(self._moved())).encode())
        self.answer.flush()
        return True

    def moved(self, manifest: Manifest | None) -> frozenset[str] | None:
        """The output files whose size changed since `manifest` was written; None unless
        it is the manifest checked."""
        return self._found() if manifest is not None and manifest is self.manifest else None

    def same(self) -> bool:
        return self.manifest is not None and not self._found()

    def _found(self) -> frozenset[str]:
        if self.found is None:
            self.found = self._answered() if self.child else self._moved()
        return self.found

    def _answered(self) -> frozenset[str]:
        _, status = os.waitpid(self.child, 0)
        self.child = 0
        if os.waitstatus_to_exitcode(status) != 0 or self.answer is None:
            return self._moved()
        self.answer.seek(0)
        data = self.answer.read().decode()
        self.answer.close()
        return frozenset(data.split("\0")) if data else frozenset()

    def cancel(self) -> None:
        """Its answer is not wanted (or no longer): stop the child."""
        if self.child:
            os.kill(self.child, signal.SIGKILL)
            os.waitpid(self.child, 0)
            self.child = 0
        if self.answer is not None:
            self.answer.close()


def last_manifest(output: Path, now: datetime, cache: BuildCache) -> Manifest | None:
    """The last build's manifest into this output folder, unless it is stale whatever
    the inputs: none made, or a story may have come due, expired or aged out since."""
    manifest = cache.manifest(output)
    if manifest is None or not manifest.inputs or not output.is_dir():
        return None
    return manifest if manifest.valid_from <= now.timestamp() < manifest.valid_until else None


def still_current(manifest: Manifest, around: list[str], scan: Scan, sizes: SizeCheck) -> bool:
    """Whether the output is still what this build would write: the same inputs, and
    every file as the last build left it. A signature is kept only when every content
    file's stats proved its bytes, so stats that give the same one prove them again."""
    return not scan[1] and _signature(around, scan) == manifest.inputs and sizes.same()
