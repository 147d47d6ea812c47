"""Read source files; parse one file (a pure function of path and bytes) into an Article.

Parsing never touches the disk or the rest of the site, so its result can be
cached by content hash and computed in any process.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from .dates import strip_file_name_date
from .errors import Diagnostic, error, warning
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
    path: str, fields: Fields, body_text: str, body_line: int, settings: ParseSettings
) -> Article:
    body = render_body(body_text, body_line, settings.smart_quotes)
    stem = strip_file_name_date(_stem(path))
    slug = fields.slug or slugify(fields.title) or slugify(stem) or "article"
    return Article(
        path=path,
        title=fields.title,
        date=fields.date,
        slug=slug,
        summary=fields.summary or body.summary,
        body_html=body.html,
        updated=fields.updated,
        section=fields.section,
        tags=fields.tags,
        authors=fields.authors,
        contributors=fields.contributors if fields.contributors is not None else body.contributors,
        draft=fields.draft,
        image=fields.image,
        source=fields.source,
        aliases=fields.aliases,
        read_more=fields.read_more,
        inline_read_more=body.read_more,
        body_links=body.links,
        extra=fields.extra,
        lines=fields.lines,
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
    article = _build_article(source.path, fields, front.body, front.body_line, settings)
    return article, problems


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def find_sources(site_dir: Path) -> tuple[list[str], list[Diagnostic]]:
    """Paths of every `*.md` under content/, sorted; hidden files and escaping links skipped."""
    content = site_dir / CONTENT_DIR
    root = site_dir.resolve()
    found: list[str] = []
    problems: list[Diagnostic] = []
    for folder, dirs, files in os.walk(content):
        here = Path(folder)
        for name in sorted(dirs):
            if name.startswith(".") or (here / name).is_symlink():
                dirs.remove(name)
                if not name.startswith("."):
                    shown = (here / name).relative_to(site_dir).as_posix()
                    problems.append(warning(shown, "symlinked folder not followed"))
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(ARTICLE_SUFFIX):
                continue
            file = here / name
            if file.is_symlink() and not _inside(file, root):
                shown = file.relative_to(site_dir).as_posix()
                problems.append(warning(shown, "symlink points outside the site; not published"))
                continue
            found.append(file.relative_to(content).as_posix())
    return sorted(found), problems


def read_sources(site_dir: Path, paths: list[str]) -> tuple[list[SourceFile], list[Diagnostic]]:
    sources, problems = [], []
    for path in paths:
        try:
            data = (site_dir / CONTENT_DIR / path).read_bytes()
        except OSError as exc:
            problems.append(error(f"{CONTENT_DIR}/{path}", f"cannot read: {exc.strerror}"))
            continue
        sources.append(SourceFile(path, data))
    return sources, problems
