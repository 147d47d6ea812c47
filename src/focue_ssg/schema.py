"""The front-matter fields: types, defaults and the names other generators use.

Sites migrating from Jekyll, Hugo or Eleventy keep their files: `author`,
`excerpt`/`description`, `lastmod`/`modified`, `categories`, `published` and
`redirect_from` are read as our fields. Unknown fields are kept for templates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .dates import DateError, date_from_file_name, to_datetime
from .errors import Diagnostic, did_you_mean, error, warning
from .markup import shorten, split_names
from .metadata import FrontMatter, Pos
from .model import FieldRef, Image, Outlet
from .slugs import is_valid_slug, slugify

# canonical name -> names read as it, in order of preference
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "date": ("date",),
    "updated": ("updated", "lastmod", "modified", "last_modified_at"),
    "slug": ("slug",),
    "summary": ("summary", "description", "excerpt"),
    "section": ("section", "categories", "category"),
    "tags": ("tags",),
    "authors": ("authors", "author"),
    "contributors": ("contributors",),
    "draft": ("draft",),
    "published": ("published",),
    "read_more": ("read_more",),
    "image": ("image",),
    "image_caption": ("image_caption",),
    "image_credit": ("image_credit",),
    "image_alt": ("image_alt",),
    "source": ("source",),
    "aliases": ("aliases", "redirect_from"),
    "timezone": ("timezone",),
    "canonical": ("canonical", "canonical_url"),
    "noindex": ("noindex",),
    "expires": ("expires", "expiry_date", "unpublish"),
}
KNOWN_FIELDS = frozenset(name for names in ALIASES.values() for name in names)
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|tr|td|th|figure)\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Fields:
    """Typed front matter; `slug` and `summary` are None when the writer gave none."""

    title: str
    date: datetime
    updated: datetime | None
    slug: str | None
    summary: str | None
    section: str | None
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    contributors: tuple[str, ...] | None
    draft: bool
    read_more: tuple[FieldRef, ...]
    image: Image | None
    source: Outlet | None
    aliases: tuple[str, ...]
    canonical: str | None
    noindex: bool
    expires: datetime | None
    zone: ZoneInfo
    extra: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


def plain_text(value: str) -> str:
    """Front-matter text that may carry HTML (Jekyll excerpts): tags dropped, entities read."""
    return " ".join(unescape(_ANY_TAG.sub("", _BLOCK_TAG.sub(" ", value))).split())


class _Reader:
    """Reads one file's front matter, collecting every problem instead of stopping."""

    def __init__(self, path: str, front: FrontMatter):
        self.path = path
        self.values = front.values
        self.positions = front.positions
        self.problems: list[Diagnostic] = []

    def name_of(self, canonical: str) -> str | None:
        """The first name present for a field, aliases included."""
        for name in ALIASES[canonical]:
            if self.values.get(name) is not None:
                return name
        return None

    def pos(self, name: str) -> Pos | None:
        return self.positions.get(name)

    def report(
        self, name: str, message: str, *, fatal: bool = True, item: int | None = None
    ) -> None:
        pos = self.pos(name)
        if pos is not None and item is not None and item < len(pos.items):
            pos = pos.items[item]
        line, column = (pos.line, pos.column) if pos else (None, None)
        make = error if fatal else warning
        self.problems.append(make(self.path, message, line, column))

    def text(self, name: str, value: Any, pos: Pos | None = None) -> str | None:
        """A scalar as the writer typed it: `title: 2024` is the text '2024'."""
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, (list, dict)):
            return None
        raw = pos.raw if pos is not None else None
        if raw is not None:
            return raw.strip()
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def string(self, canonical: str) -> str | None:
        name = self.name_of(canonical)
        if name is None:
            return None
        value = self.text(name, self.values[name], self.pos(name))
        if value is None:
            self.report(name, f"'{name}' must be text, not a list or mapping")
        return value or None

    def strings(self, canonical: str, *, split_text: bool = False) -> tuple[str, ...]:
        """A list of scalars; one string is one item (or split, for `tags: a, b`)."""
        name = self.name_of(canonical)
        if name is None:
            return ()
        value = self.values[name]
        pos = self.pos(name)
        if not isinstance(value, list):
            text = self.text(name, value, pos)
            if text is None:
                self.report(name, f"'{name}' must be a list of text items")
                return ()
            if split_text and "," in text:
                items = tuple(t.strip() for t in text.split(",") if t.strip())
                shown = ", ".join(items)
                self.report(
                    name,
                    f"'{name}' should be a list; read '{text}' as [{shown}]",
                    fatal=False,
                )
                return items
            return (text,) if text else ()
        items: list[str] = []
        for i, item in enumerate(value):
            item_pos = pos.items[i] if pos and i < len(pos.items) else None
            text = self.text(name, item, item_pos)
            if text is None:
                kind = "a mapping" if isinstance(item, dict) else "a list"
                self.report(name, f"'{name}' item {i + 1} must be text, not {kind}", item=i)
            elif text:
                items.append(text)
        return tuple(items)


def _dedupe(items: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    kept = []
    for item in items:
        key = " ".join(item.casefold().split())
        if key not in seen:
            seen.add(key)
            kept.append(" ".join(item.split()))
    return tuple(kept)


def _read_zone(r: _Reader, site_zone: ZoneInfo) -> tuple[ZoneInfo, bool]:
    """The article's zone, and whether the writer chose it for this article."""
    name = r.string("timezone")
    if name is None:
        return site_zone, False
    try:
        return ZoneInfo(name), True
    except (ZoneInfoNotFoundError, ValueError):
        r.report("timezone", f"timezone: '{name}' is not an IANA time zone such as 'Asia/Shanghai'")
        return site_zone, False


def _read_title(r: _Reader) -> str | None:
    if r.name_of("title") is None:
        r.problems.append(
            error(r.path, "title is required: add a 'title:' line to the front matter", 1)
        )
        return None
    title = r.string("title")
    return " ".join(unescape(title).split()) if title else None


def _read_datetime(r: _Reader, canonical: str, zone: ZoneInfo, convert: bool) -> datetime | None:
    name = r.name_of(canonical)
    if name is None:
        return None
    try:
        return to_datetime(r.values[name], zone, convert)
    except DateError as exc:
        r.report(name, f"{name}: {exc}")
        return None


def _read_date(r: _Reader, stem: str, zone: ZoneInfo, convert: bool) -> datetime | None:
    if r.name_of("date") is not None:
        return _read_datetime(r, "date", zone, convert)
    try:
        from_name = date_from_file_name(stem, zone)
    except DateError as exc:
        r.problems.append(error(r.path, str(exc), 1))
        return None
    if from_name is None:
        r.problems.append(
            error(r.path, "date is required: add a line such as 'date: 2023-10-17 07:45'", 1)
        )
    return from_name


def _read_slug(r: _Reader) -> str | None:
    slug = r.string("slug")
    if slug is None or is_valid_slug(slug):
        return slug
    hint = slugify(slug)
    suggestion = f" such as '{hint}'" if hint else ""
    r.report(
        "slug",
        f"slug: '{slug}' is not a valid slug; use letters, digits and hyphens{suggestion}",
    )
    return None


def _read_flag(r: _Reader, name: str) -> bool:
    value = r.values.get(name)
    if value is None or isinstance(value, bool):
        return bool(value)
    r.report(name, f"{name}: must be true or false (without quotes), not {value!r}")
    return False


def _read_canonical(r: _Reader) -> str | None:
    url = r.string("canonical")
    if url is None or re.match(r"https?://[^/\s]+", url):
        return url
    r.report(
        r.name_of("canonical") or "canonical", f"canonical: '{url}' must be a full URL (https://…)"
    )
    return None


def _read_draft(r: _Reader) -> bool:
    for name, meaning in (("draft", True), ("published", False)):
        if name not in r.values or r.values[name] is None:
            continue
        value = r.values[name]
        if isinstance(value, bool):
            return value if meaning else not value
        r.report(
            name,
            f"{name}: must be true or false (without quotes), not {value!r}; "
            "the article was not published",
        )
        return True
    return False


def _read_section(r: _Reader) -> str | None:
    name = r.name_of("section")
    if name is None:
        return None
    value = r.values[name]
    if isinstance(value, list):
        sections = r.strings("section")
        return sections[0] if sections else None
    return r.string("section")


def _read_image(r: _Reader) -> Image | None:
    src = r.string("image")
    if src is None:
        return None
    return Image(
        src=src,
        caption=r.string("image_caption"),
        credit=r.string("image_credit"),
        alt=r.string("image_alt"),
    )


def _read_source(r: _Reader) -> Outlet | None:
    value = r.values.get("source")
    if value is None:
        return None
    if isinstance(value, dict):
        name, url = value.get("name"), value.get("url")
        if not isinstance(name, str) or not name.strip():
            r.report("source", "source: a mapping needs 'name' (and may have 'url')")
            return None
        if url is not None and not (isinstance(url, str) and re.match(r"https?://", url)):
            r.report("source", f"source: url {url!r} must start with http:// or https://")
            url = None
        return Outlet(name.strip(), url)
    text = r.string("source")
    if text and re.match(r"https?://", text):
        return Outlet(re.sub(r"^https?://(www\.)?", "", text).split("/")[0], text)
    return Outlet(text) if text else None


def _read_refs(r: _Reader) -> tuple[FieldRef, ...]:
    targets = r.strings("read_more")
    pos = r.pos("read_more")
    refs = []
    for i, target in enumerate(targets):
        item = pos.items[i] if pos and i < len(pos.items) else pos
        refs.append(FieldRef(target, item.line if item else None, item.column if item else None))
    return tuple(refs)


def _read_summary(r: _Reader) -> str | None:
    summary = r.string("summary")
    if summary is None:
        return None
    return shorten(plain_text(summary)) or None


def _read_contributors(r: _Reader) -> tuple[str, ...] | None:
    if r.name_of("contributors") is None:
        return None
    value = r.values["contributors"]
    if isinstance(value, str):
        return split_names(value)
    return r.strings("contributors")


def _warn_about_near_misses(r: _Reader) -> None:
    """A field we do not know that looks like one we do is probably a typo ('tittle')."""
    for name in r.values:
        if name in KNOWN_FIELDS:
            continue
        hint = did_you_mean(name, KNOWN_FIELDS)
        if hint:
            r.report(name, f"unknown field '{name}'{hint}; it is kept for templates", fatal=False)


def read_fields(
    path: str, front: FrontMatter, stem: str, site_zone: ZoneInfo
) -> tuple[Fields | None, tuple[Diagnostic, ...]]:
    """Typed fields (None when any error was found) and every problem found."""
    r = _Reader(path, front)
    for key, line in front.duplicate_keys:
        r.problems.append(warning(path, f"'{key}' is given twice; the last one is used", line))
    zone, own_zone = _read_zone(r, site_zone)
    title = _read_title(r)
    date = _read_date(r, stem, zone, own_zone)
    values = dict(
        updated=_read_datetime(r, "updated", zone, own_zone),
        slug=_read_slug(r),
        summary=_read_summary(r),
        section=_read_section(r),
        tags=_dedupe(r.strings("tags", split_text=True)),
        authors=_dedupe(r.strings("authors")),
        contributors=_read_contributors(r),
        draft=_read_draft(r),
        read_more=_read_refs(r),
        image=_read_image(r),
        source=_read_source(r),
        aliases=r.strings("aliases"),
        canonical=_read_canonical(r),
        noindex=_read_flag(r, "noindex"),
        expires=_read_datetime(r, "expires", zone, own_zone),
    )
    _warn_about_near_misses(r)
    if date and values["updated"] and values["updated"] < date:
        r.report(r.name_of("updated") or "updated", "updated is earlier than date", fatal=False)
    if any(p.is_error for p in r.problems) or title is None or date is None:
        return None, tuple(r.problems)
    extra = {k: v for k, v in front.values.items() if k not in KNOWN_FIELDS}
    lines = {k: p.line for k, p in front.positions.items()}
    fields_ = Fields(title=title, date=date, zone=zone, extra=extra, lines=lines, **values)
    return fields_, tuple(r.problems)
