"""The `focue` command line: parse arguments, run the core, print diagnostics and a summary.

Exit codes: 0 success (warnings allowed), 1 content errors (or warnings under
--strict), 2 usage errors, 3 an internal error (a bug: rerun with --debug).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
import webbrowser
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .build import BuildOptions, BuildResult, build, verify
from .errors import Diagnostic
from .load import CONTENT_DIR
from .workers import default_jobs

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


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


def summary_line(result: BuildResult, output: Path, seconds: float) -> str:
    counts = result.counts
    report = result.report
    verb = "Up to date:" if result.up_to_date else "Built"
    line = (
        f"{verb} {_plural(counts['articles'], 'article')}, "
        f"{_plural(counts['tag pages'], 'tag page')} and "
        f"{_plural(counts['listing pages'], 'listing page')} in {seconds:.2f} s into {output}/"
    )
    if report is not None:
        line += (
            f" ({report.written} written, {report.unchanged} unchanged, {report.removed} removed)"
        )
    return line


def failure_line(diagnostics: Sequence[Diagnostic], output: Path) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    return (
        f"Build failed: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}; "
        f"{output}/ was left unchanged"
    )


def command_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    options = BuildOptions(
        site_dir=site_folder(args.site_dir),
        now=resolve_now(args.now),
        output_dir=Path(args.output) if args.output else None,
        drafts=args.drafts,
        future=args.future,
        strict=args.strict,
        jobs=args.jobs,
        use_cache=not args.no_cache,
    )
    result = build(options)
    print_diagnostics(result.diagnostics)
    if not result.ok:
        print(failure_line(result.diagnostics, options.output), file=sys.stderr)
        return EXIT_CONTENT
    print(summary_line(result, options.output, time.perf_counter() - started), flush=True)
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


def jobs_count(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return jobs


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
            webbrowser.open(preview.url)
        threading.Event().wait()
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        preview.stop()
    return EXIT_OK


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="focue", description="A static site generator for news publishing."
    )
    parser.add_argument("--version", action="version", version=f"focue {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = commands.add_parser("build", help="build the site into the output folder")
    b.add_argument("site_dir", nargs="?", default=".", metavar="SITE_DIR")
    b.add_argument("-o", "--output", metavar="DIR", help="output folder (default SITE_DIR/output)")
    b.add_argument("--drafts", action="store_true", help="include draft articles")
    b.add_argument("--future", action="store_true", help="include articles dated in the future")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--now", metavar="DATETIME", help="the build's current time (ISO 8601)")
    b.add_argument(
        "-j",
        "--jobs",
        type=jobs_count,
        default=default_jobs(),
        metavar="N",
        help="processes for Markdown and rendering (default: all cores)",
    )
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
    b.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    b.set_defaults(func=command_build)

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
