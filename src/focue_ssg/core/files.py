"""Whether a path names a file or a folder, for paths that writers and readers type.

`Path.is_file()` raises for a name the system cannot look up at all (longer than
a file name may be, or holding a NUL byte); such a name is a typo in a config, a
story or a URL, and names nothing, so here it is simply not found.
"""

from __future__ import annotations

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
