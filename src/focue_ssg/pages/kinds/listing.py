"""Listing pages: the front page, and the pages of each tag, section, author, year and
month, paginated newest first (`first/`, then `first/page/2/`, ...).

Above its river, the front page's first page shows what editors chose (a lead, top
stories, section blocks; see model/front.py), and a section's first page its own
lead. The river leaves those out there, but its pages are cut as they always are, so
a story joining or leaving the front page's top changes only the first page.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...model.article import Article
from ...model.authors import AuthorInfo
from ...model.paths import term_link
from ..frame import Frame, feed_links, page_block, pagination
from ..kind import Kind, PageSpec, SitemapEntry
from ..parts import Parts
from ..pictures import made_image
from ..recipe import Node, Recipe, Value
from ..urls import (
    archive_link,
    output_file,
    page_count,
    page_link,
    page_path,
    page_slice,
)

INDEX = ("index",)  # the front page's list key


@dataclass(frozen=True)
class Listing:
    """A paginated list of articles, and whether it has feeds."""

    first: str  # link of page 1
    title: str
    paths: Sequence[str]  # newest first
    template: str
    feed: bool


@dataclass(frozen=True)
class Head:
    """What every page of one listing shows besides its cards."""

    label: str  # the page kind templates see: index, tag, section, author or archive
    first: str
    title: str
    pages: int
    about: dict[str, Any]  # the tag, section, author or period it lists
    feeds: list[dict[str, str]]


def listings(parts: Parts) -> dict[tuple, Listing]:
    """Every list of articles the site has, by key: ('index',), ('tag', key), ..."""
    return parts.shared("listings", _listings, parts, portable=True)


def _listings(parts: Parts) -> dict[tuple, Listing]:
    site = parts.site
    lists = {
        INDEX: Listing("/", "Latest news", [a.path for a in site.articles], "index.html", True)
    }
    for taxonomy in site.taxonomies:
        for term in taxonomy.terms:
            link = term_link(taxonomy, term)
            template = f"{taxonomy.kind}.html"
            lists[(taxonomy.kind, term.key)] = Listing(
                link, term.name, term.articles, template, True
            )
    for (year, month), paths in _archives(site.articles).items():
        title = str(year) if month is None else f"{calendar.month_name[month]} {year}"
        lists[("archive", year, month)] = Listing(
            archive_link(year, month), title, paths, "archive.html", False
        )
    return lists


def _archives(articles: Sequence[Article]) -> dict[tuple[int, int | None], list[str]]:
    """Article paths by (year, None) and (year, month) of their local dates, newest first."""
    groups: dict[tuple[int, int | None], list[str]] = {}
    for a in articles:
        groups.setdefault((a.date.year, None), []).append(a.path)
        groups.setdefault((a.date.year, a.date.month), []).append(a.path)
    return dict(sorted(groups.items(), key=lambda item: (-item[0][0], -(item[0][1] or 13))))


NOTHING_ABOVE = Value(None)


def above_river(lead: Any, top: tuple, blocks: tuple) -> dict[str, Any]:
    """The lead card (or None), the top stories' cards and the section blocks."""
    return {"lead": lead, "top_stories": list(top), "section_blocks": list(blocks)}


def section_block(section: dict[str, str], cards: tuple) -> dict[str, Any]:
    return {**section, "articles": list(cards)}


def listing_context(
    frame: Frame, head: Head, number: int, cards: tuple, above: dict[str, Any] | None
) -> dict[str, Any]:
    urls, first = frame.urls, head.first
    shown = head.title if number == 1 else f"{head.title} (page {number})"
    context = page_block(frame, head.label, page_link(first, number), shown, feeds=head.feeds)
    context.update(head.about)
    context.update(above or above_river(None, (), ()))
    context["articles"] = list(cards)
    context["pagination"] = pagination(urls, first, number, head.pages)
    return context


class ListingKind(Kind):
    name = "listing"
    summary_groups = ("tag pages", "listing pages")

    def pages(self, parts: Parts, earlier: Sequence[PageSpec]) -> list[PageSpec]:
        size = parts.site.config.page_size
        return [
            PageSpec(
                output_file(page_link(listing.first, n)), listing.template, self, (key, n), key[0]
            )
            for key, listing in listings(parts).items()
            for n in range(1, page_count(len(listing.paths), size) + 1)
        ]

    def recipe(self, spec: PageSpec, parts: Parts) -> Recipe:
        key, number = spec.params
        heads = parts.shared("listing heads", dict)
        head = heads.get(key) or heads.setdefault(key, Value(_head(parts, key)))
        river = page_slice(listings(parts)[key].paths, number, parts.site.config.page_size)
        above, chosen = _above(parts, key) if number == 1 else (NOTHING_ABOVE, ())
        if chosen:
            river = [path for path in river if path not in chosen]
        return Recipe(listing_context, parts.frame, head, number, parts.cards(river), above)

    def sitemap_entry(self, spec: PageSpec, parts: Parts) -> SitemapEntry:
        key, number = spec.params
        shown = page_slice(listings(parts)[key].paths, number, parts.site.config.page_size)
        chosen = _above(parts, key)[1] if number == 1 else ()
        return page_path(spec.output), parts.newest_change([*shown, *sorted(chosen)])

    def summary_group(self, spec: PageSpec) -> str:
        return "tag pages" if spec.label == "tag" else "listing pages"


def _above(parts: Parts, key: tuple) -> tuple[Node, frozenset[str]]:
    """What a listing's first page shows above its river, and those stories' paths."""
    front = parts.site.front
    if key == INDEX and front.above_river:
        blocks = tuple(
            Recipe(
                section_block,
                Value(parts.term_ref(parts.site.sections, parts.site.sections.by_key[b.section])),
                parts.cards(b.paths),
            )
            for b in front.blocks
        )
        lead = parts.card(front.lead) if front.lead else NOTHING_ABOVE
        return Recipe(above_river, lead, parts.cards(front.top), blocks), front.above_river
    lead_path = front.section_leads.get(key[1]) if key[0] == "section" else None
    if lead_path is None:
        return NOTHING_ABOVE, frozenset()
    return Recipe(above_river, parts.card(lead_path), (), ()), frozenset((lead_path,))


def _head(parts: Parts, key: tuple) -> Head:
    listing = listings(parts)[key]
    pages = page_count(len(listing.paths), parts.site.config.page_size)
    return Head(key[0], listing.first, listing.title, pages, _about(parts, key), _feeds(parts, key))


def _feeds(parts: Parts, key: tuple) -> list[dict[str, str]]:
    """The feed links its pages carry: its own, then the site's."""
    listing = listings(parts)[key]
    own = listing.feed and key != INDEX
    links = feed_links(parts.urls, listing.first, listing.title) if own else []
    return links + parts.frame.value.feeds


def _about(parts: Parts, key: tuple) -> dict[str, Any]:
    """What a listing page says about its subject: the tag, section, author or period."""
    site, count = parts.site, len(listings(parts)[key].paths)
    if key[0] in ("tag", "section"):
        taxonomy = site.tags if key[0] == "tag" else site.sections
        ref = parts.term_ref(taxonomy, taxonomy.by_key[key[1]])
        return {key[0]: {**ref, "count": count}}
    if key[0] == "author":
        info = site.author_info.get(key[1])
        ref = parts.term_ref(site.authors, site.authors.by_key[key[1]])
        extra = {"bio": info.bio, "website": info.url} if info else {"bio": None, "website": None}
        return {
            "author": {**ref, "count": count, **extra, **_photo(parts, key[1], info, ref["name"])}
        }
    if key[0] == "archive":
        return {"archive": _archive(parts, key[1], key[2], count)}
    return {}


def _photo(parts: Parts, key: str, info: AuthorInfo | None, name: str) -> dict[str, Any]:
    """The author's photo: made in its sizes when it is a local file."""
    if info is None or not info.image:
        return {"image_url": None, "image": None}
    made = parts.site.pictures.people.get(key)
    if made is None:
        return {"image_url": parts.urls.media(info.image), "image": None}
    image = made_image(parts.urls, name, made)
    return {"image_url": image["url"], "image": image}


def _archive(parts: Parts, year: int, month: int | None, count: int) -> dict[str, Any]:
    months = [
        {
            "name": calendar.month_name[key[2]],
            "url": parts.urls.link(archive_link(year, key[2])),
            "count": len(listing.paths),
        }
        for key, listing in listings(parts).items()
        if month is None and key[0] == "archive" and key[1] == year and key[2] is not None
    ]
    return {
        "year": year,
        "month": month,
        "month_name": calendar.month_name[month] if month else None,
        "count": count,
        "year_url": parts.urls.link(archive_link(year)),
        "months": months,
    }
