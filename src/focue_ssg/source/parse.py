"""Parse one source file into an Article or a standalone Page: a pure function of its
path, bytes and the parse settings, so its result can be cached by content hash and
made in any process."""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass, replace
from itertools import chain
from typing import Any
from zoneinfo import ZoneInfo

from ..core.digests import digest, digest_parts
from ..core.errors import Diagnostic, error, warning
from ..core.layout import shown
from ..core.text import slugify
from ..core.textpos import line_col
from ..model.article import SPONSORED, Article, SearchTerms
from ..model.page import Page
from .dates import strip_file_name_date
from .fields import Fields, PageFields, is_page, read_fields, read_page_fields
from .front_matter import parse_front_matter
from .markdown import Body, BodyRefused, render_body
from .terms import story_terms


@dataclass(frozen=True)
class ParseSettings:
    """Everything besides the file's bytes that parsing depends on."""

    timezone: str = "UTC"
    smart_quotes: bool = False
    language: str = "en"  # how the search index analyses the text
    search: bool = True  # work out each story's terms for the search index
    html: str = "trusted"  # what raw HTML in a body becomes (config's `html`)

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
        """Of its bytes: the cache's key for it."""
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
        message = f"not valid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8"
        return error(path, message, line, column)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _stem(path: str) -> str:
    return posixpath.splitext(posixpath.basename(path))[0]


def _origin(source: SourceFile, settings: ParseSettings) -> bytes:
    """Everything the article is a function of, digested: what pages showing it are keyed by."""
    return digest_parts((repr(settings).encode(), source.path.encode(), source.digest))


_LAYOUTS: dict[tuple, tuple] = {}  # front-matter layouts this process has seen
_MOST_LAYOUTS = 4096


def _laid_out(lines: dict[str, int]) -> tuple[str | int, ...]:
    """The field lines as one flat tuple (name, line, name, line...), a quarter of a
    dict's size; files laid out alike, as most of a newsroom's are, share it."""
    if len(_LAYOUTS) >= _MOST_LAYOUTS:
        _LAYOUTS.clear()
    flat = tuple(chain.from_iterable(lines.items()))
    return _LAYOUTS.setdefault(flat, flat)


def _shared(
    source: SourceFile, fields: Fields | PageFields, body: Body, settings: ParseSettings
) -> dict[str, Any]:
    """What an article and a page are made of alike: the body and what it refers to,
    the front matter's leftovers and lines, and what they are a function of."""
    return {
        "path": source.path,
        "title": fields.title,
        "summary": fields.summary or body.summary,
        "body": body.html.encode("utf-8", "surrogatepass"),
        "updated": fields.updated,
        "draft": fields.draft,
        "image": fields.image,
        "canonical": fields.canonical,
        "noindex": fields.noindex,
        "inline_read_more": body.read_more,
        "body_links": body.links,
        "body_urls": body.urls,
        "body_images": body.images,
        "extra": fields.extra,
        "lines": _laid_out(fields.lines),
        "source_digest": _origin(source, settings),
    }


def _build_article(
    source: SourceFile, fields: Fields, body: Body, settings: ParseSettings
) -> Article:
    stem = strip_file_name_date(_stem(source.path))
    return Article(
        **_shared(source, fields, body, settings),
        date=fields.date,
        slug=fields.slug or slugify(fields.title) or slugify(stem) or "article",
        section=fields.section,
        tags=fields.tags,
        authors=fields.authors,
        contributors=fields.contributors if fields.contributors is not None else body.contributors,
        source=fields.source,
        aliases=fields.aliases,
        expires=fields.expires,
        read_more=fields.read_more,
        genre=fields.genre,
        corrections=fields.corrections,
        updates=fields.updates,
        featured=fields.featured,
        pinned_until=fields.pinned_until,
        search_terms=story_terms(
            settings.language, fields.title, fields.summary or body.summary, body.html
        )
        if settings.search
        else SearchTerms(),
    )


def _build_page(
    source: SourceFile, fields: PageFields, body: Body, settings: ParseSettings
) -> Page:
    folders = posixpath.dirname(source.path.removeprefix("pages/"))
    return Page(
        **_shared(source, fields, body, settings),
        slug=fields.slug or slugify(_stem(source.path)) or slugify(fields.title) or "page",
        folders=f"{folders}/" if folders and source.path.startswith("pages/") else "",
        menus=fields.menus,
    )


BODY_REFS = ("inline_read_more", "body_links", "body_urls", "body_images")


def _with_shape(document: Article | Page) -> Article | Page:
    """The document with the digest of all it holds but its body and search terms, and
    where in the body its references are (which only diagnostics say, and a build makes
    those afresh): two parses of one shape make the same site model, so an edit of the
    body alone changes only the pages that show the body (see output/shape.py)."""
    bare: dict[str, Any] = {"body": b"", "source_digest": b""}
    for name in BODY_REFS:
        bare[name] = tuple(replace(ref, line=0, column=0) for ref in getattr(document, name))
    if isinstance(document, Article):
        bare["search_terms"] = SearchTerms()
    made = repr(replace(document, **bare)).encode("utf-8", "surrogatepass")
    return replace(document, shape=digest(made))


def _html_warnings(where: str, body: Body) -> tuple[Diagnostic, ...]:
    return tuple(warning(where, message, line, column) for line, column, message in body.problems)


def parse_source(
    source: SourceFile, settings: ParseSettings
) -> tuple[Article | Page | None, tuple[Diagnostic, ...]]:
    """One file to an Article, or a Page (None if it has errors), and its diagnostics."""
    where = shown(source.path)
    text = decode(where, source.data)
    if isinstance(text, Diagnostic):
        return None, (text,)
    front = parse_front_matter(where, text)
    if isinstance(front, Diagnostic):
        return None, (front,)
    try:
        if is_page(source.path, front):
            page_fields, problems = read_page_fields(where, front, settings.zone)
            if page_fields is None:
                return None, problems
            body = render_body(
                front.body, front.body_line, settings.smart_quotes, False, settings.html
            )
            problems += _html_warnings(where, body)
            return _with_shape(_build_page(source, page_fields, body, settings)), problems
        fields, problems = read_fields(where, front, _stem(source.path), settings.zone)
        if fields is None:
            return None, problems
        sponsored = fields.genre == SPONSORED
        body = render_body(
            front.body, front.body_line, settings.smart_quotes, sponsored, settings.html
        )
        problems += _html_warnings(where, body)
        return _with_shape(_build_article(source, fields, body, settings)), problems
    except BodyRefused as refused:
        return None, (*problems, error(where, str(refused), refused.line))
