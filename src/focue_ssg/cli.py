"""The `focue` command line: parse arguments, run the core, print diagnostics and a summary.

Exit codes: 0 success (warnings allowed), 1 content errors (or warnings under
--strict), 2 usage errors, 3 an internal error (a bug: rerun with --debug).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .build import BuildOptions, BuildResult, build, verify
from .check import as_json, check_site
from .errors import Diagnostic
from .load import CONTENT_DIR
from .scaffold import Refused, Story, init_site, new_article
from .workers import default_jobs

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
PROGRESS_AFTER_SECONDS = 1.0


class UsageError(Exception):
    """A mistake in how the command was called; exit code 2."""


def resolve_now(value: str | None) -> datetime:
    """The build's one clock: --now, else SOURCE_DATE_EPOCH, else the real time."""
    if value:
        try:
            now = datetime.fromisoformat(value)
        except ValueError:
            raise UsageError(f"--now: '{value}' is not an ISO 8601 date and time") from None
        return now if now.tzinfo else now.replace(tzinfo=UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError):
            raise UsageError(f"SOURCE_DATE_EPOCH='{epoch}' is not a number of seconds") from None
    return datetime.now(UTC)


def site_folder(value: str) -> Path:
    site = Path(value)
    if not site.is_dir():
        raise UsageError(f"site folder '{value}' does not exist")
    if not (site / CONTENT_DIR).is_dir():
        raise UsageError(f"'{value}' has no {CONTENT_DIR}/ folder; is it a focue site?")
    return site


def print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    for d in sorted(diagnostics, key=lambda d: (d.path, d.line or 0, d.column or 0)):
        print(d.format(), file=sys.stderr)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _when(timestamp: float) -> str | None:
    if timestamp == float("inf"):
        return None
    return (
        datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    )


def summary_line(result: BuildResult, output: Path, seconds: float) -> str:
    counts = result.counts
    verb = "Up to date:" if result.up_to_date else "Built"
    line = (
        f"{verb} {_plural(counts['articles'], 'article')}, "
        f"{_plural(counts['tag pages'], 'tag page')} and "
        f"{_plural(counts['listing pages'], 'listing page')} in {seconds:.2f} s into {output}/"
    )
    if result.report is not None:
        r = result.report
        line += f" ({r.written} written, {r.unchanged} unchanged, {r.removed} removed)"
    due = _when(result.next_rebuild_at)
    if due:
        line += f"; next rebuild due {due}"
    return line


def failure_line(diagnostics: Sequence[Diagnostic], output: Path) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = sum(d.severity == "warning" for d in diagnostics)
    return (
        f"Build failed: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}; "
        f"{output}/ was left unchanged"
    )


class TerminalProgress:
    """`parsing 1200/10000` on one rewritten line, only on a terminal and only once a
    build has run for a second; silent in CI logs and with --quiet."""

    def __init__(self, stream: TextIO, enabled: bool, clock: Callable[[], float] = time.monotonic):
        self.stream = stream
        self.enabled = enabled
        self.clock = clock
        self.started = clock()
        self.shown = False
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = self.clock()
        if not self.enabled or now - self.started < PROGRESS_AFTER_SECONDS:
            return
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        self.shown = True
        self.stream.write(f"\r\033[K{phase} {done}/{total}")
        self.stream.flush()

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _progress(args: argparse.Namespace) -> TerminalProgress:
    enabled = sys.stderr.isatty() and not args.quiet and not os.environ.get("CI")
    return TerminalProgress(sys.stderr, enabled)


def _report(path: str, options: BuildOptions, result: BuildResult, seconds: float) -> None:
    """The machine-readable build report (--report), written even when the build fails."""
    r = result.report
    data: dict[str, Any] = {
        "generator": f"focue_ssg {__version__}",
        "ok": result.ok,
        "up_to_date": result.up_to_date,
        "site": str(options.site_dir),
        "output": str(options.output),
        "now": options.now.isoformat(timespec="seconds"),
        "counts": result.counts,
        "timings": {**result.timings, "total": round(seconds, 4)},
        "errors": sum(d.is_error for d in result.diagnostics),
        "warnings": sum(d.severity == "warning" for d in result.diagnostics),
        "diagnostics": as_json(result.diagnostics),
        "pages_made": result.pages_made,
        "files": {
            "written": r.written if r else 0,
            "unchanged": r.unchanged if r else 0,
            "removed": r.removed if r else 0,
            "written_paths": list(r.written_paths) if r else [],
            "removed_paths": list(r.removed_paths) if r else [],
        },
        "next_rebuild_at": _when(result.next_rebuild_at),
    }
    target = Path(path)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, target)


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
    )


def command_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    progress = _progress(args)
    options = build_options(args, progress)
    try:
        result = build(options)
    finally:
        progress.finish()
    seconds = time.perf_counter() - started
    print_diagnostics(result.diagnostics)
    if args.report:
        _report(args.report, options, result, seconds)
    if not result.ok:
        print(failure_line(result.diagnostics, options.output), file=sys.stderr)
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


def _verify(options: BuildOptions) -> int:
    differences = verify(options)
    print_diagnostics(differences)
    if differences:
        print(
            f"Verify failed: {_plural(len(differences), 'difference')} from a clean build",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    print("Verified: the output is byte-identical to a clean build")
    return EXIT_OK


def command_check(args: argparse.Namespace) -> int:
    options = build_options(args)
    found = check_site(options)
    failed = any(d.is_error for d in found)
    if args.format == "json":
        print(
            json.dumps(
                {"ok": not failed, "diagnostics": as_json(sorted(found))},
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
            f"{verdict}: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}",
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


def _print_preview_build(report) -> None:
    result = report.result
    print_diagnostics(result.diagnostics)
    changed = f" after changes to {', '.join(report.changed[:3])}" if report.changed else ""
    if result.ok:
        print(f"Built in {report.seconds:.2f} s{changed}", flush=True)
    else:
        errors = sum(d.is_error for d in result.diagnostics)
        print(
            f"Build failed{changed}: {_plural(errors, 'error')}; the preview shows the last good "
            "build with the errors on top",
            file=sys.stderr,
            flush=True,
        )


def command_serve(args: argparse.Namespace) -> int:
    from .serve import LOOPBACK, PortInUse, Preview

    site = site_folder(args.site_dir)
    try:
        preview = Preview(
            site,
            args.host,
            args.port,
            drafts=args.drafts,
            future=args.future,
            report=_print_preview_build,
        )
    except PortInUse as exc:
        print(f"focue: error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    if args.host not in LOOPBACK:
        print(
            f"warning: serving on {args.host}: anyone who can reach this machine can read the "
            "preview, drafts included",
            file=sys.stderr,
        )
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        preview.start()
        drafts = "shown" if args.drafts else "hidden"
        print(f"Serving {preview.url} (drafts {drafts}); Ctrl-C to stop", flush=True)
        if args.open:
            import webbrowser  # only here: importing it costs a build 25 ms

            webbrowser.open(preview.url)
        threading.Event().wait()
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        preview.stop()
    return EXIT_OK


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def jobs_count(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return jobs


def _content_options(command: argparse.ArgumentParser) -> None:
    """What decides which articles are published, shared by build and check."""
    command.add_argument("site_dir", nargs="?", default=".", metavar="SITE_DIR")
    command.add_argument("--drafts", action="store_true", help="include draft articles")
    command.add_argument(
        "--future", action="store_true", help="include articles dated in the future"
    )
    command.add_argument("--strict", action="store_true", help="treat warnings as errors")
    command.add_argument("--now", metavar="DATETIME", help="the current time (ISO 8601)")
    command.add_argument(
        "-j",
        "--jobs",
        type=jobs_count,
        default=default_jobs(),
        metavar="N",
        help="processes for Markdown and rendering (default: all cores)",
    )
    command.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="focue", description="A static site generator for news publishing."
    )
    parser.add_argument("--version", action="version", version=f"focue {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = commands.add_parser("build", help="build the site into the output folder")
    _content_options(b)
    b.add_argument("-o", "--output", metavar="DIR", help="output folder (default SITE_DIR/output)")
    b.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore and do not update the build cache (.focue-cache/)",
    )
    b.add_argument(
        "--verify",
        action="store_true",
        help="after building, compare the output with a clean build byte for byte",
    )
    b.add_argument("--report", metavar="FILE", help="write a JSON report of the build to FILE")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary line")
    b.add_argument(
        "-v", "--verbose", action="store_true", help="list every file written or removed"
    )
    b.set_defaults(func=command_build)

    c = commands.add_parser("check", help="report every problem without publishing anything")
    _content_options(c)
    c.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (path:line: severity: message) or json",
    )
    c.set_defaults(func=command_check)

    s = commands.add_parser("serve", help="preview the site with live reload")
    s.add_argument("site_dir", nargs="?", default=".", metavar="SITE_DIR")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    s.add_argument(
        "--drafts",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="show draft articles, with a Draft banner (default: shown)",
    )
    s.add_argument("--future", action="store_true", help="show articles dated in the future")
    s.add_argument("--open", action="store_true", help="open the preview in a web browser")
    s.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    s.set_defaults(func=command_serve)

    i = commands.add_parser("init", help="create a new site in a folder")
    i.add_argument("directory", nargs="?", default=".", metavar="DIR")
    i.add_argument("--now", metavar="DATETIME", help="the example article's date (ISO 8601)")
    i.set_defaults(func=command_init)

    n = commands.add_parser("new", help="start a new article from the article template")
    n.add_argument("headline")
    n.add_argument("--section", help="the article's section")
    n.add_argument("--tags", help="comma-separated tags: 'China, Trade'")
    n.add_argument("--author", action="append", metavar="NAME", help="an author (repeatable)")
    n.add_argument("--draft", action="store_true", help="mark it as a draft")
    n.add_argument("--site", default=".", metavar="SITE_DIR", help="the site folder (default .)")
    n.add_argument("--now", metavar="DATETIME", help="the article's date (default: now)")
    n.set_defaults(func=command_new)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        parser.exit(EXIT_USAGE, f"focue: error: {exc}\n")
    except KeyboardInterrupt:
        print("focue: interrupted; the output folder was left unchanged", file=sys.stderr)
        return 130
    except Exception as exc:
        if getattr(args, "debug", False):
            raise
        print(
            f"focue: internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return EXIT_OK
