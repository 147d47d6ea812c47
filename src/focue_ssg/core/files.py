"""Whether a path names a file or a folder, for paths that writers and readers type.

`Path.is_file()` raises for a name the system cannot look up at all (longer than
a file name may be, or holding a NUL byte); such a name is a typo in a config, a
story or a URL, and names nothing, so here it is simply not found.
"""

from __future__ import annotations

from pathlib import Path


def is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False
