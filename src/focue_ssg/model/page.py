"""Standalone pages: About, Contact, a corrections policy. A page has no date and is
in no list, feed or archive; it has a URL of its own and may add itself to a menu."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .article import BodyRef, Document, Image, StoredBody, set_slots_state, slots_state

PAGE_TYPE = "page"  # front matter `type: page` (Hugo) or `layout: page` (Jekyll) marks one


@dataclass(frozen=True, slots=True)
class Page(Document):
    """One parsed page file; `path` is relative to `content/` and is its id."""

    path: str
    title: str
    slug: str
    folders: str  # its folders under content/pages/ ('legal/'), which nest its URL
    summary: str
    body: bytes | StoredBody  # HTML in UTF-8, with the placeholders an article body has
    updated: datetime | None = None  # only when written: a page has no other date
    draft: bool = False
    menus: tuple[str, ...] = ()  # the menus it adds itself to
    image: Image | None = None
    canonical: str | None = None
    noindex: bool = False
    inline_read_more: tuple[BodyRef, ...] = ()
    body_links: tuple[BodyRef, ...] = ()
    body_urls: tuple[BodyRef, ...] = ()
    body_images: tuple[BodyRef, ...] = ()  # local images, by their token in the body
    extra: dict[str, Any] = field(default_factory=dict)
    lines: tuple[str | int, ...] = ()  # see Document
    source_digest: bytes = b""  # as an article's: of its path, bytes and the parse settings
    shape: bytes = b""  # as an article's: of all it holds but the body

    __getstate__ = slots_state  # see Article
    __setstate__ = set_slots_state
