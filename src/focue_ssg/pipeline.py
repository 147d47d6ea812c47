"""From source files to the output folder: load -> model -> plan -> render -> write.

A build reuses what its cache proves unchanged: parsed articles by content hash,
pages by key, and, when no input changed at all, the whole output. Nothing is
written unless every step succeeded. `focue check` shares every step up to
rendering (checks.py).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from .config.settings import SiteConfig, load_config, overridden
from .core.errors import Diagnostic, dedupe, error, has_errors, strict
from .core.layout import CONTENT_DIR, OUTPUT_DIR
from .core.memory import freeze, no_gc_pauses, outlive
from .core.timing import Stopwatch
from .model.article import Article
from .model.page import Page
from .model.site import Selection, Site
from .output.bodies import gone, listed, present, stored
from .output.cache import BuildCache
from .output.incremental import Early, Outcome, copy_static, render_changed
from .output.kept_site import carried_values, keep_values, site_model
from .output.manifest import Manifest, lasting
from .output.media import make_media, prune_store, store_name, without_shown_photos
from .output.parsing import ParseTask, parse_files
from .output.reuse import with_search_index
from .output.shape import bodies_changed, origins, site_shape
from .output.shared import SharedCache, lookup, share
from .output.unchanged import (
    Scan,
    SizeCheck,
    inputs_signature,
    last_manifest,
    still_current,
    surroundings,
)
from .output.workers import Jobs
from .output.write import (
    OutputWriter,
    UnsafePath,
    WriteFailed,
    WriteReport,
    check_output_dir,
    refused,
)
from .pages.plan import Plan, find_collisions, plan_site
from .pages.recipe import Memo
from .render.theme import (
    Theme,
    asset_urls,
    find_theme,
    static_files,
    static_sources,
    template_salt,
)
from .source.accounting import account, unexplained, with_failed_pages
from .source.authors import load_authors
from .source.parse import ParseSettings
from .source.pictures import collect_pictures
from .source.scan import scan_sources

WORKER_STOPPED = (
    "a worker process stopped in the middle of its work (it was killed, perhaps for want "
    "of memory); nothing was written: build again"
)


@dataclass(frozen=True)
class BuildOptions:
    site_dir: Path
    now: datetime
    output_dir: Path | None = None
    drafts: bool = False
    future: bool = False
    strict: bool = False
    jobs: Jobs = 1  # local processes, or a Dask cluster (output/cluster.py)
    use_cache: bool = True
    progress: Callable[[str, int, int], None] | None = None  # (phase, done, total), for terminals
    base_url: str | None = None  # instead of focue.toml's (--base-url: deploy previews)
    first: Early | None = None  # pages to show before the rest (the preview's open pages)
    shared: SharedCache | None = None  # a cache shared with other builds (--cache-dir)

    @property
    def output(self) -> Path:
        return self.output_dir if self.output_dir is not None else self.site_dir / OUTPUT_DIR

    @property
    def selection(self) -> Selection:
        return Selection(now=self.now, drafts=self.drafts, future=self.future)

    def phase(self, name: str) -> Callable[[int, int], None] | None:
        report = self.progress
        return None if report is None else lambda done, total: report(name, done, total)


@dataclass(frozen=True)
class BuildResult:
    diagnostics: tuple[Diagnostic, ...]
    counts: dict[str, int] = field(default_factory=dict)
    report: WriteReport | None = None
    timings: dict[str, float] = field(default_factory=dict)
    up_to_date: bool = False  # nothing changed since the last build
    pages_made: int = 0  # pages whose context was made (the others' inputs were unchanged)
    images_encoded: int = 0  # photo variants encoded (the others were in the cache's store)
    next_rebuild_at: float = float("inf")  # the output changes by itself then (POSIX time)
    sources: dict[str, int] = field(default_factory=dict)  # what became of each file (`account`)
    partial: bool = False  # a write failed after files began to move in

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


@dataclass(frozen=True)
class Loaded:
    """Everything read from the site folder, before any page is planned."""

    config: SiteConfig
    theme: Theme
    site: Site
    articles: tuple[Article, ...]  # every parsed article, drafts and scheduled ones included
    diagnostics: tuple[Diagnostic, ...]
    pages: tuple[Page, ...] = ()  # every parsed standalone page, drafts included
    sources: dict[str, int] = field(default_factory=dict)  # see `account`
    shape: bytes = b""  # of all the site model is made from (output/shape.py)

    @property
    def documents(self) -> tuple[Article | Page, ...]:
        return (*self.articles, *self.pages)


# -- load -------------------------------------------------------------------------


def _parse_all(
    options: BuildOptions, settings: ParseSettings, cache: BuildCache, scan: Scan
) -> tuple[list[Article | Page], list[Diagnostic]]:
    """Every article and page, parsed or reused; only new and changed files are read."""
    scanned, problems, tasks = scan[0], list(scan[1]), []
    content = str(options.site_dir / CONTENT_DIR)
    bodies = cache.bodies()  # where parses keep bodies and terms (a cluster's come back here)
    results, left = cache.reused(scanned)
    if bodies is not None and results:  # a hit whose body file went is parsed again
        stale = gone((doc for doc, _ in results.values() if doc is not None), listed(bodies))
        left += [found for found in scanned if found.path in stale]
        for path in stale:
            del results[path]
    for found in left:
        file = f"{content}/{found.path}"
        hit = cache.reuse(found.path, found.size, found.mtime_ns, file)
        if hit is not None and present(hit[0]):
            results[found.path] = hit
        else:
            tasks.append(ParseTask(found.path, file, settings, bodies=bodies))
    if options.shared is not None and tasks:
        hits, tasks = lookup(options.shared, tasks)
        for path, stat, result in hits:
            results[path] = result
            cache.remember(path, stat, result)
    parsed_all = parse_files(tasks, options.jobs, options.phase("parsing"))
    made = [parsed.document for parsed in parsed_all]
    if bodies is not None:  # a cluster's workers send theirs back inline
        made = stored(bodies, made)
    for parsed, document in zip(parsed_all, made, strict=True):
        results[parsed.path] = entry = (document, parsed.diagnostics)
        if parsed.stat is not None:
            cache.remember(parsed.path, parsed.stat, entry)
    if options.shared is not None:
        share(options.shared, tasks, parsed_all)
    cache.forget_missing({found.path for found in scanned})
    documents = []
    for document, found in filter(None, map(results.get, (f.path for f in scanned))):
        problems.extend(found)  # in the order of their paths: the walk's
        if document is not None:
            documents.append(document)
    return documents, problems


def load_site(
    options: BuildOptions,
    cache: BuildCache | None = None,
    scan: Scan | None = None,
    around: list[str] | None = None,
) -> Loaded:
    """Config, theme, every article and the site model, with every diagnostic found.
    `scan` and `around`: the content folder and the rest as the build already read them."""
    cache = cache or BuildCache(options.site_dir, enabled=False)
    config, problems = load_config(options.site_dir)
    if options.base_url is not None:
        config = overridden(config, base_url=options.base_url)
    theme, theme_problems = find_theme(options.site_dir, config.theme, config.line_of("theme"))
    settings = ParseSettings(
        config.timezone, config.smart_quotes, config.language, config.search, config.html
    )
    notes = cache.prepare(settings)
    freeze()
    scan = scan if scan is not None else scan_sources(options.site_dir)
    documents, content_problems = _parse_all(options, settings, cache, scan)
    articles = tuple(d for d in documents if isinstance(d, Article))
    pages = tuple(d for d in documents if isinstance(d, Page))
    author_info, author_problems = load_authors(options.site_dir, config.authors_file)
    shape = site_shape(around, scan, documents) if around is not None else b""
    site, modelled = site_model(cache, shape, config, options.selection, author_info, documents)
    known = cache.state.photos, cache.scan_ns
    pictures, pictured = collect_pictures(options.site_dir, documents, config, author_info, known)
    site = replace(site, pictures=pictures)
    freeze()
    found = (*notes, *problems, *theme_problems, *author_problems, *content_problems)
    found += (*modelled, *pictured)
    found += unexplained(scan[0], documents, found)
    found = strict(found) if options.strict else found
    sources = account(scan[0], documents, found, options.selection)
    return Loaded(config, theme, site, articles, found, pages, sources, shape)


# -- plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    plan: Plan
    static: dict[str, Path]  # output path -> source file
    salt: bytes  # the template set and the code: part of every page's key
    problems: tuple[Diagnostic, ...]  # static files left out, or where a page goes


def plan_pages(options: BuildOptions, loaded: Loaded, cache: BuildCache) -> Planned:
    static, left_out = static_files(options.site_dir, loaded.theme)
    static = without_shown_photos(static, loaded.site)
    assets, now, shape = asset_urls(static), options.now.timestamp(), loaded.shape
    with no_gc_pauses():
        site = with_search_index(loaded.site, cache, options.jobs)
        memo = Memo(cache.state.memo if cache.enabled else None)
        carried = carried_values(cache, shape, assets, now)
        plan = plan_site(site, assets, memo, carried=carried)
        keep_values(cache, shape, assets, now, site, plan.parts)
        freeze()  # the plan lives as long as the build: no collection walks it
    left_out += find_collisions(plan.claims, static_sources(options.site_dir, static))
    return Planned(plan, static, template_salt(loaded.theme, cache.code), tuple(left_out))


# -- build ------------------------------------------------------------------------


def _up_to_date(manifest: Manifest, watch: Stopwatch) -> BuildResult:
    watch.lap("check")
    return BuildResult(
        manifest.diagnostics,
        manifest.counts,
        WriteReport(0, manifest.files, 0),
        watch.timings,
        up_to_date=True,
        next_rebuild_at=manifest.valid_until,
        sources=manifest.sources,
    )


def _write(
    options: BuildOptions,
    loaded: Loaded,
    planned: Planned,
    cache: BuildCache,
    watch: Stopwatch,
    sizes: SizeCheck,
) -> tuple[Outcome, WriteReport | None]:
    """Render what changed, then commit it; nothing is committed if a page failed. A
    refused write raises WriteFailed (partial once files have begun to move in).
    `sizes`: which output files changed size since the last build, checked meanwhile."""
    manifest = cache.manifest(options.output) if options.output.is_dir() else None
    bodies = bodies_changed(manifest, loaded.shape, loaded.documents, options.now.timestamp())
    moved = sizes.moved(manifest)
    try:
        writer = OutputWriter(options.output)
    except OSError as exc:
        raise refused(exc, options.output, partial=False) from None
    with writer.guarded(partial=False):
        store = cache.folder / store_name() if cache.enabled else None
        images = options.jobs, options.phase("images"), options.shared
        media = make_media(options.site_dir, loaded.site, planned.static, store, *images)
        watch.lap("images")
        outcome = render_changed(
            planned.plan,
            loaded.theme,
            planned.salt,
            manifest,
            writer,
            cache,
            options.site_dir,
            options.jobs,
            options.phase("rendering"),
            options.first,
            bodies,
            moved,
        )
        watch.lap("render")
        outcome.encoded = media.encoded
        outcome.problems[:0] = media.problems
        if outcome.problems:
            writer.abort()
            return outcome, None
        copy_static({**planned.static, **media.files}, manifest, writer, outcome, moved)
    cache.begin_commit()
    previous = set(manifest.records) if manifest is not None else None
    with writer.guarded(partial=True):
        return outcome, writer.commit(outcome.staged, set(outcome.records), previous)


def _failure(
    found: tuple[Diagnostic, ...], watch: Stopwatch, sources: dict, partial: bool = False
) -> BuildResult:
    """A build that failed after loading: the stories whose pages failed count as errors."""
    sources = with_failed_pages(sources, found)
    return BuildResult(found, timings=watch.timings, sources=sources, partial=partial)


def _build_locked(options: BuildOptions, cache: BuildCache) -> BuildResult:
    watch = Stopwatch()
    notes = cache.prepare_state()
    last = None if notes else last_manifest(options.output, options.now, cache)
    sizes = SizeCheck(options.output, last)  # checked meanwhile: whether any, and which
    try:
        flags = (options.drafts, options.future, options.strict, options.base_url)
        around = surroundings(options.site_dir, flags, cache)
        scan = scan_sources(options.site_dir)  # one walk of content/ per build
        if last is not None and still_current(last, around, scan, sizes):
            return _up_to_date(last, watch)
        return _build_changed(options, cache, notes, (around, scan), (sizes, watch))
    finally:
        sizes.cancel()


def _build_changed(
    options: BuildOptions,
    cache: BuildCache,
    notes: tuple[Diagnostic, ...],
    read: tuple[list[str], Scan],
    checks: tuple[SizeCheck, Stopwatch],
) -> BuildResult:
    """A build whose inputs changed: `read` is what it read before (the surroundings
    and content/), `checks` the output sizes checked meanwhile and its clock."""
    (around, scan), (sizes, watch) = read, checks
    with no_gc_pauses():
        loaded = load_site(options, cache, scan, around)
    diagnostics = (*notes, *loaded.diagnostics)
    watch.lap("load")
    sources = loaded.sources
    if has_errors(diagnostics):
        cache.save()
        return BuildResult(diagnostics, timings=watch.timings, sources=sources)
    planned = plan_pages(options, loaded, cache)
    watch.lap("plan")
    diagnostics += planned.problems
    if has_errors(planned.problems):
        return _failure(diagnostics, watch, sources)
    try:
        outcome, report = _write(options, loaded, planned, cache, watch, sizes)
    except WriteFailed as failed:
        cache.save()
        return _failure((*diagnostics, failed.problem), watch, sources, failed.partial)
    if report is None:
        cache.save()
        return _failure(diagnostics + dedupe(outcome.problems), watch, sources)
    until, signature = loaded.site.valid_until, inputs_signature(around, scan, cache) or b""
    counts = planned.plan.counts
    made = Manifest(outcome.records, signature, options.now.timestamp(), until, counts)
    made = replace(made, diagnostics=lasting(diagnostics), sources=sources, shape=loaded.shape)
    made.origins = origins(loaded.documents)
    cache.set_manifest(options.output, made)
    cache.end_commit()
    prune_store(cache)
    outlive(cache, loaded, planned, outcome, read)  # where the process ends with the build
    watch.lap("write")
    made = {"pages_made": outcome.made, "images_encoded": outcome.encoded}
    return BuildResult(
        diagnostics, counts, report, watch.timings, next_rebuild_at=until, sources=sources, **made
    )


def build(options: BuildOptions, cache: BuildCache | None = None) -> BuildResult:
    """Build the site into the output folder, or leave it untouched and say why.

    The preview passes its own cache to keep it in memory between builds.
    """
    unsafe = check_output_dir(options.site_dir, options.output)
    if unsafe is not None:
        return BuildResult((unsafe,))
    cache = cache or BuildCache(options.site_dir, enabled=options.use_cache)
    try:
        with cache.lock():
            return _build_locked(options, cache)
    except UnsafePath as exc:
        return BuildResult((error(str(options.output), str(exc)),))
    except BrokenExecutor:  # the staged output was dropped as the error came through
        return BuildResult((error(str(options.output), WORKER_STOPPED),))
