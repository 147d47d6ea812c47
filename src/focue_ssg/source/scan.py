"""Find the articles: every `*.md` under content/, with what tells whether it changed."""

from __future__ import annotations

import os
from pathlib import Path
from stat import S_ISREG
from typing import NamedTuple

from ..core.errors import Diagnostic, error, warning
from ..core.layout import ARTICLE_SUFFIX, CONTENT_DIR, shown


class Found(NamedTuple):
    """A source file as the folder walk saw it: enough to tell whether it changed. A
    named tuple, made in half a frozen dataclass's time: a site may have a million,
    and a build that has nothing to do is mostly this walk."""

    path: str  # relative to content/
    size: int
    mtime_ns: int


NOT_REGULAR = "not a regular file (a pipe, socket or device); not published"
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
    articles, images = found
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            _walk(entry.path, f"{rel}{name}/", root, found, problems)
        elif entry.is_symlink() and entry.is_dir():
            problems.append(warning(shown(f"{rel}{name}"), "symlinked folder not followed"))
        elif name.endswith(ARTICLE_SUFFIX):
            if entry.is_symlink() and not os.path.realpath(entry.path).startswith(root):
                where = shown(f"{rel}{name}")
                problems.append(warning(where, "symlink points outside the site; not published"))
                continue
            try:
                info = entry.stat()
            except OSError as exc:
                problems.append(error(shown(f"{rel}{name}"), f"cannot read: {exc.strerror}"))
                continue
            if not S_ISREG(info.st_mode):  # reading a pipe would wait for ever
                problems.append(warning(shown(f"{rel}{name}"), NOT_REGULAR))
                continue
            articles.append(Found(f"{rel}{name}", info.st_size, info.st_mtime_ns))
        elif name.lower().endswith(IMAGE_SUFFIXES):
            try:
                info = entry.stat()
            except OSError:
                continue  # a photo that cannot be read is said so where it is named
            if S_ISREG(info.st_mode):
                images.append(Found(f"{rel}{name}", info.st_size, info.st_mtime_ns))


def scan_sources(site_dir: Path) -> tuple[list[Found], list[Diagnostic], list[Found]]:
    """Every `*.md` under content/ with its size and mtime, sorted by path, and every
    image beside them; hidden files and folders are skipped, and so are links that
    lead out of the site."""
    found: tuple[list[Found], list[Found]] = ([], [])
    problems: list[Diagnostic] = []
    root = os.path.realpath(site_dir) + os.sep
    _walk(str(site_dir / CONTENT_DIR), "", root, found, problems)
    return sorted(found[0], key=lambda f: f.path), problems, found[1]
