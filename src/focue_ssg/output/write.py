"""Write the site: changed files are staged beside the output folder, then moved in.

Nothing touches the output folder until every page has rendered; a failed
build leaves it exactly as it was. A first build renames the complete staging
folder into place. Later builds stage files flat, each named by a digest of its
path (an edit to a template stages every page: no folders to make and remove for
each), and move only the files whose bytes changed
(each move is an atomic rename, so no reader ever sees half a file), then
remove files that are no longer part of the site; Ctrl-C cannot cut that short.
Unchanged files are not touched, so rsync and CDN purges see only real changes.
Nothing is written outside the output folder, whatever a path says.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..core.digests import file_digest
from ..core.errors import Diagnostic, error
from ..core.files import exists, is_dir, is_file, unusable
from ..core.layout import CONFIG_FILE, CONTENT_DIR, SOURCE_DIRS


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int
    written_paths: tuple[str, ...] = ()
    removed_paths: tuple[str, ...] = ()


class UnsafePath(ValueError):
    """An output path that would land outside the output folder."""


class WriteFailed(Exception):
    """The file system refused a write (disk full, I/O error, no permission)."""

    def __init__(self, problem: Diagnostic, partial: bool):
        super().__init__(problem.message)
        self.problem, self.partial = problem, partial


def refused(exc: OSError, output: Path, partial: bool) -> WriteFailed:
    where = str(exc.filename or output)
    if partial:
        message = (
            f"could not finish moving the new files in ({exc.strerror or exc}): the output is "
            "partly updated, and the next build completes it"
        )
    else:
        message = f"cannot write the output: {exc.strerror or exc}"
    return WriteFailed(error(where, message), partial)


def check_output_dir(site_dir: Path, output_dir: Path) -> Diagnostic | None:
    """Refuse output folders whose replacement would destroy sources."""
    problem = unusable(output_dir)
    if problem:
        return error(str(output_dir), f"cannot use the output folder: {problem}")
    if exists(output_dir) and not is_dir(output_dir):
        return error(str(output_dir), "the output folder is a file; choose a folder")
    site, out = site_dir.resolve(), output_dir.resolve()
    if out == site or out in site.parents or out == Path(out.anchor):
        return error(str(output_dir), "the output folder must not be the site folder or above it")
    if is_dir(out / CONTENT_DIR) or is_file(out / CONFIG_FILE):
        return error(str(output_dir), "the output folder looks like a site (it has content/)")
    for name in SOURCE_DIRS:
        if out.is_relative_to(site / name):
            return error(
                str(output_dir),
                f"the output folder must not be in the site's {name}/: a build removes "
                "what it did not write there",
            )
    if _foreign(out):
        return error(
            str(output_dir),
            "the output folder holds files but no site (no " + ", ".join(BUILT_MARKS) + "); a "
            "build removes what it did not write, so empty the folder or choose another",
        )
    return None


BUILT_MARKS = ("index.html", "404.html", "robots.txt")  # every build writes them


def _foreign(out: Path) -> bool:
    """A folder of files that are not a built site (a home folder, say)."""
    try:
        with os.scandir(out) as entries:
            if not any(not e.name.startswith(".") for e in entries):
                return False
    except OSError:  # not there yet, or not a folder (writing says so)
        return False
    return not any(is_file(out / name) for name in BUILT_MARKS)


def safe_relative(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or "\\" in rel or not path.parts or "\x00" in rel:
        raise UnsafePath(f"refusing to write outside the output folder: {rel!r}")
    return path


FLAT = ".flat"  # ends the name of a staging folder whose files are named by digests


def staged_path(stage: Path, rel: str) -> Path:
    parts = safe_relative(rel).parts
    if stage.name.endswith(FLAT):
        return stage / hashlib.blake2b(rel.encode(), digest_size=16).hexdigest()
    return stage.joinpath(*parts)


def stage_file(stage: Path, rel: str, data: bytes) -> None:
    """Write one file into the staging folder (any process may call this)."""
    target = staged_path(stage, rel)
    try:
        try:
            target.write_bytes(data)
        except FileNotFoundError:  # a new folder: made on demand, a call saved per file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except OSError as exc:  # name the page, not its staged copy
        raise OSError(exc.errno, exc.strerror, rel) from None


def stage_copy(stage: Path, rel: str, source: Path) -> None:
    """Copy a file into the staging folder, never holding it whole (a static video)."""
    target = staged_path(stage, rel)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    except OSError as exc:  # name the output file, not its staged copy
        raise OSError(exc.errno, exc.strerror, rel) from None


def write_whole(target: Path | str, data: bytes) -> None:
    """Write a file under a temporary name and rename it into place: a reader (another
    process or build) never sees half of it."""
    temporary = f"{target}.{os.getpid()}.tmp"
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, target)


def same_size(path: Path | str, size: int) -> bool:
    try:
        return os.stat(path).st_size == size
    except OSError:
        return False


def same_file(path: Path, size: int, digest_of: bytes) -> bool:
    """Whether the file holds the bytes of that size and digest, read a block at a time."""
    try:
        return path.stat().st_size == size and file_digest(path) == digest_of
    except OSError:
        return False


def same_bytes(path: Path, data: bytes) -> bool:
    """Whether the file already holds exactly these bytes."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def tree_files(root: Path) -> set[str]:
    if not root.is_dir():
        return set()
    found = set()
    for folder, _, files in os.walk(root):
        base = Path(folder).relative_to(root)
        found.update((base / name).as_posix() for name in files)
    return found


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done (main thread only)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "pthread_sigmask"
    ):
        yield
        return
    blocked = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _make_parents(target: Path, root: Path) -> None:
    """Create a file's folders; a file where a folder must go (an old page) is removed."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return
    except (FileExistsError, NotADirectoryError):
        pass
    for parent in reversed(target.relative_to(root).parents[:-1]):
        path = root / parent
        if path.is_file() or path.is_symlink():
            path.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)


def _prune_empty_parents(path: Path, root: Path) -> None:
    for parent in path.parents:
        if parent == root or not parent.is_relative_to(root):
            return
        try:
            parent.rmdir()
        except OSError:
            return


class OutputWriter:
    """Collects changed files in `.<output>.staging-<pid>/` and commits them."""

    def __init__(self, output_dir: Path):
        if output_dir.is_symlink():  # update what the link points at, keep the link
            output_dir = output_dir.resolve()
        self.output = output_dir
        self.flat = output_dir.is_dir()
        name = f".{output_dir.name}.staging-{os.getpid()}{FLAT if self.flat else ''}"
        self.stage = output_dir.parent / name
        output_dir.parent.mkdir(parents=True, exist_ok=True)
        for leftover in output_dir.parent.glob(f".{output_dir.name}.staging-*"):
            shutil.rmtree(leftover, ignore_errors=True)  # from builds that were killed
        self.stage.mkdir()
        self.moved: set[str] = set()  # moved in ahead of the commit

    def write(self, rel: str, data: bytes) -> None:
        stage_file(self.stage, rel, data)

    def copy(self, rel: str, source: Path) -> None:
        stage_copy(self.stage, rel, source)

    def abort(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)

    @contextlib.contextmanager
    def guarded(self, partial: bool) -> Iterator[None]:
        """Abort on any failure inside; a write the file system refused becomes
        WriteFailed (`partial`: files had begun to move in)."""
        try:
            yield
        except OSError as exc:
            self.abort()
            raise refused(exc, self.output, partial) from None
        except BaseException:
            self.abort()
            raise

    def _move_in(self, rel: str) -> None:
        target = self.output / rel
        _make_parents(target, self.output)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        os.replace(staged_path(self.stage, rel), target)

    def move_in_now(self, staged: Iterable[str]) -> None:
        """Move some staged files in before the rest are ready (the preview shows the
        pages open in the browser first); the commit then counts them as written."""
        self.output.mkdir(parents=True, exist_ok=True)
        with _signals_deferred():
            for rel in sorted(staged):
                self._move_in(rel)
                self.moved.add(rel)

    def commit(
        self, staged: Iterable[str], planned: set[str], previous: set[str] | None
    ) -> WriteReport:
        """Move staged files in and remove what is no longer planned.

        `previous` lists what the last build wrote; without it the output folder is
        walked, so files from anywhere are removed.
        """
        staged = sorted(set(staged) | self.moved)
        if not self.output.exists() and not self.flat:
            os.rename(self.stage, self.output)
            return WriteReport(len(staged), len(planned) - len(staged), 0, tuple(staged))
        old = previous if previous is not None else tree_files(self.output)
        stale = sorted(old - planned)
        with _signals_deferred():
            for rel in staged:
                if rel not in self.moved:
                    self._move_in(rel)
            for rel in stale:
                path = self.output / rel
                if path.is_dir() and not path.is_symlink():
                    continue  # an old file whose name is now a folder of new pages
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                _prune_empty_parents(path, self.output)
        shutil.rmtree(self.stage, ignore_errors=True)
        return WriteReport(
            len(staged), len(planned) - len(staged), len(stale), tuple(staged), tuple(stale)
        )


def differences(mine: Path, clean: Path) -> list[Diagnostic]:
    """Every file of `mine` that is missing from, extra to or differs from `clean`."""
    ours, theirs = tree_files(mine), tree_files(clean)
    problems = [
        error(str(mine / rel), "missing from the incremental build")
        for rel in sorted(theirs - ours)
    ]
    problems += [error(str(mine / rel), "not in a clean build") for rel in sorted(ours - theirs)]
    problems += [
        error(str(mine / rel), "differs from a clean build")
        for rel in sorted(ours & theirs)
        if not same_file(mine / rel, (clean / rel).stat().st_size, file_digest(clean / rel))
    ]
    return problems
