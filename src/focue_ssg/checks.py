"""`focue check` and `focue verify`: a build's steps used to find problems, not to
publish. A check loads and plans as a build does, renders every page in memory (so
template errors surface), adds what only a careful editor would look for (links that
lead nowhere) and writes nothing; a verify compares the output folder with a clean
build byte for byte.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from .core.errors import Diagnostic, dedupe, strict
from .model.site import is_published
from .output.cache import BuildCache
from .output.workers import PageWork, process_pages
from .output.write import differences
from .pages.deadlinks import dead_links
from .pipeline import BuildOptions, Loaded, Planned, build, load_site, plan_pages


def _render_errors(options: BuildOptions, loaded: Loaded, planned: Planned) -> list[Diagnostic]:
    """Every page rendered in memory, so template errors surface too."""
    plan, site_dir = planned.plan, options.site_dir
    work = PageWork.in_memory(plan, loaded.theme, planned.salt, site_dir, options.output)
    every = range(len(plan.specs))
    found = [d.diagnostic for d in process_pages(work, every, options.jobs) if d.diagnostic]
    return list(dedupe(found))


def check(options: BuildOptions) -> tuple[Diagnostic, ...]:
    """Every problem a build of these options would meet, plus links to nothing."""
    cache = BuildCache(options.site_dir, enabled=options.use_cache)
    with cache.lock():
        notes = cache.prepare_state()
        loaded = load_site(options, cache)
        cache.save()
        cache.deferred = True  # what planning keeps is not written: the lock is let go
    planned = plan_pages(options, loaded, cache)
    found = [*notes, *loaded.diagnostics, *planned.problems]
    found += _render_errors(options, loaded, planned)
    published = [a for a in loaded.articles if is_published(a, options.selection)]
    published += [p for p in loaded.pages if options.drafts or not p.draft]
    links = dead_links(published, planned.plan, planned.static)
    found += strict(links) if options.strict else links
    return tuple(found)


def verify(options: BuildOptions) -> tuple[Diagnostic, ...]:
    """Compare the output folder with a clean build (no cache) byte for byte."""
    with tempfile.TemporaryDirectory(prefix="focue-verify-") as scratch:
        clean_output = Path(scratch) / "output"
        clean = build(replace(options, output_dir=clean_output, use_cache=False))
        if not clean.ok:
            return clean.diagnostics
        problems = differences(options.output, clean_output)
        shutil.rmtree(clean_output, ignore_errors=True)
        return tuple(problems)
