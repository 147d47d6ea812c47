"""The commands: build, check, serve, init and new. Each returns an exit code."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ..checks import check, verify
from ..core.layout import SOURCE_DIRS
from ..core.memory import release
from ..output.cluster import ClusterAddress, ClusterUnavailable, connect
from ..output.running import code_folders
from ..output.shared import SharedCache, portable_code
from ..output.workers import Jobs
from ..pipeline import BuildOptions, BuildResult, build
from ..scaffold import Refused, Story, init_site, new_article
from .arguments import UsageError, resolve_now, site_folder
from .report import (
    TerminalProgress,
    failure_line,
    plural,
    print_diagnostics,
    summary_line,
    terminal_progress,
    write_report,
)

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def build_options(
    args: argparse.Namespace, progress: TerminalProgress | None = None
) -> BuildOptions:
    return BuildOptions(
        site_dir=site_folder(args.site_dir),
        now=resolve_now(args.now),
        output_dir=Path(args.output) if getattr(args, "output", None) else None,
        drafts=args.drafts,
        future=args.future,
        strict=args.strict,
        jobs=args.jobs,
        use_cache=not getattr(args, "no_cache", False),
        progress=progress,
        base_url=args.base_url,
    )


@contextlib.contextmanager
def _workers(args: argparse.Namespace) -> Iterator[Jobs]:
    """The build's workers: local processes, or a Dask cluster for as long as it runs."""
    where = args.executor
    if args.scheduler_file:
        where = ClusterAddress(scheduler_file=args.scheduler_file)
    if where is None:
        yield args.jobs
        return
    try:
        cluster = connect(where)
    except ClusterUnavailable as exc:
        raise UsageError(str(exc)) from None
    try:
        yield cluster
    finally:
        cluster.close()


def _shared(location: str | None) -> SharedCache | None:
    """--cache-dir: a folder or an fsspec URL; one that cannot be opened is a usage error."""
    if not location:
        return None
    try:
        return SharedCache(location, portable_code(code_folders()))
    except (ImportError, ValueError, OSError) as exc:
        raise UsageError(f"--cache-dir {location}: {exc}") from None


def _check_places(args: argparse.Namespace, options: BuildOptions) -> None:
    """A report or a shared cache where the build would replace it (the output
    folder), publish it (static/) or collide with its own cache is a usage error."""
    if args.report and _inside(args.report, options.output):
        raise UsageError(
            f"--report '{args.report}' is inside the output folder, which the build "
            "replaces; write the report elsewhere"
        )
    local = args.cache_dir and ("://" not in args.cache_dir or args.cache_dir.startswith("file://"))
    folders = (options.output, *(options.site_dir / name for name in SOURCE_DIRS))
    for folder in folders if local else ():
        if _inside(args.cache_dir.removeprefix("file://"), folder):
            raise UsageError(
                f"--cache-dir '{args.cache_dir}' is inside {folder}/, which the build reads "
                "or replaces; put the shared cache elsewhere"
            )


def command_build(args: argparse.Namespace) -> int:
    options = build_options(args)
    _check_places(args, options)
    shared = _shared(args.cache_dir)
    with _workers(args) as jobs:
        return _build(args, replace(options, jobs=jobs, shared=shared))


def _build(args: argparse.Namespace, options: BuildOptions) -> int:
    started = time.perf_counter()
    progress = terminal_progress(args.quiet)
    options = replace(options, progress=progress)
    try:
        result = build(options)
    finally:
        progress.finish()
    seconds = time.perf_counter() - started
    print_diagnostics(result.diagnostics)
    if args.report and not _reported(args.report, options, result, seconds):
        return EXIT_CONTENT
    if not result.ok:
        line = failure_line(result.diagnostics, options.output, result.sources, result.partial)
        print(line, file=sys.stderr)
        return EXIT_CONTENT
    if args.verbose and result.report is not None:
        for rel in result.report.written_paths:
            print(f"wrote {rel}")
        for rel in result.report.removed_paths:
            print(f"removed {rel}")
    if not args.quiet:
        print(summary_line(result, options.output, seconds), flush=True)
    if args.verify:
        return _verify(options)
    return EXIT_OK


def _inside(path: str, folder: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def _reported(path: str, options: BuildOptions, result: BuildResult, seconds: float) -> bool:
    """The report written, or an error saying why not (the path became a folder, say)."""
    try:
        write_report(path, options, result, seconds)
    except OSError as exc:
        print(
            f"focue: error: cannot write the report '{path}': {exc.strerror or exc}",
            file=sys.stderr,
        )
        return False
    return True


def _verify(options: BuildOptions) -> int:
    release()  # the build's memory: a second build follows
    differences = verify(options)
    print_diagnostics(differences)
    if differences:
        print(
            f"Verify failed: {plural(len(differences), 'difference')} from a clean build",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    print("Verified: the output is byte-identical to a clean build")
    return EXIT_OK


def command_check(args: argparse.Namespace) -> int:
    options = build_options(args)
    found = check(options)
    failed = any(d.is_error for d in found)
    if args.format == "json":
        print(
            json.dumps(
                {"ok": not failed, "diagnostics": [d.as_dict() for d in sorted(found)]},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        print_diagnostics(found)
        errors = sum(d.is_error for d in found)
        warnings = sum(d.severity == "warning" for d in found)
        verdict = "Check failed" if failed else "Check passed"
        print(
            f"{verdict}: {plural(errors, 'error')}, {plural(warnings, 'warning')}",
            file=sys.stderr if failed else sys.stdout,
        )
    return EXIT_CONTENT if failed else EXIT_OK


def _refused(exc: Refused) -> int:
    print_diagnostics(exc.diagnostics)
    return EXIT_CONTENT


def command_init(args: argparse.Namespace) -> int:
    folder = Path(args.directory)
    try:
        created = init_site(folder, resolve_now(args.now))
    except Refused as exc:
        return _refused(exc)
    for path in created:
        print(f"created {path}")
    print(f"A new site is ready: cd {folder} && focue serve")
    return EXIT_OK


def command_new(args: argparse.Namespace) -> int:
    site = site_folder(args.site)
    story = Story(
        title=" ".join(args.headline.split()),
        section=args.section,
        tags=tuple(t.strip() for t in (args.tags or "").split(",") if t.strip()),
        authors=tuple(args.author or ()),
        draft=args.draft,
    )
    if not story.title:
        raise UsageError("the headline is empty")
    try:
        path = new_article(site, story, resolve_now(args.now))
    except Refused as exc:
        return _refused(exc)
    print(path)
    return EXIT_OK


def _print_preview_build(report) -> None:  # a serve.BuildReport
    result = report.result
    print_diagnostics(result.diagnostics)
    changed = f" after changes to {', '.join(report.changed[:3])}" if report.changed else ""
    if result.ok:
        first = report.first_shown
        early = f" (the open pages after {first:.2f} s)" if first is not None else ""
        print(f"Built in {report.seconds:.2f} s{early}{changed}", flush=True)
    else:
        errors = sum(d.is_error for d in result.diagnostics)
        print(
            f"Build failed{changed}: {plural(errors, 'error')}; the preview shows the last good "
            "build with the errors on top",
            file=sys.stderr,
            flush=True,
        )


def command_serve(args: argparse.Namespace) -> int:
    from ..serve.preview import LOOPBACK, CannotListen, Preview

    site = site_folder(args.site_dir)
    try:
        preview = Preview(
            site,
            args.host,
            args.port,
            drafts=args.drafts,
            future=args.future,
            report=_print_preview_build,
            base_url=args.base_url,
        )
    except CannotListen as exc:
        print(f"focue: error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    if args.host not in LOOPBACK:
        print(
            f"warning: serving on {args.host or 'every address'}: anyone who can reach this "
            "machine can read the preview, drafts included",
            file=sys.stderr,
        )
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        preview.start()
        drafts = "shown" if args.drafts else "hidden"
        print(f"Serving {preview.url} (drafts {drafts}); Ctrl-C to stop", flush=True)
        if args.open:
            import webbrowser  # only here: a build need not pay for importing it

            webbrowser.open(preview.url)
        threading.Event().wait()
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        preview.stop()
    return EXIT_OK


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
