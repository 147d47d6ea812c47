"""The content model: plain frozen dataclasses, articles referenced by their source path."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .markup import BodyRef


@dataclass(frozen=True)
class FieldRef:
    """A reference written in front matter (`read_more:` entries): path, slug or title."""

    target: str
    line: int | None
    column: int | None


@dataclass(frozen=True)
class Image:
    src: str
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None


@dataclass(frozen=True)
class Outlet:
    """The outlet a republished story comes from (`source:` in front matter)."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class Article:
    """One parsed source file. `path` is relative to `content/` and is the article's id."""

    path: str
    title: str
    date: datetime
    slug: str
    summary: str
    body: bytes  # the body's HTML in UTF-8: cached articles load without decoding it
    updated: datetime | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    contributors: tuple[str, ...] = ()
    draft: bool = False
    image: Image | None = None
    source: Outlet | None = None
    aliases: tuple[str, ...] = ()
    canonical: str | None = None  # the original's URL, for syndicated copy
    noindex: bool = False  # keep out of search engines and sitemaps
    expires: datetime | None = None  # taken down at this time
    read_more: tuple[FieldRef, ...] = ()
    inline_read_more: tuple[BodyRef, ...] = ()
    body_links: tuple[BodyRef, ...] = ()
    body_urls: tuple[BodyRef, ...] = ()  # other links and images within the site, for checks
    extra: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    source_digest: bytes = b""  # of the file's bytes: the article is a function of them

    @property
    def body_html(self) -> str:
        """Decoded when a page shows it; most builds show only a few bodies."""
        return self.body.decode("utf-8", "surrogatepass")

    def line_of(self, name: str) -> int | None:
        """The front-matter line of a field, for diagnostics about it."""
        return self.lines.get(name)
