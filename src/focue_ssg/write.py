"""Write the site atomically: stage a complete new tree, then swap it into place.

A failed or interrupted build leaves the previous output exactly as it was.
Files whose bytes did not change are hard-linked from the old tree, so their
modification times stay put and rsync or a CDN purge sees only real changes.
Nothing is written outside the output folder, whatever a path says.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import Diagnostic, error


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


class UnsafePath(ValueError):
    """An output path that would land outside the output folder."""


def check_output_dir(site_dir: Path, output_dir: Path) -> Diagnostic | None:
    """Refuse output folders whose replacement would destroy sources."""
    site, out = site_dir.resolve(), output_dir.resolve()
    if out == site or out in site.parents or out == Path(out.anchor):
        return error(str(output_dir), "the output folder must not be the site folder or above it")
    if (out / "content").is_dir() or (out / "focue.toml").is_file():
        return error(str(output_dir), "the output folder looks like a site (it has content/)")
    return None


def safe_relative(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or "\\" in rel or not path.parts or "\x00" in rel:
        raise UnsafePath(f"refusing to write outside the output folder: {rel!r}")
    return path


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.is_symlink() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _tree_files(root: Path) -> set[str]:
    if not root.is_dir():
        return set()
    return {
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() or p.is_symlink()
    }


class StagedOutput:
    """Collects the new site beside the old one; `commit` swaps it in, `abort` drops it.

    Unchanged files are linked from `reuse_from` (the old output by default; the
    preview passes its previous build, since each of its builds gets a new folder).
    """

    def __init__(self, output_dir: Path, reuse_from: Path | None = None):
        if output_dir.is_symlink():  # replace what the link points at, keep the link
            output_dir = output_dir.resolve()
        self.output = output_dir
        self.previous = reuse_from if reuse_from is not None else output_dir
        self.stage = output_dir.parent / f".{output_dir.name}.staging-{os.getpid()}"
        self.trash = output_dir.parent / f".{output_dir.name}.old-{os.getpid()}"
        self.written = 0
        self.unchanged = 0
        self.paths: set[str] = set()
        output_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.stage, ignore_errors=True)
        self.stage.mkdir()

    def _target(self, rel: str) -> tuple[Path, Path]:
        path = safe_relative(rel)
        self.paths.add(path.as_posix())
        staged = self.stage.joinpath(*path.parts)
        staged.parent.mkdir(parents=True, exist_ok=True)
        return staged, self.previous.joinpath(*path.parts)

    def _link_unchanged(self, old: Path, staged: Path) -> bool:
        try:
            os.link(old, staged)
        except OSError:
            return False
        self.unchanged += 1
        return True

    def write(self, rel: str, data: bytes) -> None:
        staged, old = self._target(rel)
        if _same_bytes(old, data) and self._link_unchanged(old, staged):
            return
        staged.write_bytes(data)
        self.written += 1

    def copy(self, rel: str, source: Path) -> None:
        self.write(rel, source.read_bytes())

    def abort(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)

    def commit(self) -> WriteReport:
        removed = len(_tree_files(self.previous) - self.paths)
        if not self.output.exists():
            os.rename(self.stage, self.output)
        else:
            shutil.rmtree(self.trash, ignore_errors=True)
            os.rename(self.output, self.trash)
            os.rename(self.stage, self.output)
            shutil.rmtree(self.trash, ignore_errors=True)
        return WriteReport(self.written, self.unchanged, removed)


@contextlib.contextmanager
def staged_output(output_dir: Path, reuse_from: Path | None = None):
    """Yield a StagedOutput; anything raised inside leaves the old output untouched."""
    staged = StagedOutput(output_dir, reuse_from)
    try:
        yield staged
    except BaseException:
        staged.abort()
        raise
