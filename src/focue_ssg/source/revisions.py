"""Corrections and updates: lists of `{date, text}` in front matter.

    corrections:
      - date: 2023-10-18 09:00
        text: An earlier version misstated the size of the loan.

Each entry is checked where it is written: a date in the forms `date:` takes, not
before the story's own, and a text. A date after "now" is found by the site model,
which knows "now".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..model.article import Revision
from .dates import DateError, to_datetime
from .reader import FieldReader


def _entry(
    r: FieldReader, name: str, i: int, item: Any, zone: ZoneInfo, convert: bool
) -> Revision | None:
    where = f"{name} item {i + 1}"
    if not isinstance(item, dict):
        r.report(name, f"{where} must be a mapping with 'date' and 'text'", item=i)
        return None
    text, when = item.get("text"), item.get("date")
    if not isinstance(text, str) or not text.strip():
        r.report(name, f"{where} needs a 'text': what was corrected or added", item=i)
        return None
    if when is None:
        r.report(name, f"{where} needs a 'date'", item=i)
        return None
    try:
        date = to_datetime(when, zone, convert)
    except DateError as exc:
        r.report(name, f"{where}: {exc}", item=i)
        return None
    pos = r.pos(name)
    line = pos.items[i].line if pos and i < len(pos.items) else None
    return Revision(date, " ".join(text.split()), line)


def read_revisions(
    r: FieldReader, canonical: str, zone: ZoneInfo, convert: bool, published: datetime | None
) -> tuple[Revision, ...]:
    """The entries of `corrections:` or `updates:`, oldest first."""
    name = r.name_of(canonical)
    if name is None:
        return ()
    value = r.values[name]
    if not isinstance(value, list):
        r.report(name, f"'{name}' must be a list of entries, each with 'date' and 'text'")
        return ()
    found = []
    for i, item in enumerate(value):
        entry = _entry(r, name, i, item, zone, convert)
        if entry is None:
            continue
        if published is not None and entry.date < published:
            r.report(name, f"{name} item {i + 1} is dated before the article itself", item=i)
            continue
        found.append(entry)
    return tuple(sorted(found, key=lambda e: e.date.timestamp()))
