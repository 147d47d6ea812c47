"""Redirect pages at an article's old URLs (`aliases:`), so renamed stories keep their links.

Each is a small HTML page with a meta refresh and a canonical link to the
article; any static host serves it at the old path. With `redirects_file = true`
the aliases become `_redirects` rules instead (HTTP 301s on Netlify and
Cloudflare Pages). An alias that would land on a real page is an error either
way (see plan.find_collisions).
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from .load import CONTENT_DIR
from .urls import output_file

if TYPE_CHECKING:
    from .plan import Planner
    from .site import Site


def alias_path(alias: str, base_path: str) -> str | None:
    """The site path an alias names ('/old/url/'), or None if it is not a usable path."""
    path = unquote(urlsplit(alias.strip()).path)
    if not path or "\\" in path or "\x00" in path or ".." in path.split("/"):
        return None
    if not path.startswith("/"):
        path = "/" + path
    if path.startswith(base_path):
        path = "/" + path[len(base_path) :]
    normal = posixpath.normpath(path)
    if normal in ("/", "."):
        return None
    return normal + "/" if path.endswith("/") else normal


RULES_FILE = "_redirects"


def specs(site: Site, make: Any) -> list:
    """A redirect page per alias (and, if configured, one `_redirects` rules file)."""
    found = []
    for article in site.articles:
        for alias in article.aliases:
            path = alias_path(alias, site.config.base_path)
            if path is not None:
                found.append(
                    make(
                        output_file(path),
                        "redirect.html",
                        "redirect",
                        (article.path, path),
                        f"{CONTENT_DIR}/{article.path}",
                    )
                )
    if site.config.redirects_file:
        found.append(make(RULES_FILE, "redirects.txt", "rules", ()))
    return found


def rules_context(planner: Planner) -> dict[str, Any]:
    """Netlify and Cloudflare Pages redirect rules: real 301s instead of refresh pages."""
    rules = []
    for article in planner.site.articles:
        for alias in article.aliases:
            path = alias_path(alias, planner.site.config.base_path)
            if path is not None:
                rules.append(
                    {
                        "from": planner.urls.link(path),
                        "to": planner.urls.link(planner.site.permalinks[article.path]),
                    }
                )
    return {**planner.common, "rules": rules}


def context(planner: Planner, article_path: str, alias: str) -> dict[str, Any]:
    article = planner.site.by_path[article_path]
    target = planner.site.permalinks[article_path]
    context = planner.page(
        "redirect", alias, article.title, noindex=True, canonical=planner.urls.absolute(target)
    )
    context["redirect"] = {"url": planner.urls.link(target), "title": article.title}
    return context
