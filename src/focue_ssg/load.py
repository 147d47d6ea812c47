"""Read source files; parse one file (a pure function of path and bytes) into an Article.

Parsing never touches the disk or the rest of the site, so its result can be
cached by content hash and computed in any process.
"""

from __future__ import annotations

import functools
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from .dates import strip_file_name_date
from .errors import Diagnostic, error, warning
from .fingerprint import digest
from .markup import render_body
from .metadata import parse_front_matter
from .model import Article
from .schema import Fields, read_fields
from .slugs import slugify
from .textpos import line_col

CONTENT_DIR = "content"
ARTICLE_SUFFIX = ".md"


@dataclass(frozen=True)
class ParseSettings:
    """Everything besides the file's bytes that parsing depends on."""

    timezone: str = "UTC"
    smart_quotes: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class SourceFile:
    """A file to parse: its path relative to `content/` and its bytes."""

    path: str
    data: bytes

    @functools.cached_property
    def digest(self) -> bytes:
        """Of its bytes: the cache's key for it, and what an article is a function of."""
        return digest(self.data)


def decode(path: str, data: bytes) -> str | Diagnostic:
    """UTF-8 text with `\\n` line ends, or why the bytes are not an article."""
    if not data.strip():
        return error(path, "the file is empty; an article needs front matter and a body", 1)
    if b"\x00" in data:
        return error(path, "this is a binary file (it contains NUL bytes), not Markdown text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", "replace")
        line, column = line_col(before, len(before))
        byte = data[exc.start]
        return error(
            path,
            f"not valid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8",
            line,
            column,
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _stem(path: str) -> str:
    return posixpath.splitext(posixpath.basename(path))[0]


def _build_article(
    source: SourceFile, fields: Fields, body_text: str, body_line: int, settings: ParseSettings
) -> Article:
    path = source.path
    body = render_body(body_text, body_line, settings.smart_quotes)
    stem = strip_file_name_date(_stem(path))
    slug = fields.slug or slugify(fields.title) or slugify(stem) or "article"
    return Article(
        path=path,
        title=fields.title,
        date=fields.date,
        slug=slug,
        summary=fields.summary or body.summary,
        body=body.html.encode("utf-8", "surrogatepass"),
        updated=fields.updated,
        section=fields.section,
        tags=fields.tags,
        authors=fields.authors,
        contributors=fields.contributors if fields.contributors is not None else body.contributors,
        draft=fields.draft,
        image=fields.image,
        source=fields.source,
        aliases=fields.aliases,
        canonical=fields.canonical,
        noindex=fields.noindex,
        expires=fields.expires,
        read_more=fields.read_more,
        inline_read_more=body.read_more,
        body_links=body.links,
        body_urls=body.urls,
        extra=fields.extra,
        lines=fields.lines,
        source_digest=source.digest,
    )


def parse_article(
    source: SourceFile, settings: ParseSettings
) -> tuple[Article | None, tuple[Diagnostic, ...]]:
    """One file to an Article (None if it has errors) and its diagnostics."""
    shown = f"{CONTENT_DIR}/{source.path}"
    text = decode(shown, source.data)
    if isinstance(text, Diagnostic):
        return None, (text,)
    front = parse_front_matter(shown, text)
    if isinstance(front, Diagnostic):
        return None, (front,)
    fields, problems = read_fields(shown, front, _stem(source.path), settings.zone)
    if fields is None:
        return None, problems
    article = _build_article(source, fields, front.body, front.body_line, settings)
    return article, problems


@dataclass(frozen=True)
class Found:
    """A source file as the folder walk saw it: enough to tell whether it changed."""

    path: str  # relative to content/
    size: int
    mtime_ns: int


def _walk(folder: str, rel: str, root: str, found: list[Found], problems: list[Diagnostic]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        problems.append(error(f"{CONTENT_DIR}/{rel}", f"cannot read folder: {exc.strerror}"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        shown = f"{CONTENT_DIR}/{rel}{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            _walk(entry.path, f"{rel}{entry.name}/", root, found, problems)
        elif entry.is_symlink() and entry.is_dir():
            problems.append(warning(shown, "symlinked folder not followed"))
        elif entry.name.endswith(ARTICLE_SUFFIX):
            if entry.is_symlink() and not os.path.realpath(entry.path).startswith(root):
                problems.append(warning(shown, "symlink points outside the site; not published"))
                continue
            try:
                info = entry.stat()
            except OSError as exc:
                problems.append(error(shown, f"cannot read: {exc.strerror}"))
                continue
            found.append(Found(f"{rel}{entry.name}", info.st_size, info.st_mtime_ns))


def scan_sources(site_dir: Path) -> tuple[list[Found], list[Diagnostic]]:
    """Every `*.md` under content/ with its size and mtime, sorted by path; hidden
    files and folders are skipped, and so are links that lead out of the site."""
    found: list[Found] = []
    problems: list[Diagnostic] = []
    root = os.path.realpath(site_dir) + os.sep
    _walk(str(site_dir / CONTENT_DIR), "", root, found, problems)
    return sorted(found, key=lambda f: f.path), problems


def find_sources(site_dir: Path) -> tuple[list[str], list[Diagnostic]]:
    found, problems = scan_sources(site_dir)
    return [f.path for f in found], problems
