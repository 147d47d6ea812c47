"""The whole-site model: which articles are published, their URLs, tags, and links.

Everything that needs more than one article happens here, after every file is
parsed and before any page is planned, so cross-links are always consistent.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import unquote

from .authors import AuthorInfo
from .config import SiteConfig
from .errors import Diagnostic, error, warning
from .load import CONTENT_DIR
from .markup import BodyRef
from .model import Article, FieldRef
from .redirects import alias_path
from .related import Entry, related
from .slugs import slugify
from .taxonomy import Taxonomy, collect, text_key

NEWS_WINDOW = timedelta(days=2)


@dataclass(frozen=True)
class Selection:
    """Which articles a build publishes; `now` comes from the shell, never the clock here."""

    now: datetime
    drafts: bool = False
    future: bool = False


@dataclass(frozen=True)
class Target:
    """What a reference resolved to: an article path and a fragment, or why not."""

    path: str | None
    fragment: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    now: datetime
    articles: tuple[Article, ...]  # published, newest first
    by_path: dict[str, Article]
    permalinks: dict[str, str]  # article path -> path below the base path
    tags: Taxonomy
    sections: Taxonomy
    authors: Taxonomy
    author_info: dict[str, AuthorInfo]  # by name key, from the authors data file
    inline_targets: dict[str, tuple[Target, ...]]
    link_targets: dict[str, tuple[Target, ...]]
    read_more: dict[str, tuple[str, ...]]
    backlinks: dict[str, tuple[str, ...]]
    valid_until: float  # the output changes by itself then (a story comes due or ages out)

    def in_news_window(self, article: Article) -> bool:
        """Published in the two days before now: Google News sitemap material."""
        return self.now - NEWS_WINDOW < article.date <= self.now


def newest_first(articles: Iterable[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (-a.date.timestamp(), a.path))


def is_published(article: Article, selection: Selection) -> bool:
    if article.draft and not selection.drafts:
        return False
    if article.expires is not None and article.expires <= selection.now:
        return False
    return selection.future or article.date <= selection.now


def permalink(article: Article, pattern: str) -> str:
    """The article's URL path below the base path, from the configured pattern."""
    local = article.date
    section = (slugify(article.section or "") or "news") if "{section}" in pattern else ""
    return pattern.format(
        year=f"{local.year:04d}",
        month=f"{local.month:02d}",
        day=f"{local.day:02d}",
        slug=article.slug,
        section=section,
    )


def _shown(article: Article) -> str:
    return f"{CONTENT_DIR}/{article.path}"


def _assign_permalinks(
    articles: Sequence[Article], pattern: str
) -> tuple[dict[str, str], list[Diagnostic]]:
    links: dict[str, str] = {}
    owner: dict[str, Article] = {}
    problems = []
    for article in articles:
        link = permalink(article, pattern)
        first = owner.get(link)
        if first is None:
            owner[link] = article
            links[article.path] = link
            continue
        for mine, other in ((article, first), (first, article)):
            line = mine.line_of("slug") or mine.line_of("title")
            problems.append(
                error(
                    _shown(mine),
                    f"URL {link} is also the URL of {_shown(other)}; give one of them another slug",
                    line,
                )
            )
    return links, problems


class _Resolver:
    """Finds the article a reference means, by path, URL, slug or headline."""

    def __init__(self, site_articles: Sequence[Article], every: Sequence[Article], links, base):
        self.by_path = {a.path: a for a in site_articles}
        self.hidden = {a.path: a for a in every if a.path not in self.by_path}
        self.by_link = {link: path for path, link in links.items()}
        self.base = base
        self.by_slug: dict[str, list[str]] = {}
        self.by_title: dict[str, list[str]] = {}
        for article in site_articles:  # newest first, so the first match is the newest
            self.by_slug.setdefault(article.slug, []).append(article.path)
            self.by_title.setdefault(text_key(article.title), []).append(article.path)

    def _hidden_reason(self, path: str) -> str:
        article = self.hidden[path]
        return "is a draft" if article.draft else "is scheduled for later"

    def by_path_or_url(self, target: str, here: str) -> Target | None:
        clean, _, fragment = unquote(target).partition("#")
        clean = clean.split("?", 1)[0]
        if clean.startswith("/"):
            below_base = clean[len(self.base) - 1 :] if clean.startswith(self.base) else clean
            for link in (below_base, below_base.rstrip("/") + "/"):
                if link in self.by_link:
                    return Target(self.by_link[link], fragment)
            candidates = [clean.lstrip("/")]
        else:
            candidates = [posixpath.join(posixpath.dirname(here), clean), clean]
        for candidate in candidates:
            path = posixpath.normpath(candidate)
            path = path.removeprefix(f"{CONTENT_DIR}/")
            if path in self.by_path:
                return Target(path, fragment)
            if path in self.hidden:
                return Target(None, reason=self._hidden_reason(path))
        return None

    def by_title_text(self, title: str) -> Target | None:
        paths = self.by_title.get(text_key(title))
        return Target(paths[0]) if paths else None

    def by_slug_text(self, slug: str) -> Target | None:
        paths = self.by_slug.get(slug)
        return Target(paths[0]) if paths else None


class _Linker:
    """Resolves every reference of every article, collecting diagnostics."""

    def __init__(self, resolver: _Resolver):
        self.resolver = resolver
        self.problems: list[Diagnostic] = []

    def _check(
        self,
        article: Article,
        ref: BodyRef | FieldRef,
        target: Target | None,
        subject: str,
        consequence: str,
    ) -> Target:
        """The target if usable; otherwise a warning saying what the reader will see."""
        if target is not None and target.path == article.path:
            message = f"{subject} points at this article itself; the link is left out"
        elif target is None or target.path is None:
            reason = target.reason if target is not None else "matches no article"
            message = f"{subject} {reason}; {consequence}"
        else:
            return target
        self.problems.append(warning(_shown(article), message, ref.line, ref.column))
        return Target(None)

    def inline(self, article: Article) -> tuple[Target, ...]:
        found = []
        for ref in article.inline_read_more:
            if ref.kind == "title":
                target = self.resolver.by_title_text(ref.target)
                subject = f"Read More headline '{ref.target}'"
            else:
                target = self.resolver.by_path_or_url(ref.target, article.path)
                subject = f"Read More link '{ref.target}'"
            found.append(self._check(article, ref, target, subject, "shown as plain text"))
        return tuple(found)

    def links(self, article: Article) -> tuple[Target, ...]:
        found = []
        for ref in article.body_links:
            target = self.resolver.by_path_or_url(ref.target, article.path)
            subject = f"link '{ref.target}'"
            found.append(self._check(article, ref, target, subject, "shown without a link"))
        return tuple(found)

    def explicit(self, article: Article) -> tuple[str, ...]:
        found: list[str] = []
        for ref in article.read_more:
            r = self.resolver
            target = (
                r.by_path_or_url(ref.target, article.path)
                or r.by_slug_text(ref.target)
                or r.by_title_text(ref.target)
            )
            subject = f"read_more entry '{ref.target}'"
            checked = self._check(article, ref, target, subject, "left out of Read More")
            if checked.path and checked.path not in found:
                found.append(checked.path)
        return tuple(found)


def _related_entries(articles: Sequence[Article]) -> list[Entry]:
    return [
        Entry(
            a.path,
            a.date.timestamp(),
            tuple(sorted({text_key(t) for t in a.tags})),
            text_key(a.section) if a.section else None,
        )
        for a in articles
    ]


def _read_more_blocks(articles, explicit, related_ids, count) -> dict[str, tuple[str, ...]]:
    blocks = {}
    for article in articles:
        chosen = list(explicit[article.path])
        limit = max(count, len(chosen))
        for path in related_ids.get(article.path, ()):
            if len(chosen) >= limit:
                break
            if path not in chosen:
                chosen.append(path)
        blocks[article.path] = tuple(chosen)
    return blocks


def _backlinks(articles, inline, explicit) -> dict[str, tuple[str, ...]]:
    sources: dict[str, list[str]] = {}
    for article in articles:  # newest first
        targets = [t.path for t in inline[article.path] if t.path] + list(explicit[article.path])
        for path in dict.fromkeys(targets):
            sources.setdefault(path, []).append(article.path)
    return {path: tuple(paths) for path, paths in sources.items()}


def _check_aliases(articles: Sequence[Article], base_path: str) -> list[Diagnostic]:
    problems = []
    for article in articles:
        for alias in article.aliases:
            if alias_path(alias, base_path) is None:
                problems.append(
                    error(
                        _shown(article),
                        f"alias '{alias}' is not a path on this site (such as "
                        "'/2021/05/old-headline/')",
                        article.line_of("aliases") or article.line_of("redirect_from"),
                    )
                )
    return problems


_FIELD_NAMES = {
    "summary": ("summary", "description", "excerpt"),
    "image": ("image",),
    "section": ("section", "categories", "category"),
    "authors": ("authors", "author"),
    "tags": ("tags",),
}


def _check_required(articles: Sequence[Article], required: Sequence[str]) -> list[Diagnostic]:
    """Fields focue.toml's `require` asks every article to set in its front matter."""
    problems = []
    for article in articles:
        for name in required:
            if not any(article.line_of(alias) for alias in _FIELD_NAMES[name]):
                problems.append(
                    error(
                        _shown(article),
                        f"{name} is required (focue.toml: require); add a "
                        f"'{name}:' line to the front matter",
                        1,
                    )
                )
    return problems


def _author_names(info: dict[str, AuthorInfo]) -> Callable[[str, str], str]:
    def display(key: str, spelling: str) -> str:
        known = info.get(key)
        return known.name if known is not None and known.name else spelling

    return display


def _valid_until(
    every: Sequence[Article], published: Sequence[Article], selection: Selection
) -> float:
    """The earliest moment the output changes with no edit: a scheduled story comes due,
    one expires, or one leaves the two-day news window."""
    now = selection.now
    moments = [a.date + NEWS_WINDOW for a in published if now - NEWS_WINDOW < a.date <= now]
    moments += [a.expires for a in every if a.expires is not None and a.expires > now]
    if not selection.future:
        moments += [a.date for a in every if a.date > now and (selection.drafts or not a.draft)]
    return min((m.timestamp() for m in moments), default=float("inf"))


def build_site(
    every: Sequence[Article],
    config: SiteConfig,
    selection: Selection,
    related_with: Callable[[Sequence[Entry], int], dict[str, tuple[str, ...]]] = related,
    author_info: dict[str, AuthorInfo] | None = None,
) -> tuple[Site, tuple[Diagnostic, ...]]:
    """The site model from every parsed article (drafts and scheduled ones included).

    `related_with` computes related articles; a build passes a cached version."""
    articles = newest_first(a for a in every if is_published(a, selection))
    links, problems = _assign_permalinks(articles, config.permalink)
    articles = [a for a in articles if a.path in links]  # a URL clash is an error already
    problems += _check_aliases(articles, config.base_path)
    problems += _check_required(articles, config.require)
    info = author_info or {}
    linker = _Linker(_Resolver(articles, every, links, config.base_path))
    inline = {a.path: linker.inline(a) for a in articles}
    body_links = {a.path: linker.links(a) for a in articles}
    explicit = {a.path: linker.explicit(a) for a in articles}
    related_ids = related_with(_related_entries(articles), config.related_articles)
    site = Site(
        config=config,
        now=selection.now,
        articles=tuple(articles),
        by_path={a.path: a for a in articles},
        permalinks=links,
        tags=collect("tag", articles, lambda a: a.tags),
        sections=collect("section", articles, lambda a: (a.section,) if a.section else ()),
        authors=collect("author", articles, lambda a: a.authors, _author_names(info)),
        author_info=info,
        inline_targets=inline,
        link_targets=body_links,
        read_more=_read_more_blocks(articles, explicit, related_ids, config.related_articles),
        backlinks=_backlinks(articles, inline, explicit),
        valid_until=_valid_until(every, articles, selection),
    )
    return site, tuple(problems + linker.problems)
