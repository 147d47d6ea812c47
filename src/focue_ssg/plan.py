"""Which pages exist: one page spec each (output path, template), and its context on demand.

Contexts hold only plain data (dicts, lists, strings, numbers, datetimes, Markup),
so a page's output is a function of its template and its context, nothing else.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from . import feeds, redirects, sitemaps
from .dates import isoformat
from .errors import Diagnostic, error
from .load import CONTENT_DIR
from .markup import LINK_TOKEN_PATTERN, READ_MORE_PATTERN
from .model import Article, Image
from .site import Site, Target
from .taxonomy import Taxonomy, Term
from .urls import (
    Urls,
    archive_link,
    output_file,
    page_count,
    page_link,
    term_index_link,
    term_link,
)


@dataclass(frozen=True)
class PagePlan:
    output: str  # path inside the output folder, '/'-separated
    template: str
    context: dict[str, Any]
    source: str | None = None  # the article a page is made from, for diagnostics


@dataclass(frozen=True)
class PageSpec:
    """A page before its context is built: enough to know where it goes and how to make it."""

    output: str
    template: str
    kind: str
    key: tuple
    source: str | None = None  # the article a page is made from, for diagnostics


@dataclass(frozen=True)
class Listing:
    """A paginated list of articles, and whether it has feeds."""

    first: str  # link of page 1
    title: str
    paths: Sequence[str]  # newest first
    template: str
    feed: bool


class Planner:
    """Builds each page's context from the site model on demand, sharing summaries."""

    def __init__(self, site: Site, assets: dict[str, str]):
        self.site = site
        config = site.config
        self.urls = Urls(config.base_url, config.base_path)
        self.cards: dict[str, dict[str, Any]] = {}
        self.refs: dict[tuple[str, str], dict[str, str]] = {}
        self.bodies: dict[str, Markup] = {}
        self.feed_entries: dict[str, dict[str, Any]] = {}
        self.feed_lists: dict[tuple, list[dict[str, str]]] = {}
        self.sitemap_entries: list = []  # filled with the specs (see sitemaps.specs)
        self.news_paths: list[str] = []
        self.common = {
            "site": {
                "title": config.title,
                "tagline": config.tagline,
                "language": config.language,
                "timezone": config.timezone,
                "base_url": config.base_url,
                "url": self.urls.link("/"),
                "tags_url": self.urls.link(term_index_link("tag")),
                "sections_url": self.urls.link(term_index_link("section")),
                "authors_url": self.urls.link(term_index_link("author")),
                "twitter_site": config.twitter_site or None,
                "publication": config.publication,
                "logo_url": self.urls.absolute_media(config.logo) if config.logo else None,
            },
            "assets": {name: self.urls.link(url) for name, url in assets.items()},
        }
        self.site_feeds = self._feed_links("/", config.title)
        self.lists = self._listings()

    # -- which pages exist ------------------------------------------------------

    def _listings(self) -> dict[tuple, Listing]:
        site = self.site
        lists = {
            ("index",): Listing(
                "/", "Latest news", [a.path for a in site.articles], "index.html", True
            )
        }
        for taxonomy in (site.tags, site.sections, site.authors):
            for term in taxonomy.terms:
                link = term_link(taxonomy.kind, term)
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

    def specs(self) -> list[PageSpec]:
        """Every page of the site, in a fixed order."""
        specs = [
            PageSpec(
                output_file(self.site.permalinks[a.path]),
                "article.html",
                "article",
                (a.path,),
                f"{CONTENT_DIR}/{a.path}",
            )
            for a in self.site.articles
        ]
        size = self.site.config.page_size
        for key, listing in self.lists.items():
            for number in range(1, page_count(len(listing.paths), size) + 1):
                specs.append(
                    PageSpec(
                        output_file(page_link(listing.first, number)),
                        listing.template,
                        "list",
                        (key, number),
                    )
                )
            if listing.feed:
                for kind in feeds.KINDS:
                    specs.append(
                        PageSpec(
                            output_file(listing.first + feeds.FILES[kind]),
                            f"{kind}.xml",
                            "feed",
                            (key, kind),
                        )
                    )
        for kind in ("tag", "section", "author"):
            specs.append(
                PageSpec(output_file(term_index_link(kind)), f"{kind}s.html", "terms", (kind,))
            )
        specs.append(PageSpec("404.html", "404.html", "404", ()))
        specs += redirects.specs(self.site, PageSpec)
        specs += sitemaps.specs(self, specs, PageSpec)
        specs.append(PageSpec("robots.txt", "robots.txt", "robots", ()))
        return specs

    def build(self, spec: PageSpec) -> PagePlan:
        """The page with its full context."""
        make = {
            "article": lambda: self.article_context(self.site.by_path[spec.key[0]]),
            "list": lambda: self.listing_context(*spec.key),
            "feed": lambda: feeds.context(self, *spec.key),
            "terms": lambda: self.terms_context(spec.key[0]),
            "404": lambda: self.page("404", "/404.html", "Page not found"),
            "redirect": lambda: redirects.context(self, *spec.key),
            "rules": lambda: redirects.rules_context(self),
            "sitemap": lambda: sitemaps.context(self, *spec.key),
            "robots": lambda: sitemaps.robots_context(self),
        }[spec.kind]
        return PagePlan(spec.output, spec.template, make(), spec.source)

    # -- the pieces contexts are made of --------------------------------------------

    def ref(self, taxonomy: Taxonomy, name: str) -> dict[str, str]:
        """The name and link of the term an article names (as written in its front matter)."""
        return self.term_ref(taxonomy, taxonomy.of(name))

    def term_ref(self, taxonomy: Taxonomy, term: Term) -> dict[str, str]:
        """A term's name and link, built once per term."""
        key = (taxonomy.kind, term.key)
        if key not in self.refs:
            self.refs[key] = {
                "name": term.name,
                "url": self.urls.link(term_link(taxonomy.kind, term)),
            }
        return self.refs[key]

    def card(self, path: str) -> dict[str, Any]:
        """What lists show of an article; built once, shared by every page."""
        if path not in self.cards:
            self.cards[path] = self._card(*self.card_facts(self.site.by_path[path]))
        return self.cards[path]

    def card_facts(self, a: Article) -> tuple:
        """All a card is made of besides the config. Page keys digest these rather than
        the card, which costs far less than making ten thousand cards on a rebuild."""
        site = self.site
        return (
            a.title,
            a.date,
            a.updated,
            a.summary,
            a.section,
            a.draft,
            a.image,
            site.permalinks[a.path],
            self.ref(site.sections, a.section)["url"] if a.section else None,
            [self.ref(site.authors, name) for name in a.authors],
            [self.ref(site.tags, t) for t in a.tags],
        )

    def _card(
        self, title, date, updated, summary, section, draft, image, link, section_url, authors, tags
    ) -> dict[str, Any]:
        return {
            "title": title,
            "url": self.urls.link(link),
            "date": date,
            "date_iso": isoformat(date),
            "updated": updated,
            "updated_iso": isoformat(updated) if updated else None,
            "summary": summary,
            "section": section,
            "section_url": section_url,
            "authors": authors,
            "tags": tags,
            "image": self.image(image),
            "draft": draft,
        }

    def image(self, image: Image | None) -> dict[str, Any] | None:
        if image is None:
            return None
        return {
            "url": self.urls.media(image.src),
            "absolute_url": self.urls.absolute_media(image.src),
            "caption": image.caption,
            "credit": image.credit,
            "alt": image.alt or image.caption or "",
        }

    def _feed_links(self, first: str, title: str) -> list[dict[str, str]]:
        return [
            {
                "type": feeds.TYPES[kind],
                "title": f"{title} ({feeds.NAMES[kind]})",
                "url": self.urls.link(first + feeds.FILES[kind]),
            }
            for kind in feeds.KINDS
        ]

    def feeds_of(self, list_key: tuple) -> list[dict[str, str]]:
        """The feed links a page about a listing carries (its own, then the site's); built
        once per listing and shared by its pages."""
        if list_key not in self.feed_lists:
            listing = self.lists[list_key]
            own = listing.feed and list_key != ("index",)
            links = self._feed_links(listing.first, listing.title) if own else []
            self.feed_lists[list_key] = links + self.site_feeds
        return self.feed_lists[list_key]

    def page(self, kind: str, link: str, title: str, **extra: Any) -> dict[str, Any]:
        return {
            **self.common,
            "page": {
                "kind": kind,
                "title": title,
                "description": None,
                "url": self.urls.link(link),
                "canonical": self.urls.absolute(link),
                "noindex": False,
                "feeds": self.site_feeds,
                **extra,
            },
        }

    def body(self, a: Article) -> Markup:
        """The body HTML with Read More lines and `.md` links pointing at real pages."""
        if a.path not in self.bodies:
            self.bodies[a.path] = self._resolve_body(a)
        return self.bodies[a.path]

    def _resolve_body(self, a: Article) -> Markup:
        inline = self.site.inline_targets[a.path]
        links = self.site.link_targets[a.path]

        def read_more(match: re.Match) -> str:
            ref, target = a.inline_read_more[int(match.group(1))], inline[int(match.group(1))]
            if target.path is None:
                return Markup('<p class="read-more">Read More: {}</p>').format(ref.text)
            return Markup(
                '<p class="read-more"><span class="read-more-label">Read More:</span> '
                '<a href="{}">{}</a></p>'
            ).format(self.target_url(target), self.card(target.path)["title"])

        def link(match: re.Match) -> str:
            target = links[int(match.group(1))]
            if target.path is None:
                return ""
            return Markup('href="{}"').format(self.target_url(target))

        html = READ_MORE_PATTERN.sub(read_more, a.body_html)
        return Markup(LINK_TOKEN_PATTERN.sub(link, html))

    def target_url(self, target: Target) -> str:
        url = self.urls.link(self.site.permalinks[target.path or ""])
        return f"{url}#{target.fragment}" if target.fragment else url

    # -- contexts, one per kind of page ---------------------------------------------

    def article_context(self, a: Article) -> dict[str, Any]:
        link = self.site.permalinks[a.path]
        article = {
            **self.card(a.path),
            "path": a.path,
            "slug": a.slug,
            "absolute_url": self.urls.absolute(link),
            "contributors": list(a.contributors),
            "source": {"name": a.source.name, "url": a.source.url} if a.source else None,
            "body": self.body(a),
            "read_more": [self.card(p) for p in self.site.read_more.get(a.path, ())],
            "backlinks": [self.card(p) for p in self.site.backlinks.get(a.path, ())],
            "extra": a.extra,
        }
        feeds_here = self.site_feeds
        if a.section:
            section_feeds = self.feeds_of(("section", self.site.sections.of(a.section).key))
            feeds_here = self.site_feeds + section_feeds[: len(feeds.KINDS)]
        context = self.page(
            "article",
            link,
            a.title,
            description=a.summary,
            feeds=feeds_here,
            noindex=a.noindex,
            canonical=a.canonical or self.urls.absolute(link),
        )
        context["article"] = article
        return context

    def listing_context(self, list_key: tuple, number: int) -> dict[str, Any]:
        """Page `number` of a list of articles: `first`, then `first/page/2/`, ..."""
        listing = self.lists[list_key]
        size = self.site.config.page_size
        count = page_count(len(listing.paths), size)
        link = page_link(listing.first, number)
        shown = listing.title if number == 1 else f"{listing.title} (page {number})"
        context = self.page(list_key[0], link, shown, feeds=self.feeds_of(list_key))
        context.update(self.about(list_key, listing))
        context["articles"] = [
            self.card(p) for p in listing.paths[(number - 1) * size : number * size]
        ]
        context["pagination"] = {
            "number": number,
            "count": count,
            "prev_url": self.urls.link(page_link(listing.first, number - 1))
            if number > 1
            else None,
            "next_url": self.urls.link(page_link(listing.first, number + 1))
            if number < count
            else None,
            "first_url": self.urls.link(listing.first),
        }
        return context

    def about(self, list_key: tuple, listing: Listing) -> dict[str, Any]:
        """What a listing page says about its subject: the tag, section, author or period."""
        kind = list_key[0]
        count = len(listing.paths)
        if kind in ("tag", "section"):
            taxonomy = self.site.tags if kind == "tag" else self.site.sections
            term = taxonomy.by_key[list_key[1]]
            return {kind: {**self.term_ref(taxonomy, term), "count": count}}
        if kind == "author":
            return {"author": self.author(list_key[1], count)}
        if kind == "archive":
            return {"archive": self.archive(list_key[1], list_key[2], count)}
        return {}

    def author(self, key: str, count: int) -> dict[str, Any]:
        term = self.site.authors.by_key[key]
        info = self.site.author_info.get(key)
        return {
            **self.term_ref(self.site.authors, term),
            "count": count,
            "bio": info.bio if info else None,
            "website": info.url if info else None,
            "image_url": self.urls.media(info.image) if info and info.image else None,
        }

    def archive(self, year: int, month: int | None, count: int) -> dict[str, Any]:
        months = [
            {
                "name": calendar.month_name[key[2]],
                "url": self.urls.link(archive_link(year, key[2])),
                "count": len(listing.paths),
            }
            for key, listing in self.lists.items()
            if month is None and key[0] == "archive" and key[1] == year and key[2] is not None
        ]
        return {
            "year": year,
            "month": month,
            "month_name": calendar.month_name[month] if month else None,
            "count": count,
            "year_url": self.urls.link(archive_link(year)),
            "months": months,
        }

    def terms_context(self, kind: str) -> dict[str, Any]:
        title = {"tag": "Tags", "section": "Sections", "author": "Authors"}[kind]
        context = self.page(f"{kind}s", term_index_link(kind), title)
        context["terms"] = self.terms(kind)
        return context

    def terms(self, kind: str) -> list[dict[str, Any]]:
        """Every term of a taxonomy with its link and how many articles it has."""
        taxonomy = {
            "tag": self.site.tags,
            "section": self.site.sections,
            "author": self.site.authors,
        }[kind]
        return [
            {**self.term_ref(taxonomy, term), "count": len(term.articles)}
            for term in taxonomy.terms
        ]


def _archives(articles: Sequence[Article]) -> dict[tuple[int, int | None], list[str]]:
    """Article paths by (year, None) and (year, month) of their local dates, newest first."""
    groups: dict[tuple[int, int | None], list[str]] = {}
    for a in articles:
        groups.setdefault((a.date.year, None), []).append(a.path)
        groups.setdefault((a.date.year, a.date.month), []).append(a.path)
    return dict(sorted(groups.items(), key=lambda item: (-item[0][0], -(item[0][1] or 13))))


@dataclass(frozen=True)
class Plan:
    """Every page of the site; contexts are built when a page is asked for."""

    specs: tuple[PageSpec, ...]
    counts: dict[str, int]
    planner: Planner
    claims: tuple[PageSpec, ...] = ()  # every path the site answers for, written or not

    def page(self, index: int) -> PagePlan:
        return self.planner.build(self.specs[index])

    @property
    def pages(self) -> tuple[PagePlan, ...]:
        """All pages with their contexts (for tests and small sites)."""
        return tuple(self.planner.build(spec) for spec in self.specs)


def find_collisions(specs: Sequence[Any], reserved: dict[str, str]) -> list[Diagnostic]:
    """Two pages (or a page and a static file) that would be written to one path."""
    owners = dict(reserved)
    problems = []
    for spec in specs:
        what = "its alias" if getattr(spec, "kind", "") == "redirect" else "output"
        if spec.output in owners:
            message = f"{what} {spec.output} is also written by {owners[spec.output]}"
            problems.append(error(spec.source or CONTENT_DIR, message))
        else:
            owners[spec.output] = spec.source or f"the {spec.template} page"
    return problems


def plan_site(site: Site, assets: dict[str, str]) -> Plan:
    """Every page of the site, in a fixed order."""
    planner = Planner(site, assets)
    claims = tuple(planner.specs())
    rules = site.config.redirects_file
    specs = tuple(s for s in claims if not (rules and s.kind == "redirect"))
    return Plan(specs, page_counts(site, specs), planner, claims)


def page_counts(site: Site, specs: Sequence[PageSpec]) -> dict[str, Any]:
    """How many pages of each kind: the summary line's numbers and the report's."""
    counts: dict[str, Any] = {"articles": len(site.articles), "tag pages": 0, "listing pages": 0}
    kinds: dict[str, int] = {}
    for spec in specs:
        kind = spec.key[0][0] if spec.kind == "list" else spec.kind
        kinds[kind] = kinds.get(kind, 0) + 1
        if spec.kind == "list":
            counts["tag pages" if kind == "tag" else "listing pages"] += 1
    return {**counts, "pages": len(specs), "by kind": dict(sorted(kinds.items()))}
