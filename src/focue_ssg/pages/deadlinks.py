"""Links and images in articles that lead nowhere on the site (for `focue check`).

Every Markdown link and image in a body, and every lead `image:`, is followed to
a site path; one that no page or static file answers is a warning at its line.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote, urljoin, urlsplit

from ..core.errors import Diagnostic, warning
from ..core.layout import shown
from ..core.text import clipped
from ..model.article import Article
from ..model.page import Page
from ..model.paths import page_permalink, permalink
from .plan import Plan
from .urls import INDEX_FILE


def _exists(path: str, targets: set[str]) -> bool:
    """Whether a site path ('/2023/10/x/', '/images/a.jpg') is something the site has."""
    rel = path.lstrip("/")
    folder = rel.endswith("/") or not rel
    candidates = (rel, rel + INDEX_FILE if folder else rel + "/" + INDEX_FILE)
    return any(candidate in targets for candidate in candidates)


def _site_path(link: str, page_url: str, base_path: str) -> str | None:
    """The site path a link from a page leads to, or None when it leaves the site."""
    path = unquote(urlsplit(urljoin(page_url, link)).path)
    if not path.startswith(base_path):
        return None
    return "/" + path[len(base_path) :]


def _url_of(document: Article | Page, plan: Plan) -> str:
    config = plan.parts.site.config
    if isinstance(document, Page):
        return plan.parts.urls.link(page_permalink(document, config.page_permalink))
    return plan.parts.urls.link(permalink(document, config.permalink))


def _article_links(article: Article | Page, plan: Plan, targets: set[str]) -> list[Diagnostic]:
    config = plan.parts.site.config
    page_url = _url_of(article, plan)
    where = shown(article.path)
    problems = []
    for ref in article.body_urls:  # images are checked where they are read (source/pictures)
        path = _site_path(ref.target, page_url, config.base_path)
        if path is None:
            message = (
                f"link '{clipped(ref.target)}' leads outside the site's base path "
                f"{config.base_path}"
            )
        elif not _exists(path, targets):
            message = f"link '{clipped(ref.target)}' points at nothing on the site"
        else:
            continue
        problems.append(warning(where, message, ref.line, ref.column))
    return problems


def dead_links(
    articles: Iterable[Article | Page], plan: Plan, static: Iterable[str]
) -> list[Diagnostic]:
    """Links and images of these articles and pages (published or clashing) that lead
    nowhere."""
    targets = {spec.output for spec in plan.claims} | set(static)
    found: list[Diagnostic] = []
    for article in articles:
        found += _article_links(article, plan, targets)
    return found
