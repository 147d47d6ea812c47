"""The URL paths the site model decides: an article's permalink and the paths its
aliases name. Paths are below the base path ('/2023/10/17/slug/')."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

from ..core.text import MAX_SEGMENT_BYTES, slugify
from .article import Article
from .page import Page
from .taxonomy import Taxonomy, Term


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


def page_permalink(page: Page, pattern: str) -> str:
    """A standalone page's URL path: its folders under content/pages/ nest it."""
    return pattern.format(path=f"{page.folders}{page.slug}", slug=page.slug)


def term_index_link(taxonomy: Taxonomy) -> str:
    """Where a taxonomy's index lives: /tags/."""
    return f"/{taxonomy.folder}/"


def term_link(taxonomy: Taxonomy, term: Term) -> str:
    """Where a term's own page lives: /tags/china/."""
    return f"/{taxonomy.folder}/{term.slug}/"


def alias_path(alias: str, base_path: str) -> str | None:
    """The site path an alias names ('/old/url/'), or None if it is not a usable path."""
    try:
        path = unquote(urlsplit(alias.strip()).path)
    except ValueError:  # an unclosed IPv6 bracket, say
        return None
    if not path or "\\" in path or "\x00" in path or ".." in path.split("/"):
        return None
    if not path.startswith("/"):
        path = "/" + path
    if path.startswith(base_path):
        path = "/" + path[len(base_path) :]
    normal = posixpath.normpath(path)
    if normal in ("/", ".") or any(len(s.encode()) > MAX_SEGMENT_BYTES for s in normal.split("/")):
        return None
    return normal + "/" if path.endswith("/") else normal
