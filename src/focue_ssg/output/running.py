"""Which code a build runs: the build cache holds only what this same code made.

Our package and the libraries whose change can change the output are read by their
files' stats, so an edited source file or an upgraded library is a new version.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from .. import __version__
from ..core.digests import digest

LIBRARIES = ("markdown", "jinja2", "yaml", "slugify", "markupsafe", "frontmatter")
LIBRARIES += ("snowballstemmer", "nh3")  # with ours, the code the output depends on


def code_folders() -> list[Path | None]:
    """Our package's folder and each library's whose change can change the output."""
    return [Path(__file__).parents[1], *(_package_dir(name) for name in LIBRARIES)]


def signature() -> str:
    """The running code itself: a changed source file, ours or a library's (an upgrade
    rewrites its files), invalidates everything. Stats, not importlib.metadata, which
    alone would add 60 ms to every build's start."""
    parts = [__version__, sys.version]
    for folder in code_folders():
        for path in sorted(folder.rglob("*.py")) if folder is not None else ():
            stat = path.stat()
            parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest("\n".join(parts).encode()).hex()


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    return Path(spec.origin).parent if spec is not None and spec.origin else None
