"""The one entry point that composes the core: load -> site -> plan -> render -> write.

Nothing is written unless every step succeeded; the result carries every
diagnostic so the shell can print them all at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .config import SiteConfig, load_config
from .errors import Diagnostic, error, has_errors, strict
from .load import ParseSettings, find_sources, parse_article, read_sources
from .model import Article
from .plan import Plan, find_collisions, plan_site
from .render import RENDER_ERRORS, make_environment, render_page, template_diagnostic
from .site import Selection, Site, build_site
from .theme import Theme, asset_urls, find_theme, static_files
from .write import UnsafePath, WriteReport, check_output_dir, staged_output

OUTPUT_DIR = "output"


@dataclass(frozen=True)
class BuildOptions:
    site_dir: Path
    now: datetime
    output_dir: Path | None = None
    drafts: bool = False
    future: bool = False
    strict: bool = False
    reuse_from: Path | None = None  # unchanged files are linked from here (default: output)

    @property
    def output(self) -> Path:
        return self.output_dir if self.output_dir is not None else self.site_dir / OUTPUT_DIR


@dataclass(frozen=True)
class BuildResult:
    diagnostics: tuple[Diagnostic, ...]
    counts: dict[str, int] = field(default_factory=dict)
    report: WriteReport | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


@dataclass(frozen=True)
class Loaded:
    """Everything read from the site folder, before any page is planned."""

    config: SiteConfig
    theme: Theme
    site: Site
    diagnostics: tuple[Diagnostic, ...]


class _Abort(Exception):
    """Raised inside the staged write to throw the new tree away."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__()
        self.diagnostics = diagnostics


def _parse_all(site_dir: Path, config: SiteConfig) -> tuple[list[Article], list[Diagnostic]]:
    paths, problems = find_sources(site_dir)
    sources, unreadable = read_sources(site_dir, paths)
    problems += unreadable
    articles = []
    settings = ParseSettings(config.timezone, config.smart_quotes)
    for source in sources:
        article, found = parse_article(source, settings)
        problems += found
        if article is not None:
            articles.append(article)
    return articles, problems


def load_site(options: BuildOptions) -> Loaded:
    """Config, theme, every article and the site model, with every diagnostic found."""
    config, problems = load_config(options.site_dir)
    theme, theme_problems = find_theme(options.site_dir, config.theme)
    articles, content_problems = _parse_all(options.site_dir, config)
    selection = Selection(now=options.now, drafts=options.drafts, future=options.future)
    site, site_problems = build_site(articles, config, selection)
    found = (*problems, *theme_problems, *content_problems, *site_problems)
    return Loaded(config, theme, site, strict(found) if options.strict else found)


def _dedupe(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """A broken template fails every page that uses it; say so once."""
    seen: dict[tuple, Diagnostic] = {}
    for d in diagnostics:
        key = (d.path, d.line, d.message.split(" (while rendering")[0])
        seen.setdefault(key, d)
    return tuple(seen.values())


def _render_and_write(
    options: BuildOptions, loaded: Loaded, plan: Plan, static: dict[str, Path]
) -> WriteReport:
    env = make_environment(loaded.theme)
    problems: list[Diagnostic] = []
    with staged_output(options.output, options.reuse_from) as staged:
        for page in plan.pages:
            try:
                staged.write(page.output, render_page(env, page))
            except RENDER_ERRORS as exc:
                problems.append(template_diagnostic(exc, page, options.site_dir))
        if problems:
            raise _Abort(problems)
        for rel, source in static.items():
            staged.copy(rel, source)
        return staged.commit()


def build(options: BuildOptions) -> BuildResult:
    """Build the site into the output folder, or leave it untouched and say why."""
    unsafe = check_output_dir(options.site_dir, options.output)
    if unsafe is not None:
        return BuildResult((unsafe,))
    loaded = load_site(options)
    if has_errors(loaded.diagnostics):
        return BuildResult(loaded.diagnostics)
    static = static_files(options.site_dir, loaded.theme)
    plan = plan_site(loaded.site, asset_urls(static))
    collisions = find_collisions(plan.pages, {rel: f"static file {rel}" for rel in static})
    if collisions:
        return BuildResult((*loaded.diagnostics, *collisions))
    try:
        report = _render_and_write(options, loaded, plan, static)
    except _Abort as abort:
        return BuildResult(loaded.diagnostics + _dedupe(abort.diagnostics))
    except UnsafePath as exc:
        return BuildResult((*loaded.diagnostics, error(str(options.output), str(exc))))
    return BuildResult(loaded.diagnostics, plan.counts, report)
