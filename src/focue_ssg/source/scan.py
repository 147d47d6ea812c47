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


def _listing(folder: str, rel: str, problems: list) -> list[os.DirEntry]:
    try:
        return sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        problems.append(error(shown(rel), f"cannot read folder: {exc.strerror}"))
        return []


def _walk(folder: str, root: str, found: tuple[list[Found], list[Found]], problems: list) -> None:
    """`found`: the articles, and the images beside them (a build may show those). Depth
    first, in name order, with a stack of its own rather than recursion: folders nested
    past Python's recursion limit (a thousand deep) stopped the build."""
    stack = [("", iter(_listing(folder, "", problems)))]
    while stack:
        rel, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
        elif entry.name.startswith("."):
            continue
        elif entry.is_dir(follow_symlinks=False):
            inner = f"{rel}{entry.name}/"
            stack.append((inner, iter(_listing(entry.path, inner, problems))))
        else:
            _found(entry, rel, root, found, problems)


def _found(
    entry: os.DirEntry, rel: str, root: str, found: tuple[list[Found], list[Found]], problems: list
) -> None:
    """A file of content/ (or a link): an article, an image, or nothing of ours."""
    articles, images = found
    name = entry.name
    if entry.is_symlink() and entry.is_dir():
        problems.append(warning(shown(f"{rel}{name}"), "symlinked folder not followed"))
    elif name.endswith(ARTICLE_SUFFIX):
        if entry.is_symlink() and not os.path.realpath(entry.path).startswith(root):
            where = shown(f"{rel}{name}")
            problems.append(warning(where, "symlink points outside the site; not published"))
            return
        try:
            info = entry.stat()
        except OSError as exc:
            problems.append(error(shown(f"{rel}{name}"), f"cannot read: {exc.strerror}"))
            return
        if not S_ISREG(info.st_mode):  # reading a pipe would wait for ever
            problems.append(warning(shown(f"{rel}{name}"), NOT_REGULAR))
            return
        articles.append(Found(f"{rel}{name}", info.st_size, info.st_mtime_ns))
    elif name.lower().endswith(IMAGE_SUFFIXES):
        try:
            info = entry.stat()
        except OSError:
            return  # a photo that cannot be read is said so where it is named
        if S_ISREG(info.st_mode):
            images.append(Found(f"{rel}{name}", info.st_size, info.st_mtime_ns))


def scan_sources(site_dir: Path) -> tuple[list[Found], list[Diagnostic], list[Found]]:
    """Every `*.md` under content/ with its size and mtime, sorted by path, and every
    image beside them; hidden files and folders are skipped, and so are links that
    lead out of the site."""
    found: tuple[list[Found], list[Found]] = ([], [])
    problems: list[Diagnostic] = []
    root = os.path.realpath(site_dir) + os.sep
    _walk(str(site_dir / CONTENT_DIR), root, found, problems)
    return sorted(found[0], key=lambda f: f.path), problems, found[1]
