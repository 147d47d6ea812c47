"""Find the articles: every `*.md` under content/, with what tells whether it changed."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Diagnostic, error, warning
from ..core.layout import ARTICLE_SUFFIX, CONTENT_DIR, shown


@dataclass(frozen=True)
class Found:
    """A source file as the folder walk saw it: enough to tell whether it changed."""

    path: str  # relative to content/
    size: int
    mtime_ns: int


IMAGE_SUFFIXES = (
    ".jpg",
    ".jpeg",
    ".png",
    ".webp",
    ".avif",
    ".gif",
    ".tif",
    ".tiff",
    ".bmp",
    ".svg",
)


def _walk(
    folder: str, rel: str, root: str, found: tuple[list[Found], list[Found]], problems: list
) -> None:
    """`found`: the articles, and the images beside them (a build may show those)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        problems.append(error(shown(rel), f"cannot read folder: {exc.strerror}"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        where = shown(f"{rel}{entry.name}")
        if entry.is_dir(follow_symlinks=False):
            _walk(entry.path, f"{rel}{entry.name}/", root, found, problems)
        elif entry.is_symlink() and entry.is_dir():
            problems.append(warning(where, "symlinked folder not followed"))
        elif entry.name.endswith(ARTICLE_SUFFIX):
            if entry.is_symlink() and not os.path.realpath(entry.path).startswith(root):
                problems.append(warning(where, "symlink points outside the site; not published"))
                continue
            try:
                info = entry.stat()
            except OSError as exc:
                problems.append(error(where, f"cannot read: {exc.strerror}"))
                continue
            found[0].append(Found(f"{rel}{entry.name}", info.st_size, info.st_mtime_ns))
        elif entry.name.lower().endswith(IMAGE_SUFFIXES):
            try:
                info = entry.stat()
            except OSError:
                continue  # a photo that cannot be read is said so where it is named
            found[1].append(Found(f"{rel}{entry.name}", info.st_size, info.st_mtime_ns))


def scan_sources(site_dir: Path) -> tuple[list[Found], list[Diagnostic], list[Found]]:
    """Every `*.md` under content/ with its size and mtime, sorted by path, and every
    image beside them; hidden files and folders are skipped, and so are links that
    lead out of the site."""
    found: tuple[list[Found], list[Found]] = ([], [])
    problems: list[Diagnostic] = []
    root = os.path.realpath(site_dir) + os.sep
    _walk(str(site_dir / CONTENT_DIR), "", root, found, problems)
    return sorted(found[0], key=lambda f: f.path), problems, found[1]
