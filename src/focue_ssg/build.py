"""The one entry point that composes the core: load -> site -> plan -> render -> write.

Incremental by construction, with nothing declared: parsed articles are reused
by content hash, and a page is rendered only when the fingerprint of its
template and context changed, and written only when its bytes changed. When no
input changed at all (sources, config, theme, static files, options, the code,
and no scheduled article came due), the build stops after checking that.
Nothing is written unless every step succeeded.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from .authors import load_authors
from .cache import BuildCache, Manifest, OutputRecord, SourceStat, digest
from .config import CONFIG_FILE, SiteConfig, load_config
from .errors import Diagnostic, error, has_errors, strict
from .load import CONTENT_DIR, Found, ParseSettings, scan_sources
from .memory import freeze, no_gc_pauses
from .model import Article
from .pagekeys import CardMemo, PageKeys
from .plan import Plan, find_collisions, plan_site
from .related import Entry, related
from .site import Selection, Site, build_site
from .theme import Theme, asset_urls, find_theme, static_files
from .workers import PageWork, ParseTask, parse_files, process_pages
from .write import (
    OutputWriter,
    UnsafePath,
    WriteReport,
    check_output_dir,
    same_bytes,
    same_size,
    tree_files,
)

OUTPUT_DIR = "output"
Scan = tuple[list[Found], list[Diagnostic]]  # what scan_sources found, and its problems


@dataclass(frozen=True)
class BuildOptions:
    site_dir: Path
    now: datetime
    output_dir: Path | None = None
    drafts: bool = False
    future: bool = False
    strict: bool = False
    jobs: int = 1
    use_cache: bool = True
    progress: Callable[[str, int, int], None] | None = None  # (phase, done, total), for terminals

    @property
    def output(self) -> Path:
        return self.output_dir if self.output_dir is not None else self.site_dir / OUTPUT_DIR


@dataclass(frozen=True)
class BuildResult:
    diagnostics: tuple[Diagnostic, ...]
    counts: dict[str, int] = field(default_factory=dict)
    report: WriteReport | None = None
    timings: dict[str, float] = field(default_factory=dict)
    up_to_date: bool = False  # nothing changed since the last build
    pages_made: int = 0  # pages whose context was made (the others' inputs were unchanged)
    next_rebuild_at: float = float("inf")  # the output changes by itself then (POSIX time)

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


class _Stopwatch:
    """Phase timings for the report; they never influence the output."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.timings[phase] = round(self.timings.get(phase, 0.0) + now - self.last, 4)
        self.last = now


# -- loading ------------------------------------------------------------------


def _read_digest(file: Path) -> bytes | None:
    try:
        return digest(file.read_bytes())
    except OSError:
        return None


def _reuse(cache: BuildCache, path: str, size: int, mtime: int, file: str) -> tuple | None:
    """The cached parse of a source, when its content is known to be the same."""
    known = cache.trusted_digest(path, size, mtime)
    if known is None and cache.source(path) is not None:
        known = _read_digest(Path(file))  # touched or recent: its bytes decide, not its mtime
        hit = cache.parsed(path, known) if known is not None else None
        if hit is not None:
            cache.remember(path, SourceStat(size, mtime, known), hit)
        return hit
    return cache.parsed(path, known) if known is not None else None


def _phase(options: BuildOptions, name: str) -> Callable[[int, int], None] | None:
    report = options.progress
    return None if report is None else lambda done, total: report(name, done, total)


def _parse_all(
    site_dir: Path,
    settings: ParseSettings,
    cache: BuildCache,
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
    scan: Scan | None = None,
) -> tuple[list[Article], list[Diagnostic]]:
    """Every article, parsed or reused; only new and changed files are read in full."""
    scanned, found_problems = scan if scan is not None else scan_sources(site_dir)
    problems = list(found_problems)
    results: dict[str, tuple] = {}
    tasks = []
    content = str(site_dir / CONTENT_DIR)
    for found in scanned:
        file = f"{content}/{found.path}"
        hit = _reuse(cache, found.path, found.size, found.mtime_ns, file)
        if hit is not None:
            results[found.path] = hit
        else:
            tasks.append(ParseTask(found.path, file, settings))
    for parsed in parse_files(tasks, jobs, progress):
        results[parsed.path] = (parsed.article, parsed.diagnostics)
        if parsed.stat is not None:
            cache.remember(parsed.path, parsed.stat, results[parsed.path])
    cache.forget_missing({found.path for found in scanned})
    articles = []
    for path in sorted(results):
        article, found = results[path]
        problems.extend(found)
        if article is not None:
            articles.append(article)
    return articles, problems


class _CachedRelated:
    """Related articles depend only on the entries (paths, dates, tags, sections)."""

    def __init__(self, cache: BuildCache):
        self.cache = cache

    def __call__(self, entries: Sequence[Entry], count: int) -> dict[str, tuple[str, ...]]:
        facts = [(e.id, e.timestamp, e.tags, e.section) for e in entries]  # a tuple's repr is C
        key = digest(repr((count, facts)).encode())
        saved = self.cache.state.related
        if saved is not None and saved[0] == key:
            return saved[1]
        result = related(entries, count)
        self.cache.state.related = (key, result)
        return result


def load_site(
    options: BuildOptions, cache: BuildCache | None = None, scan: Scan | None = None
) -> Loaded:
    """Config, theme, every article and the site model, with every diagnostic found.
    `scan` is the content folder as the build already walked it, if it did."""
    cache = cache or BuildCache(options.site_dir, enabled=False)
    config, problems = load_config(options.site_dir)
    theme, theme_problems = find_theme(options.site_dir, config.theme)
    settings = ParseSettings(config.timezone, config.smart_quotes)
    notes = cache.prepare(settings)
    freeze()
    articles, content_problems = _parse_all(
        options.site_dir, settings, cache, options.jobs, _phase(options, "parsing"), scan
    )
    selection = Selection(now=options.now, drafts=options.drafts, future=options.future)
    author_info, author_problems = load_authors(options.site_dir, config.authors_file)
    site, site_problems = build_site(
        articles, config, selection, related_with=_CachedRelated(cache), author_info=author_info
    )
    freeze()
    found = (*notes, *problems, *theme_problems, *author_problems, *content_problems)
    found += site_problems
    return Loaded(config, theme, site, tuple(articles), strict(found) if options.strict else found)


# -- the no-change shortcut ---------------------------------------------------------


def _stats_of(paths: Iterable[Path], root: Path) -> list[str]:
    lines = []
    for path in sorted(paths):
        try:
            info = path.stat()
        except OSError:
            continue
        lines.append(
            f"{path.relative_to(root) if path.is_relative_to(root) else path}"
            f":{info.st_size}:{info.st_mtime_ns}"
        )
    return lines


def _theme_files(theme: Theme) -> list[Path]:
    return [
        p
        for d in (*theme.template_dirs, *theme.static_dirs)
        if d.is_dir()
        for p in d.rglob("*")
        if p.is_file()
    ]


def _surroundings(options: BuildOptions, cache: BuildCache) -> list[str]:
    """What a build reads besides the content files, cheaply (sizes and mtimes); taken
    before the build, so an edit made during it is seen by the next one."""
    site = options.site_dir
    config, _ = load_config(site)
    theme, _ = find_theme(site, config.theme)
    parts = [cache.code, repr((options.drafts, options.future, options.strict))]
    config_file = site / CONFIG_FILE
    parts.append(config_file.read_bytes().hex() if config_file.is_file() else "-")
    parts += _stats_of(_theme_files(theme), site)
    for folder in ("static", "data"):
        parts += _stats_of([p for p in (site / folder).rglob("*") if p.is_file()], site)
    parts += _stats_of([site / config.authors_file], site)  # it may live outside data/
    return parts


def _inputs_signature(surroundings: list[str], scan: Scan, cache: BuildCache) -> bytes | None:
    """Everything a build reads, with the content files as its walk saw them; None if
    their stats prove nothing."""
    sources, problems = scan
    if problems:
        return None
    for found in sources:
        if cache.trusted_digest(found.path, found.size, found.mtime_ns) is None:
            return None  # new, changed, or too recently hashed to tell
    parts = [*surroundings, *(f"{f.path}:{f.size}:{f.mtime_ns}" for f in sources)]
    return digest("\n".join(parts).encode())


def _output_intact(output: Path, manifest: Manifest) -> bool:
    return all(same_size(output / rel, record.size) for rel, record in manifest.records.items())


def _unchanged_result(
    options: BuildOptions,
    cache: BuildCache,
    surroundings: list[str],
    scan: Scan,
    watch: _Stopwatch,
) -> BuildResult | None:
    manifest = cache.manifest(options.output)
    if manifest is None or not manifest.inputs or not options.output.is_dir():
        return None
    if not manifest.valid_from <= options.now.timestamp() < manifest.valid_until:
        return None  # a story may have come due, expired or aged out (or now went back)
    if _inputs_signature(surroundings, scan, cache) != manifest.inputs:
        return None
    if not _output_intact(options.output, manifest):
        return None
    watch.lap("check")
    report = WriteReport(0, len(manifest.records), 0)
    return BuildResult(
        manifest.diagnostics,
        manifest.counts,
        report,
        watch.timings,
        up_to_date=True,
        next_rebuild_at=manifest.valid_until,
    )


# -- planning, rendering and writing --------------------------------------------------


def dedupe(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """A broken template fails every page that uses it; say so once."""
    seen: dict[tuple, Diagnostic] = {}
    for d in diagnostics:
        key = (d.path, d.line, d.message.split(" (while rendering")[0])
        seen.setdefault(key, d)
    return tuple(seen.values())


def template_salt(theme: Theme, cache: BuildCache) -> bytes:
    """Any template change re-renders every page: templates include one another."""
    h = hashlib.blake2b(cache.code.encode(), digest_size=16)
    for folder in theme.template_dirs:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.digest()


@dataclass
class _Outcome:
    records: dict[str, OutputRecord]
    staged: set[str]
    problems: list[Diagnostic]
    made: int = 0


def _page_keys(
    plan: Plan, salt: bytes, old: dict[str, OutputRecord], cache: BuildCache
) -> tuple[tuple[bytes | None, ...] | None, CardMemo | None]:
    """Keys made here when there are records to compare them with; with none (a first
    build), the workers make them alongside the pages, from the card digests made here
    (and remembered for the next build); with no cache, nobody needs them."""
    if not cache.enabled:
        return (None,) * len(plan.specs), None
    with no_gc_pauses():
        keys = PageKeys(plan.planner, salt, cache.state.cards)
        cache.state.cards = keys.card_memo
        return (keys.all(plan.specs) if old else None), keys.card_memo


def _same_inputs(record: OutputRecord | None, key: bytes | None, file: str) -> bool:
    """The page's context was made from the same inputs last time, and its file is there."""
    return (
        key is not None
        and record is not None
        and record.key == key
        and same_size(file, record.size)
    )


def _process(
    options: BuildOptions,
    loaded: Loaded,
    plan: Plan,
    manifest: Manifest | None,
    writer: OutputWriter,
    cache: BuildCache,
) -> _Outcome:
    salt = template_salt(loaded.theme, cache)
    old = manifest.records if manifest is not None else {}
    keys, cards = _page_keys(plan, salt, old, cache)
    work = PageWork(
        plan=plan,
        theme=loaded.theme,
        salt=salt,
        old=old,
        keys=keys,
        cards=cards,
        fingerprints=cache.enabled,
        site_dir=options.site_dir,
        stage=writer.stage,
        output=writer.output,
        check_disk=manifest is None,
        compiled=cache.compiled_templates(),
    )
    outcome = _Outcome({}, set(), [])
    todo = []
    output = str(options.output)
    for index, spec in enumerate(plan.specs):
        record = old.get(spec.output)
        key = work.keys[index] if work.keys is not None else None
        if _same_inputs(record, key, f"{output}/{spec.output}"):
            outcome.records[spec.output] = record  # type: ignore[assignment]
        else:
            todo.append(index)
    outcome.made = len(todo)
    for done in process_pages(work, todo, options.jobs, _phase(options, "rendering")):
        spec = plan.specs[done.index]
        if done.diagnostic is not None:
            outcome.problems.append(done.diagnostic)
        elif done.record is not None:
            outcome.records[spec.output] = done.record
            if done.staged:
                outcome.staged.add(spec.output)
    return outcome


def _copy_static(
    static: dict[str, Path],
    manifest: Manifest | None,
    output: Path,
    writer: OutputWriter,
    outcome: _Outcome,
) -> None:
    old = manifest.records if manifest is not None else {}
    for rel, source in static.items():
        info = source.stat()
        fp = digest(f"{source}:{info.st_size}:{info.st_mtime_ns}".encode())
        record = old.get(rel)
        if record is not None and record.fingerprint == fp and same_size(output / rel, record.size):
            outcome.records[rel] = record
            continue
        data = source.read_bytes()
        new = OutputRecord(fp, digest(data), len(data))
        outcome.records[rel] = new
        unchanged = record.digest == new.digest if record else same_bytes(output / rel, data)
        if not unchanged:
            writer.write(rel, data)
            outcome.staged.add(rel)


def _build_locked(options: BuildOptions, cache: BuildCache) -> BuildResult:
    watch = _Stopwatch()
    notes = cache.prepare_state()
    surroundings = _surroundings(options, cache)
    scan = scan_sources(options.site_dir)  # one walk of content/ per build
    shortcut = None if notes else _unchanged_result(options, cache, surroundings, scan, watch)
    if shortcut is not None:
        return shortcut
    with no_gc_pauses():
        loaded = load_site(options, cache, scan)
    diagnostics = (*notes, *loaded.diagnostics)
    watch.lap("load")
    if has_errors(diagnostics):
        cache.save()
        return BuildResult(diagnostics, timings=watch.timings)
    static = static_files(options.site_dir, loaded.theme)
    with no_gc_pauses():
        plan = plan_site(loaded.site, asset_urls(static))
    collisions = find_collisions(plan.claims, {rel: f"static file {rel}" for rel in static})
    watch.lap("plan")
    if collisions:
        return BuildResult((*diagnostics, *collisions), timings=watch.timings)
    manifest = cache.manifest(options.output) if options.output.is_dir() else None
    writer = OutputWriter(options.output)
    try:
        outcome = _process(options, loaded, plan, manifest, writer, cache)
        watch.lap("render")
        if outcome.problems:
            writer.abort()
            cache.save()
            return BuildResult(diagnostics + dedupe(outcome.problems), timings=watch.timings)
        _copy_static(static, manifest, options.output, writer, outcome)
        cache.begin_commit()
        previous = set(manifest.records) if manifest is not None else None
        report = writer.commit(outcome.staged, set(outcome.records), previous)
    except BaseException:
        writer.abort()
        raise
    cache.set_manifest(
        options.output,
        Manifest(
            records=outcome.records,
            inputs=_inputs_signature(surroundings, scan, cache) or b"",
            valid_from=options.now.timestamp(),
            valid_until=loaded.site.valid_until,
            counts=plan.counts,
            diagnostics=diagnostics,
        ),
    )
    cache.end_commit()
    watch.lap("write")
    return BuildResult(
        diagnostics,
        plan.counts,
        report,
        watch.timings,
        next_rebuild_at=loaded.site.valid_until,
        pages_made=outcome.made,
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


def verify(options: BuildOptions) -> tuple[Diagnostic, ...]:
    """Compare the output folder with a clean build (no cache) byte for byte."""
    with tempfile.TemporaryDirectory(prefix="focue-verify-") as scratch:
        clean_output = Path(scratch) / "output"
        clean = build(replace(options, output_dir=clean_output, use_cache=False))
        if not clean.ok:
            return clean.diagnostics
        mine, theirs = tree_files(options.output), tree_files(clean_output)
        problems = [
            error(str(options.output / rel), "missing from the incremental build")
            for rel in sorted(theirs - mine)
        ]
        problems += [
            error(str(options.output / rel), "not in a clean build")
            for rel in sorted(mine - theirs)
        ]
        problems += [
            error(str(options.output / rel), "differs from a clean build")
            for rel in sorted(mine & theirs)
            if (options.output / rel).read_bytes() != (clean_output / rel).read_bytes()
        ]
        shutil.rmtree(clean_output, ignore_errors=True)
        return tuple(problems)
