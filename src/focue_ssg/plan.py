"""Which pages exist: one PagePlan (output path, template, plain-data context) each.

Contexts hold only plain data (dicts, lists, strings, numbers, datetimes), so
a page's output is a function of its template and its context, nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from .dates import isoformat
from .errors import Diagnostic, error
from .load import CONTENT_DIR
from .markup import LINK_TOKEN_PATTERN, READ_MORE_PATTERN
from .model import Article
from .site import Site, Tag, Target, text_key

INDEX_FILE = "index.html"


@dataclass(frozen=True)
class PagePlan:
    output: str  # path inside the output folder, '/'-separated
    template: str
    context: dict[str, Any]
    source: str | None = None  # the article a page is made from, for diagnostics


def output_file(link: str) -> str:
    """'/2023/10/17/slug/' -> '2023/10/17/slug/index.html' (pretty URLs)."""
    path = link.lstrip("/")
    return path + INDEX_FILE if path.endswith("/") or not path else path


class Urls:
    """Every URL the site prints: under the base path, absolute when the host is known."""

    def __init__(self, base_url: str, base_path: str):
        self.base_url = base_url
        self.base_path = base_path
        self.has_host = bool(urlsplit(base_url).netloc)

    def link(self, path: str) -> str:
        """A site path ('/tags/') as a link from any page ('/news/tags/')."""
        return self.base_path + path.lstrip("/")

    def absolute(self, path: str) -> str:
        link = self.link(path)
        return urljoin(self.base_url, link) if self.has_host else link

    def media(self, src: str) -> str:
        """An image path from front matter: URLs as they are, site paths under the base."""
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", src):
            return src
        return self.link(src)


def page_count(items: int, size: int) -> int:
    """A list has at least one page, even when empty."""
    return max(1, -(-items // size))


def page_link(first: str, number: int) -> str:
    """Page 1 is the listing itself; later pages live under `page/N/`."""
    return first if number == 1 else f"{first}page/{number}/"


def tag_link(tag: Tag) -> str:
    return f"/tags/{tag.slug}/"


@dataclass(frozen=True)
class PageSpec:
    """A page before its context is built: enough to know where it goes and how to make it."""

    output: str
    template: str
    kind: str
    key: tuple
    source: str | None = None  # the article a page is made from, for diagnostics


class Planner:
    """Builds each page's context from the site model on demand, sharing summaries."""

    def __init__(self, site: Site, assets: dict[str, str]):
        self.site = site
        config = site.config
        self.urls = Urls(config.base_url, config.base_path)
        self.assets = assets
        self.cards: dict[str, dict[str, Any]] = {}
        self.tag_refs: dict[str, dict[str, str]] = {}
        self.common = {
            "site": {
                "title": config.title,
                "tagline": config.tagline,
                "language": config.language,
                "timezone": config.timezone,
                "base_url": config.base_url,
                "url": self.urls.link("/"),
                "tags_url": self.urls.link("/tags/"),
            },
            "assets": {name: self.urls.link(url) for name, url in assets.items()},
        }
        self.lists: dict[tuple, tuple[str, str, Sequence[str], str]] = {
            ("index",): ("/", "Latest news", [a.path for a in site.articles], "index.html")
        }
        for tag in site.tags:
            self.lists[("tag", tag.key)] = (tag_link(tag), tag.name, tag.articles, "tag.html")

    # -- which pages exist ------------------------------------------------------

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
        for list_key, (first, _, paths, template) in self.lists.items():
            kind = list_key[0]
            for number in range(1, page_count(len(paths), self.site.config.page_size) + 1):
                specs.append(
                    PageSpec(
                        output_file(page_link(first, number)), template, kind, (list_key, number)
                    )
                )
        specs.append(PageSpec(output_file("/tags/"), "tags.html", "tags", ()))
        specs.append(PageSpec("404.html", "404.html", "404", ()))
        return specs

    def build(self, spec: PageSpec) -> PagePlan:
        """The page with its full context."""
        if spec.kind == "article":
            context = self.article_context(self.site.by_path[spec.key[0]])
        elif spec.kind in ("index", "tag"):
            context = self.listing_context(*spec.key)
        elif spec.kind == "tags":
            context = self.tags_context()
        else:
            context = self.page("404", "/404.html", "Page not found")
        return PagePlan(spec.output, spec.template, context, spec.source)

    # -- the pieces contexts are made of --------------------------------------------

    def tag_ref(self, name: str) -> dict[str, str]:
        if name not in self.tag_refs:
            tag = self.site.tag_by_key[text_key(name)]
            self.tag_refs[name] = {"name": tag.name, "url": self.urls.link(tag_link(tag))}
        return self.tag_refs[name]

    def card(self, path: str) -> dict[str, Any]:
        """What lists show of an article; built once, shared by every page."""
        if path not in self.cards:
            a = self.site.by_path[path]
            self.cards[path] = {
                "title": a.title,
                "url": self.urls.link(self.site.permalinks[path]),
                "date": a.date,
                "date_iso": isoformat(a.date),
                "summary": a.summary,
                "section": a.section,
                "authors": list(a.authors),
                "tags": [self.tag_ref(t) for t in a.tags],
                "image": self.image(a),
                "draft": a.draft,
            }
        return self.cards[path]

    def image(self, a: Article) -> dict[str, Any] | None:
        if a.image is None:
            return None
        return {
            "url": self.urls.media(a.image.src),
            "caption": a.image.caption,
            "credit": a.image.credit,
            "alt": a.image.alt or a.image.caption or "",
        }

    def page(self, kind: str, link: str, title: str, **extra: Any) -> dict[str, Any]:
        return {
            **self.common,
            "page": {
                "kind": kind,
                "title": title,
                "description": None,
                "url": self.urls.link(link),
                "canonical": self.urls.absolute(link),
                **extra,
            },
        }

    def body(self, a: Article) -> Markup:
        """The body HTML with Read More lines and `.md` links pointing at real pages."""
        inline = self.site.inline_targets[a.path]
        links = self.site.link_targets[a.path]

        def read_more(match: re.Match) -> str:
            ref, target = a.inline_read_more[int(match.group(1))], inline[int(match.group(1))]
            if target.path is None:
                return Markup('<p class="read-more">Read More: {}</p>').format(ref.text)
            card = self.card(target.path)
            return Markup(
                '<p class="read-more"><span class="read-more-label">Read More:</span> '
                '<a href="{}">{}</a></p>'
            ).format(self.target_url(target), card["title"])

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
        article = {
            **self.card(a.path),
            "path": a.path,
            "slug": a.slug,
            "updated": a.updated,
            "updated_iso": isoformat(a.updated) if a.updated else None,
            "contributors": list(a.contributors),
            "source": {"name": a.source.name, "url": a.source.url} if a.source else None,
            "body": self.body(a),
            "read_more": [self.card(p) for p in self.site.read_more.get(a.path, ())],
            "backlinks": [self.card(p) for p in self.site.backlinks.get(a.path, ())],
            "extra": a.extra,
        }
        context = self.page("article", self.site.permalinks[a.path], a.title, description=a.summary)
        context["article"] = article
        return context

    def listing_context(self, list_key: tuple, number: int) -> dict[str, Any]:
        """Page `number` of a list of articles: `first`, then `first/page/2/`, ..."""
        first, title, paths, _ = self.lists[list_key]
        size = self.site.config.page_size
        count = page_count(len(paths), size)
        link = page_link(first, number)
        prev_link = page_link(first, number - 1) if number > 1 else None
        next_link = page_link(first, number + 1) if number < count else None
        shown = title if number == 1 else f"{title} (page {number})"
        context = self.page(list_key[0], link, shown)
        if list_key[0] == "tag":
            tag = self.site.tag_by_key[list_key[1]]
            context["tag"] = {**self.tag_ref(tag.name), "count": len(paths)}
        context["articles"] = [self.card(p) for p in paths[(number - 1) * size : number * size]]
        context["pagination"] = {
            "number": number,
            "count": count,
            "prev_url": self.urls.link(prev_link) if prev_link else None,
            "next_url": self.urls.link(next_link) if next_link else None,
            "first_url": self.urls.link(first),
        }
        return context

    def tags_context(self) -> dict[str, Any]:
        context = self.page("tags", "/tags/", "Tags")
        context["tags"] = [
            {**self.tag_ref(t.name), "count": len(t.articles)}
            for t in sorted(self.site.tags, key=lambda t: (t.key, t.slug))
        ]
        return context


@dataclass(frozen=True)
class Plan:
    """Every page of the site; contexts are built when a page is asked for."""

    specs: tuple[PageSpec, ...]
    counts: dict[str, int]
    planner: Planner

    def page(self, index: int) -> PagePlan:
        return self.planner.build(self.specs[index])

    @property
    def pages(self) -> tuple[PagePlan, ...]:
        """All pages with their contexts (for tests and small sites)."""
        return tuple(self.planner.build(spec) for spec in self.specs)


def find_collisions(specs: Sequence[PageSpec], reserved: dict[str, str]) -> list[Diagnostic]:
    """Two pages (or a page and a static file) that would be written to one path."""
    owners = dict(reserved)
    problems = []
    for spec in specs:
        if spec.output in owners:
            message = f"output {spec.output} is also written by {owners[spec.output]}"
            problems.append(error(spec.source or CONTENT_DIR, message))
        else:
            owners[spec.output] = spec.source or f"the {spec.template} page"
    return problems


def plan_site(site: Site, assets: dict[str, str]) -> Plan:
    """Every page of the site, in a fixed order."""
    planner = Planner(site, assets)
    specs = tuple(planner.specs())
    kinds = [spec.kind for spec in specs]
    counts = {
        "articles": kinds.count("article"),
        "tag pages": kinds.count("tag"),
        "listing pages": kinds.count("index"),
    }
    return Plan(specs, counts, planner)
