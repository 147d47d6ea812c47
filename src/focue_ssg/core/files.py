"""Whether a path names a file or a folder, for paths that writers and readers type.

`Path.is_file()` raises for a name the system cannot look up at all (longer than
a file name may be, or holding a NUL byte); such a name is a typo in a config, a
story or a URL, and names nothing, so here it is simply not found.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

NOT_A_FILE = "is not a file (a folder, a pipe, or a link that leads nowhere)"


def _asked(question: Callable[[], object]) -> bool:
    try:
        return bool(question())
    except (OSError, ValueError):  # ValueError: a NUL byte
        return False


def is_file(path: Path) -> bool:
    return _asked(path.is_file)


def is_dir(path: Path) -> bool:
    return _asked(path.is_dir)


def exists(path: Path) -> bool:
    return _asked(path.exists)


def present(path: Path) -> bool:
    """Whether anything is there: a file, a folder, or a link, even one to nothing."""
    return _asked(path.lstat)


def unusable(path: Path) -> str | None:
    """Why the system cannot look up `path` at all (its name too long, say), or None
    (whether or not something is there)."""
    try:
        path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        return exc.strerror or str(exc)
    except ValueError as exc:  # a NUL byte
        return str(exc)
    return None


DEEPEST = 100  # folders below static/ or a theme folder that a build goes into


def files_below(folder: Path) -> tuple[list[Path], list[Path]]:
    """The files below `folder` in path order (links to files too, links to folders
    not followed), and the folders nested too deep to go into. The standard library's
    walks, copies and removals recurse once per folder, and a tree nested past its
    recursion limit (a thousand deep) stopped the build; this walk keeps a stack of
    its own and stops at DEEPEST, which no real site's assets come near."""
    files: list[Path] = []
    deep: list[Path] = []
    stack = [(folder, 0)]
    while stack:
        here, depth = stack.pop()
        later = []
        for entry in _entries(here):
            path = here / entry.name
            if _asked(lambda e=entry: e.is_dir(follow_symlinks=False)):
                later.append(path)
            elif _asked(entry.is_file):
                files.append(path)
        if depth >= DEEPEST:
            deep += later
        else:
            stack += [(path, depth + 1) for path in later]
    return sorted(files, key=lambda p: p.parts), deep


def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError:  # unreadable: its files are not there to the build
        return []
