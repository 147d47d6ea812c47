"""The site config: a frozen dataclass read from an optional `focue.toml`, validated.

Every key has a default, so a folder with only `content/` is a site. A misspelt
key is an error with a "did you mean" hint rather than a silently ignored value.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..core.errors import Diagnostic, did_you_mean, error
from ..core.files import NOT_A_FILE, present
from ..core.layout import CONFIG_FILE
from ..core.textpos import line_of_key, toml_problem
from .home import HELP as HOME_HELP
from .home import HomeSettings, parse_home
from .images import HELP as IMAGES_HELP
from .images import ImageSettings, parse_images
from .menus import MenuEntry, parse_menus

FOCUE_TAGLINE = (
    "Focue Provides the Latest and Most Up-to-Date News, What You Focus On is What You Get."
)
PERMALINK_FIELDS = ("year", "month", "day", "slug", "section")
PAGE_PERMALINK_FIELDS = ("path", "slug")


def _setting(default: Any, help: str) -> Any:
    """A config field with the one-line help `focue init` writes beside it."""
    return field(default=default, metadata={"help": help})


REQUIRABLE = ("summary", "image", "section", "authors", "tags")


@dataclass(frozen=True)
class SiteConfig:
    title: str = _setting("Focue", "the site's name")
    tagline: str = _setting(FOCUE_TAGLINE, "one line under the name")
    base_url: str = _setting(
        "/", "the address it is served from, with any path: https://example.org/news/"
    )
    language: str = _setting("en", "the language of the site (<html lang>, feeds, news sitemap)")
    timezone: str = _setting("UTC", "IANA zone for dates written without an offset")
    page_size: int = _setting(10, "articles per listing page")
    permalink: str = _setting(
        "/{year}/{month}/{day}/{slug}/", "article URLs: {year} {month} {day} {slug} {section}"
    )
    page_permalink: str = _setting(
        "/{path}/", "standalone page URLs: {path} (folders under content/pages/, then slug) {slug}"
    )
    theme: str = _setting("focue", "the theme folder under themes/ (focue is built in)")
    related_articles: int = _setting(5, "stories in each article's Read More block (0: none)")
    smart_quotes: bool = _setting(False, "curly quotes and dashes (Markdown takes longer)")
    feed_limit: int = _setting(20, "entries per feed")
    publication_name: str = _setting("", "the name Google News knows (default: title)")
    logo: str = _setting("", "the publisher's logo for structured data: a URL or site path")
    twitter_site: str = _setting("", "the site's @handle for Twitter cards")
    authors_file: str = _setting("data/authors.toml", "author names, bios, links and photos")
    require: tuple[str, ...] = _setting(
        (), "front-matter fields every article must set: " + ", ".join(REQUIRABLE)
    )
    redirects_file: bool = _setting(
        False, "also write _redirects (Netlify, Cloudflare Pages) for aliases"
    )
    search: bool = _setting(
        True, "a search page and its index (false: none, as for a site searched elsewhere)"
    )
    html: str = _setting(
        "trusted",
        "raw HTML in bodies: trusted (kept, stray tags shown as text), sanitize (cleaned "
        "with nh3), escape (all shown as text)",
    )
    menu: tuple[MenuEntry, ...] = field(
        default=(),
        metadata={
            "help": "menus: [[menu.main]] and [[menu.footer]] tables, each a name and one of "
            "url, page, section, tag",
            "example": '[[menu.main]]\nname = "World"\nsection = "World"',
        },
    )
    home: HomeSettings = field(
        default=HomeSettings(),
        metadata={
            "help": "the front page: after the lead and the top stories, a block of each of "
            "these sections' newest stories",
            "example": "[home]\n"
            + "\n".join(
                f"{name} = {value}  # {HOME_HELP[name]}"
                for name, value in (
                    ("sections", '["World", "Business"]'),
                    ("section_stories", 4),
                    ("top_stories", 4),
                    ("top_story_days", 2),
                )
            ),
        },
    )
    images: ImageSettings = field(
        default=ImageSettings(),
        metadata={
            "help": "photos: the widths and formats each is made in, and their qualities",
            "example": "[images]\n"
            + "\n".join(
                f"{name} = {value}  # {IMAGES_HELP[name]}"
                for name, value in (
                    ("widths", "[320, 640, 960, 1280, 1920]"),
                    ("formats", '["avif", "webp", "jpeg"]'),
                    ("avif_quality", 50),
                    ("webp_quality", 75),
                    ("jpeg_quality", 80),
                    ("max_megapixels", 120),
                )
            ),
        },
    )
    corrections_policy: str = _setting("", "your corrections policy: a URL, or a page's slug")
    ethics_policy: str = _setting("", "your ethics policy: a URL, or a page's slug")
    masthead: str = _setting("", "who runs the newsroom: a URL, or a page's slug")
    # where each key is written in focue.toml, for diagnostics about what it names
    lines: tuple[tuple[str, int], ...] = field(default=(), metadata={"internal": True})

    def line_of(self, key: str) -> int | None:
        return dict(self.lines).get(key)

    @property
    def publication(self) -> str:
        return self.publication_name or self.title

    @property
    def base_path(self) -> str:
        """The URL path every internal link starts with ('/' or '/news/')."""
        return urlsplit(self.base_url).path or "/"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _check_base_url(value: str) -> str | None:
    try:
        parts = urlsplit(value)
        _ = parts.port  # read to check it: a port past 65535 raises
    except ValueError as exc:  # an unclosed IPv6 bracket, a port out of range
        return f"is not a URL: {exc}"
    if parts.scheme and parts.scheme not in ("http", "https"):
        return "must be an http(s) URL or a path such as '/' or '/news/'"
    if parts.scheme and not parts.netloc:
        return "has a scheme but no host"
    if not parts.scheme and not value.startswith("/"):
        return "must be an absolute URL (https://example.org/) or start with '/'"
    if parts.query or parts.fragment:
        return "must not have a query or fragment"
    return None


def _check_timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        return "is not an IANA time zone (such as 'UTC', 'Europe/London' or 'Asia/Shanghai')"
    return None


def _check_pattern(value: str, known: tuple[str, ...], needs: tuple[str, ...]) -> str | None:
    if not value.startswith("/"):
        return "must start with '/'"
    if not (value.endswith("/") or value.endswith(".html")):
        return "must end with '/' (pretty URLs) or '.html'"
    names = re.findall(r"{([^}]*)}", value)
    unknown = [n for n in names if n not in known]
    if unknown:
        return f"uses unknown field '{{{unknown[0]}}}'; known: " + ", ".join(
            "{" + f + "}" for f in known
        )
    if not set(needs) & set(names):
        return "must contain " + " or ".join("{" + f + "}" for f in needs)
    if ".." in value.split("/") or "//" in value:
        return "must not contain '..' or empty path segments"
    return None


def _check_permalink(value: str) -> str | None:
    return _check_pattern(value, PERMALINK_FIELDS, ("slug",))


def _check_page_permalink(value: str) -> str | None:
    return _check_pattern(value, PAGE_PERMALINK_FIELDS, PAGE_PERMALINK_FIELDS)


def _check_theme(value: str) -> str | None:
    return None if re.fullmatch(r"[A-Za-z0-9_-]+", value) else "must be a folder name"


def _check_reference(value: str) -> str | None:
    if not value or re.match(r"https?://[^/\s]+", value) or re.fullmatch(r"/?[\w./-]+/?", value):
        return None
    return "must be a URL (https://…) or a page's slug (such as 'corrections-policy')"


def _check_handle(value: str) -> str | None:
    return None if not value or re.fullmatch(r"@\w{1,15}", value) else "must look like '@focue'"


def _check_relative_path(value: str) -> str | None:
    parts = value.replace("\\", "/").split("/")
    if value.startswith("/") or ".." in parts:
        return "must be a path inside the site folder, such as 'data/authors.toml'"
    return None


def _check_requirable(value: tuple[str, ...]) -> str | None:
    unknown = [v for v in value if v not in REQUIRABLE]
    if unknown:
        return (
            f"names '{unknown[0]}'{did_you_mean(unknown[0], REQUIRABLE)}; choose from "
            + ", ".join(REQUIRABLE)
        )
    return None


HTML_POLICIES = ("trusted", "sanitize", "escape")


def _check_html(value: str) -> str | None:
    if value in HTML_POLICIES:
        return None
    return f"must be one of {', '.join(HTML_POLICIES)}{did_you_mean(value, HTML_POLICIES)}"


def _check_positive(value: int) -> str | None:
    return None if value >= 1 else "must be 1 or more"


def _check_not_negative(value: int) -> str | None:
    return None if value >= 0 else "must be 0 or more"


_VALIDATORS: dict[str, Callable[[Any], str | None]] = {
    "base_url": _check_base_url,
    "timezone": _check_timezone,
    "permalink": _check_permalink,
    "page_permalink": _check_page_permalink,
    "theme": _check_theme,
    "page_size": _check_positive,
    "related_articles": _check_not_negative,
    "feed_limit": _check_positive,
    "twitter_site": _check_handle,
    "authors_file": _check_relative_path,
    "require": _check_requirable,
    "corrections_policy": _check_reference,
    "ethics_policy": _check_reference,
    "masthead": _check_reference,
    "html": _check_html,
}


# settings that are tables, each read by its own parser
_TABLES = {"menu": parse_menus, "home": parse_home, "images": parse_images}


def _normalise(name: str, value: Any) -> Any:
    if name == "base_url" and not value.endswith("/"):
        return value + "/"
    return value


def _type_name(kind: type) -> str:
    return {str: "a string", int: "an integer", bool: "true or false", tuple: "a list of strings"}[
        kind
    ]


def setting_problem(name: str, value: Any) -> str | None:
    """Why a value cannot be this setting, or None (for settings given elsewhere, such
    as --base-url on the command line)."""
    check = _VALIDATORS.get(name)
    return check(value) if check else None


def overridden(config: SiteConfig, **values: Any) -> SiteConfig:
    """The config with these settings replaced (already checked with setting_problem)."""
    return replace(config, **{name: _normalise(name, value) for name, value in values.items()})


def parse_config(text: str, path: str = CONFIG_FILE) -> tuple[SiteConfig, tuple[Diagnostic, ...]]:
    """Validate TOML text into a SiteConfig; on any problem, defaults and diagnostics."""
    try:
        raw = tomllib.loads(text)
    except ValueError as exc:  # a TOMLDecodeError, or int()'s limit
        message, line, column = toml_problem(exc, text)
        return SiteConfig(), (error(path, f"invalid TOML: {message}", line, column),)
    known = settings()
    values: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    for name, value in raw.items():
        line = line_of_key(text, name)
        if name not in known:
            hint = did_you_mean(name, known)
            problems.append(error(path, f"unknown key '{name}'{hint}", line))
            continue
        if name in _TABLES:
            values[name], trouble = _TABLES[name](value, text, path)
            problems += trouble
            continue
        kind = type(getattr(SiteConfig(), name))
        if kind is tuple and isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = tuple(value)
        if type(value) is not kind:
            problems.append(error(path, f"'{name}' must be {_type_name(kind)}", line))
            continue
        check = _VALIDATORS.get(name)
        reason = check(value) if check else None
        if reason:
            problems.append(error(path, f"'{name}' = {value!r} {reason}", line))
            continue
        values[name] = _normalise(name, value)
    lines = tuple((name, line) for name in raw if (line := line_of_key(text, name)) is not None)
    return SiteConfig(**values, lines=lines), tuple(problems)


def settings() -> dict[str, Field]:
    """The settings focue.toml may set, by name (not what the config keeps for itself)."""
    return {f.name: f for f in fields(SiteConfig) if not f.metadata.get("internal")}


def load_config(site_dir: Path) -> tuple[SiteConfig, tuple[Diagnostic, ...]]:
    """Read `focue.toml` if the site has one."""
    config_path = site_dir / CONFIG_FILE
    if not config_path.is_file():
        return SiteConfig(), (error(CONFIG_FILE, NOT_A_FILE),) if present(config_path) else ()
    try:
        text = config_path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return SiteConfig(), (error(CONFIG_FILE, "not valid UTF-8; save the file as UTF-8"),)
    return parse_config(text)
