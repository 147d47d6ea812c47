"""Front-matter dates to aware datetimes in the article's time zone.

Writers type dates many ways: YAML timestamps, quoted ISO strings, bare dates,
Jekyll's `2015-03-17 14:00:00 -4`. A naive time is wall-clock time in the site
(or article) zone. A time written with an offset is the writer's own local
time, so its calendar date (and the permalink) is the one written, as in Hugo;
an article's own `timezone:` converts it into that zone instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import yaml

DATE_FORMS = "2023-10-17, 2023-10-17 07:45 or 2023-10-17T07:45:00+08:00"
_LOOKS_LIKE_DATE = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}")
_JEKYLL_STEM = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-")


@dataclass(frozen=True)
class InvalidTimestamp:
    """A value YAML recognised as a timestamp but could not build (2023-02-30)."""

    text: str
    reason: str


class DateError(ValueError):
    """Why a value is not a usable date, in words for the writer."""


def _localise(value: datetime, zone: ZoneInfo, convert: bool) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value.astimezone(zone) if convert else value


def _parse_text(text: str) -> datetime | date:
    text = text.strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        iso_problem = exc
    if yaml.constructor.SafeConstructor.timestamp_regexp.match(text):
        try:
            return yaml.safe_load(f"!!timestamp '{text}'")
        except (ValueError, yaml.YAMLError) as exc:
            raise DateError(f"'{text}' is not a valid date ({exc})") from None
    if _LOOKS_LIKE_DATE.match(text) and "out of range" in str(iso_problem):
        raise DateError(f"'{text}' is not a valid date ({iso_problem})")
    raise DateError(f"'{text}' is not a date; write it as {DATE_FORMS}")


def to_datetime(value: object, zone: ZoneInfo, convert: bool = False) -> datetime:
    """An aware datetime (naive ones in `zone`; all in `zone` if `convert`) or DateError."""
    if isinstance(value, InvalidTimestamp):
        raise DateError(f"'{value.text}' is not a valid date ({value.reason})")
    if isinstance(value, str):
        value = _parse_text(value)
    if isinstance(value, datetime):
        return _localise(value, zone, convert)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=zone)
    raise DateError(f"{value!r} is not a date; write it as {DATE_FORMS}")


def date_from_file_name(stem: str, zone: ZoneInfo) -> datetime | None:
    """Jekyll's `YYYY-MM-DD-title.md` (one-digit months and days too); None if absent."""
    match = _JEKYLL_STEM.match(stem)
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return datetime(year, month, day, tzinfo=zone)
    except ValueError as exc:
        raise DateError(
            f"file name date {match.group(0)[:-1]} is not a valid date ({exc})"
        ) from None


def strip_file_name_date(stem: str) -> str:
    return _JEKYLL_STEM.sub("", stem)
