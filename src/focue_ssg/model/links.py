"""What the references in articles point at: Read More lines, links to `.md` files and
`read_more:` entries, resolved by path, URL, slug or headline, with a warning for
each one that leads nowhere a reader could follow."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from ..core.errors import Diagnostic, warning
from ..core.layout import CONTENT_DIR, shown
from ..core.text import clipped, text_key
from .article import Article, BodyRef, FieldRef
from .page import Page


@dataclass(frozen=True)
class Target:
    """What a reference resolved to: an article path and a fragment, or why not."""

    path: str | None
    fragment: str = ""
    reason: str = ""


class Resolver:
    """Finds the article a reference means, by path, URL, slug or headline."""

    def __init__(
        self,
        published: Sequence[Article | Page],
        every: Sequence[Article | Page],
        links: dict[str, str],
        base_path: str,
    ):
        self.by_path = {a.path: a for a in published}
        self.hidden = {a.path: a for a in every if a.path not in self.by_path}
        self.by_link = {link: path for path, link in links.items()}
        self.base = base_path
        self.by_slug: dict[str, list[str]] = {}
        self.by_title: dict[str, list[str]] = {}
        for article in published:  # newest first, so the first match is the newest
            if isinstance(article, Article):  # Read More lines name stories, not pages
                self.by_slug.setdefault(article.slug, []).append(article.path)
                self.by_title.setdefault(text_key(article.title), []).append(article.path)

    def _hidden_reason(self, path: str) -> str:
        article = self.hidden[path]
        return "is a draft" if article.draft else "is scheduled for later"

    def story(self, target: Target | None) -> Target | None:
        """The target if it is an article: a Read More line or entry leads to a story."""
        if target is None or target.path is None or isinstance(self.by_path[target.path], Article):
            return target
        return Target(None, reason="is a page, not a story")

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
            path = posixpath.normpath(candidate).removeprefix(f"{CONTENT_DIR}/")
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


def by_file(problems: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """The linker's problems by file (stably: a document's in the order they were
    found), so a document's can be replaced by those of its next version alone."""
    return tuple(sorted(problems, key=lambda d: d.path))


class Linker:
    """Resolves every reference of every article, collecting diagnostics."""

    def __init__(self, resolver: Resolver):
        self.resolver = resolver
        self.problems: list[Diagnostic] = []

    def found(self) -> tuple[Diagnostic, ...]:
        return by_file(self.problems)

    def _check(
        self,
        article: Article | Page,
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
        self.problems.append(warning(shown(article.path), message, ref.line, ref.column))
        return Target(None)

    def inline(self, article: Article | Page) -> tuple[Target, ...]:
        found = []
        for ref in article.inline_read_more:
            if ref.kind == "title":
                target = self.resolver.by_title_text(ref.target)
                subject = f"Read More headline '{ref.target}'"
            else:
                target = self.resolver.story(self.resolver.by_path_or_url(ref.target, article.path))
                subject = f"Read More link '{clipped(ref.target)}'"
            found.append(self._check(article, ref, target, subject, "shown as plain text"))
        return tuple(found)

    def links(self, article: Article | Page) -> tuple[Target, ...]:
        found = []
        for ref in article.body_links:
            target = self.resolver.by_path_or_url(ref.target, article.path)
            subject = f"link '{clipped(ref.target)}'"
            found.append(self._check(article, ref, target, subject, "shown without a link"))
        return tuple(found)

    def explicit(self, article: Article) -> tuple[str, ...]:
        found: list[str] = []
        r = self.resolver
        for ref in article.read_more:
            target = (
                r.story(r.by_path_or_url(ref.target, article.path))
                or r.by_slug_text(ref.target)
                or r.by_title_text(ref.target)
            )
            subject = f"read_more entry '{ref.target}'"
            checked = self._check(article, ref, target, subject, "left out of Read More")
            if checked.path and checked.path not in found:
                found.append(checked.path)
        return tuple(found)
