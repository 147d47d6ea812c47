"""Redirects at an article's old URLs (`aliases:`), so renamed stories keep their links.

Each is a small HTML page with a meta refresh and a canonical link to the
article; any static host serves it at the old path. With `redirects_file = true`
the aliases become `_redirects` rules instead (HTTP 301s on Netlify and
Cloudflare Pages), and the old paths stay claimed: an alias that would land on a
real page is an error either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...core.layout import shown
from ...model.paths import alias_path
from ..frame import Frame, page_block
from ..kind import Kind, PageSpec
from ..parts import Parts
from ..recipe import Recipe
from ..urls import output_file

RULES_FILE = "_redirects"


def redirect_context(frame: Frame, alias: str, title: str, target: str) -> dict[str, Any]:
    urls = frame.urls
    context = page_block(
        frame, "redirect", alias, title, noindex=True, canonical=urls.absolute(target)
    )
    context["redirect"] = {"url": urls.link(target), "title": title}
    return context


def rules_context(frame: Frame, rules: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """Netlify and Cloudflare Pages redirect rules: real 301s instead of refresh pages."""
    links = [{"from": frame.urls.link(old), "to": frame.urls.link(new)} for old, new in rules]
    return {**frame.common, "rules": links}


def _aliases(parts: Parts) -> list[tuple[str, str]]:
    """(article path, the site path an alias names) for every usable alias."""
    base = parts.site.config.base_path
    found = []
    for a in parts.site.articles:
        for alias in a.aliases:
            path = alias_path(alias, base)
            if path is not None:
                found.append((a.path, path))
    return found


class RedirectKind(Kind):
    name = "redirect"
    collision_subject = "its alias"

    def pages(self, parts: Parts, earlier: Sequence[PageSpec]) -> list[PageSpec]:
        written = not parts.site.config.redirects_file
        return [
            self.spec(
                output_file(alias),
                "redirect.html",
                (path, alias),
                source=shown(path),
                written=written,
            )
            for path, alias in _aliases(parts)
        ]

    def recipe(self, spec: PageSpec, parts: Parts) -> Recipe:
        path, alias = spec.params
        site = parts.site
        return Recipe(
            redirect_context, parts.frame, alias, site.by_path[path].title, site.permalinks[path]
        )


class RulesKind(Kind):
    name = "rules"

    def pages(self, parts: Parts, earlier: Sequence[PageSpec]) -> list[PageSpec]:
        return [self.spec(RULES_FILE, "redirects.txt")] if parts.site.config.redirects_file else []

    def recipe(self, spec: PageSpec, parts: Parts) -> Recipe:
        links = parts.site.permalinks
        rules = tuple((alias, links[path]) for path, alias in _aliases(parts))
        return Recipe(rules_context, parts.frame, rules)
