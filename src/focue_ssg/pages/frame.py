"""What every page carries: the site block, the theme's assets, the site's feed links,
and the `page` block each context starts from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..config.settings import SiteConfig
from ..model.menus import MenuLink
from ..model.paths import term_index_link
from ..model.pictures import Rendition
from ..model.taxonomy import Taxonomy
from .urls import Urls, page_link


@dataclass(frozen=True)
class FeedFormat:
    name: str  # its template is `<name>.xml`
    file: str  # beside the listing it carries: /tags/china/atom.xml
    media_type: str
    label: str


FEED_FORMATS = (
    FeedFormat("atom", "atom.xml", "application/atom+xml", "Atom"),
    FeedFormat("rss", "feed.xml", "application/rss+xml", "RSS"),
)


@dataclass(frozen=True)
class Frame:
    urls: Urls
    common: dict[str, Any]  # `site` and `assets`, in every context
    feeds: list[dict[str, str]]  # the site's own feeds, linked from every page


def feed_links(urls: Urls, first: str, title: str) -> list[dict[str, str]]:
    """The feeds of the listing whose first page is `first`."""
    return [
        {
            "type": feed.media_type,
            "title": f"{title} ({feed.label})",
            "url": urls.link(first + feed.file),
        }
        for feed in FEED_FORMATS
    ]


def make_frame(
    config: SiteConfig,
    assets: dict[str, str],
    taxonomies: tuple[Taxonomy, ...],
    policies: dict[str, str],
    menus: dict[str, tuple[MenuLink, ...]],
    logo: Rendition | None = None,
) -> Frame:
    """`policies`: the corrections and ethics policies and masthead, by setting name;
    `logo`: the logo as made from a local file."""
    urls = Urls.of(config.base_url, config.base_path)
    indexes = {f"{t.folder}_url": urls.link(term_index_link(t)) for t in taxonomies}
    site = {
        "title": config.title,
        "tagline": config.tagline,
        "language": config.language,
        "timezone": config.timezone,
        "base_url": config.base_url,
        "url": urls.link("/"),
        "search_url": urls.link("/search/") if config.search else None,
        **indexes,
        "twitter_site": config.twitter_site or None,
        "publication": config.publication,
        "logo_url": _logo_url(urls, config.logo, logo),
        **{f"{key}_url": urls.absolute_media(link) for key, link in policies.items()},
        "menus": {
            menu: [{"name": link.name, "url": urls.media(link.href)} for link in links]
            for menu, links in menus.items()
        },
    }
    common = {"site": site, "assets": {name: urls.link(url) for name, url in assets.items()}}
    return Frame(urls, common, feed_links(urls, "/", config.title))


def _logo_url(urls: Urls, setting: str, logo: Rendition | None) -> str | None:
    if logo is not None:
        return urls.absolute(logo.fallback.output)
    return urls.absolute_media(setting) if setting else None


def page_block(frame: Frame, kind: str, link: str, title: str, **extra: Any) -> dict[str, Any]:
    """A context with the common parts and the `page` block every HTML page has."""
    return {
        **frame.common,
        "page": {
            "kind": kind,
            "title": title,
            "description": None,
            "url": frame.urls.link(link),
            "canonical": frame.urls.absolute(link),
            "noindex": False,
            "feeds": frame.feeds,
            **extra,
        },
    }


def pagination(urls: Urls, first: str, number: int, count: int) -> dict[str, Any]:
    """Where page `number` of `count` sits in a paginated list: `first`, `first/page/2/`, …"""
    return {
        "number": number,
        "count": count,
        "prev_url": urls.link(page_link(first, number - 1)) if number > 1 else None,
        "next_url": urls.link(page_link(first, number + 1)) if number < count else None,
        "first_url": urls.link(first),
    }
