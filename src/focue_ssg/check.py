"""`focue check`: everything a build would report, and what only a careful editor would.

Beyond the build's own diagnostics (front matter, duplicate URLs, unresolved Read
More targets, required fields, template errors are the build's), a check follows
every link and image in the bodies and every lead image, and reports those that
point at nothing on the site. It writes no output.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote, urljoin, urlsplit

from .build import BuildOptions, Loaded, dedupe, load_site, template_salt
from .cache import BuildCache
from .errors import Diagnostic, strict, warning
from .load import CONTENT_DIR
from .markup import is_external
from .model import Article
from .plan import Plan, find_collisions, plan_site
from .site import Selection, is_published, permalink
from .theme import asset_urls, static_files
from .urls import INDEX_FILE
from .workers import PageWork, process_pages


def _targets(plan: Plan, static: Iterable[str]) -> set[str]:
    """Every file the site will have, by output path."""
    return {spec.output for spec in plan.claims} | set(static)


def _exists(path: str, targets: set[str]) -> bool:
    """Whether a site path ('/2023/10/x/', '/images/a.jpg') is something the site has."""
    rel = path.lstrip("/")
    candidates = (rel, rel + INDEX_FILE if rel.endswith("/") or not rel else rel + "/" + INDEX_FILE)
    return any(candidate in targets for candidate in candidates)


def _site_path(link: str, page_url: str, base_path: str) -> str | None:
    """The site path a link from a page leads to, or None when it leaves the site."""
    path = unquote(urlsplit(urljoin(page_url, link)).path)
    if not path.startswith(base_path):
        return None
    return "/" + path[len(base_path) :]


def _article_links(article: Article, plan: Plan, targets: set[str]) -> list[Diagnostic]:
    site = plan.planner.site
    page_url = plan.planner.urls.link(permalink(article, site.config.permalink))
    shown = f"{CONTENT_DIR}/{article.path}"
    problems = []
    for ref in article.body_urls:
        what = "link" if ref.kind == "href" else "image"
        path = _site_path(ref.target, page_url, site.config.base_path)
        if path is None:
            message = (
                f"{what} '{ref.target}' leads outside the site's base path {site.config.base_path}"
            )
            problems.append(warning(shown, message, ref.line, ref.column))
        elif not _exists(path, targets):
            problems.append(
                warning(
                    shown,
                    f"{what} '{ref.target}' points at nothing on the site",
                    ref.line,
                    ref.column,
                )
            )
    image = article.image
    if (
        image is not None
        and not is_external(image.src)
        and not _exists("/" + image.src.lstrip("/"), targets)
    ):
        message = (
            f"image '{image.src}' is not in static/ (put it at static/{image.src.lstrip('/')})"
        )
        problems.append(warning(shown, message, article.line_of("image")))
    return problems


def dead_links(articles: Iterable[Article], plan: Plan, static: Iterable[str]) -> list[Diagnostic]:
    """Links and images of these articles (published or clashing) that lead nowhere."""
    targets = _targets(plan, static)
    found: list[Diagnostic] = []
    for article in articles:
        found += _article_links(article, plan, targets)
    return found


def _template_errors(options: BuildOptions, loaded: Loaded, plan: Plan, cache: BuildCache) -> list:
    """Render every page (in memory) so template errors surface too."""
    work = PageWork(
        plan,
        loaded.theme,
        template_salt(loaded.theme, cache),
        {},
        (None,) * len(plan.specs),
        False,
        options.site_dir,
        None,
        options.output,
        check_disk=False,
    )
    every = range(len(plan.specs))
    problems = [d.diagnostic for d in process_pages(work, every, options.jobs) if d.diagnostic]
    return list(dedupe(problems))


def check_site(options: BuildOptions) -> tuple[Diagnostic, ...]:
    """Every problem a build of these options would meet, plus links to nothing."""
    cache = BuildCache(options.site_dir, enabled=options.use_cache)
    with cache.lock():
        notes = cache.prepare_state()
        loaded = load_site(options, cache)
        cache.save()
    found = [*notes, *loaded.diagnostics]
    static = static_files(options.site_dir, loaded.theme)
    plan = plan_site(loaded.site, asset_urls(static))
    found += find_collisions(plan.claims, {rel: f"static file {rel}" for rel in static})
    found += _template_errors(options, loaded, plan, cache)
    selection = Selection(options.now, options.drafts, options.future)
    links = dead_links([a for a in loaded.articles if is_published(a, selection)], plan, static)
    found += strict(links) if options.strict else links
    return tuple(found)


def as_json(diagnostics: Iterable[Diagnostic]) -> list[dict]:
    """Diagnostics as plain data for tools (`focue check --format json`)."""
    return [
        {
            "path": d.path,
            "line": d.line,
            "column": d.column,
            "severity": d.severity,
            "message": d.message,
        }
        for d in diagnostics
    ]
