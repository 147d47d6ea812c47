"""The front-matter fields, typed and checked; the names they go by are in
`model.fields`. Unknown fields are kept for templates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..config.menus import MENUS
from ..core.errors import Diagnostic, did_you_mean, error, warning
from ..core.text import plain_text, shorten, slug_problem, split_names, unescape
from ..model.article import GENRES, FieldRef, Image, Outlet, Revision
from ..model.fields import ARTICLE_ONLY, KNOWN_FIELDS
from ..model.page import PAGE_TYPE
from .dates import DateError, date_from_file_name, to_datetime
from .front_matter import FrontMatter
from .reader import FieldReader, dedupe
from .revisions import read_revisions


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
    genre: str
    corrections: tuple[Revision, ...]
    updates: tuple[Revision, ...]
    featured: bool
    pinned_until: datetime | None
    zone: ZoneInfo
    extra: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


def _read_zone(r: FieldReader, site_zone: ZoneInfo) -> tuple[ZoneInfo, bool]:
    """The article's zone, and whether the writer chose it for this article."""
    name = r.string("timezone")
    if name is None:
        return site_zone, False
    try:
        return ZoneInfo(name), True
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        r.report("timezone", f"timezone: '{name}' is not an IANA time zone such as 'Asia/Shanghai'")
        return site_zone, False


def _blank(r: FieldReader, canonical: str, example: str) -> bool:
    """A required field written with nothing after it: an error that names it."""
    name = r.blank(canonical)
    if name is None:
        return False
    r.report(name, f"'{name}' is blank: write {example} after '{name}:'")
    return True


def _read_title(r: FieldReader) -> str | None:
    if _blank(r, "title", "the headline"):
        return None
    if r.name_of("title") is None:
        r.problems.append(
            error(r.path, "title is required: add a 'title:' line to the front matter", 1)
        )
        return None
    title = r.string("title")
    return " ".join(unescape(title).split()) if title else None


def _read_datetime(
    r: FieldReader, canonical: str, zone: ZoneInfo, convert: bool
) -> datetime | None:
    name = r.name_of(canonical)
    if name is None:
        return None
    try:
        return to_datetime(r.values[name], zone, convert)
    except DateError as exc:
        r.report(name, f"{name}: {exc}")
        return None


def _read_date(r: FieldReader, stem: str, zone: ZoneInfo, convert: bool) -> datetime | None:
    if _blank(r, "date", "a date such as 2023-10-17 07:45"):
        return None
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


def _read_slug(r: FieldReader) -> str | None:
    slug = r.string("slug")
    problem = None if slug is None else slug_problem(slug)
    if problem is None:
        return slug
    r.report("slug", f"slug: {problem}")
    return None


def _read_flag(r: FieldReader, name: str) -> bool:
    value = r.values.get(name)
    if value is None or isinstance(value, bool):
        return bool(value)
    r.report(name, f"{name}: must be true or false (without quotes), not {value!r}")
    return False


def _read_featured(r: FieldReader) -> bool:
    name = r.name_of("featured")
    return _read_flag(r, name) if name else False


def _read_canonical(r: FieldReader) -> str | None:
    url = r.string("canonical")
    if url is None or re.match(r"https?://[^/\s]+", url):
        return url
    r.report(
        r.name_of("canonical") or "canonical", f"canonical: '{url}' must be a full URL (https://…)"
    )
    return None


def _read_draft(r: FieldReader) -> bool:
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


def _read_section(r: FieldReader) -> str | None:
    name = r.name_of("section")
    if name is None:
        return None
    value = r.values[name]
    if isinstance(value, list):
        sections = r.strings("section")
        return sections[0] if sections else None
    return r.string("section")


def _read_image(r: FieldReader) -> Image | None:
    src = r.string("image")
    if src is None:
        return None
    return Image(
        src=src,
        caption=r.string("image_caption"),
        credit=r.string("image_credit"),
        alt=r.string("image_alt"),
        focus=_read_focus(r),
        width=_read_pixels(r, "image_width"),
        height=_read_pixels(r, "image_height"),
    )


def _read_focus(r: FieldReader) -> tuple[float, float] | None:
    """`image_focus: "0.3,0.4"`: the point crops keep, from the left and the top."""
    text = r.string("image_focus")
    if text is None:
        return None
    try:
        x, y = (float(part) for part in text.split(","))
    except ValueError:
        x = y = -1.0
    if 0 <= x <= 1 and 0 <= y <= 1:
        return x, y
    r.report("image_focus", f"image_focus: '{text}' must be two fractions, \"x,y\", from 0 to 1")
    return None


def _read_pixels(r: FieldReader, name: str) -> int | None:
    text = r.string(name)
    if text is None:
        return None
    if text.isdigit() and 0 < int(text) <= 100_000:
        return int(text)
    r.report(name, f"{name}: '{text}' must be a size in pixels, such as 1200")
    return None


def _read_source(r: FieldReader) -> Outlet | None:
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


def _read_refs(r: FieldReader) -> tuple[FieldRef, ...]:
    targets = r.strings("read_more")
    pos = r.pos("read_more")
    refs = []
    for i, target in enumerate(targets):
        item = pos.items[i] if pos and i < len(pos.items) else pos
        refs.append(FieldRef(target, item.line if item else None, item.column if item else None))
    return tuple(refs)


def _read_summary(r: FieldReader) -> str | None:
    summary = r.string("summary")
    if summary is None:
        return None
    return shorten(plain_text(summary)) or None


def _read_contributors(r: FieldReader) -> tuple[str, ...] | None:
    if r.name_of("contributors") is None:
        return None
    value = r.values["contributors"]
    if isinstance(value, str):
        return split_names(value)
    return r.strings("contributors")


def _read_genre(r: FieldReader) -> str:
    genre = r.string("genre")
    if genre is None or genre.lower() in GENRES:
        return genre.lower() if genre else "news"
    hint = did_you_mean(genre.lower(), GENRES)
    r.report("genre", f"genre: '{genre}' is not a genre{hint}; choose from {', '.join(GENRES)}")
    return "news"


def _warn_about_near_misses(r: FieldReader) -> None:
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
    r = FieldReader(path, front)
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
        tags=dedupe(r.strings("tags", split_text=True)),
        authors=dedupe(r.strings("authors")),
        contributors=_read_contributors(r),
        draft=_read_draft(r),
        read_more=_read_refs(r),
        image=_read_image(r),
        source=_read_source(r),
        aliases=r.strings("aliases"),
        canonical=_read_canonical(r),
        noindex=_read_flag(r, "noindex"),
        expires=_read_datetime(r, "expires", zone, own_zone),
        genre=_read_genre(r),
        corrections=read_revisions(r, "corrections", zone, own_zone, date),
        updates=read_revisions(r, "updates", zone, own_zone, date),
        featured=_read_featured(r),
        pinned_until=_read_datetime(r, "pinned_until", zone, own_zone),
    )
    _warn_about_near_misses(r)
    for name in ("updated", "pinned_until"):
        if date and values[name] and values[name] < date:
            r.report(r.name_of(name) or name, f"{name} is earlier than date", fatal=False)
    if any(p.is_error for p in r.problems) or title is None or date is None:
        return None, tuple(r.problems)
    extra = {k: v for k, v in front.values.items() if k not in KNOWN_FIELDS}
    lines = {k: p.line for k, p in front.positions.items()}
    fields_ = Fields(title=title, date=date, zone=zone, extra=extra, lines=lines, **values)
    return fields_, tuple(r.problems)


@dataclass(frozen=True)
class PageFields:
    """A standalone page's typed front matter."""

    title: str
    updated: datetime | None
    slug: str | None
    summary: str | None
    draft: bool
    menus: tuple[str, ...]
    image: Image | None
    canonical: str | None
    noindex: bool
    extra: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


def is_page(path: str, front: FrontMatter) -> bool:
    """A standalone page: under content/pages/ (Pelican), or `type: page` (Hugo) or
    `layout: page` (Jekyll) anywhere."""
    kind = front.values.get("type", front.values.get("layout"))
    return path.startswith("pages/") or (isinstance(kind, str) and kind.strip() == PAGE_TYPE)


def _read_menus(r: FieldReader) -> tuple[str, ...]:
    menus = dedupe(r.strings("menu"))
    for i, name in enumerate(menus):
        if name not in MENUS:
            hint = did_you_mean(name, MENUS)
            r.report(
                r.name_of("menu") or "menu",
                f"menu: '{name}' is not a menu{hint}; choose {' or '.join(MENUS)}",
                item=i,
            )
    return menus


def _warn_about_article_fields(r: FieldReader) -> None:
    for canonical in ARTICLE_ONLY:
        name = r.name_of(canonical)
        if name is not None:
            r.report(
                name, f"'{name}' is for articles; a page has none, so it is ignored", fatal=False
            )


def read_page_fields(
    path: str, front: FrontMatter, site_zone: ZoneInfo
) -> tuple[PageFields | None, tuple[Diagnostic, ...]]:
    """A page's typed fields (None when any error was found) and every problem found."""
    r = FieldReader(path, front)
    zone, own_zone = _read_zone(r, site_zone)
    title = _read_title(r)
    values = dict(
        updated=_read_datetime(r, "updated", zone, own_zone),
        slug=_read_slug(r),
        summary=_read_summary(r),
        draft=_read_draft(r),
        menus=_read_menus(r),
        image=_read_image(r),
        canonical=_read_canonical(r),
        noindex=_read_flag(r, "noindex"),
    )
    _warn_about_article_fields(r)
    _warn_about_near_misses(r)
    if any(p.is_error for p in r.problems) or title is None:
        return None, tuple(r.problems)
    extra = {k: v for k, v in front.values.items() if k not in KNOWN_FIELDS}
    lines = {k: p.line for k, p in front.positions.items()}
    return PageFields(title=title, extra=extra, lines=lines, **values), tuple(r.problems)
