"""The `focue` command line: parse arguments, run a command, map failures to exit codes.

Exit codes: 0 success (warnings allowed), 1 content errors (or warnings under
--strict), 2 usage errors, 3 an internal error (a bug: rerun with --debug), 141 the
reader of the output stopped early (`focue build -v | head`), as for a program that
SIGPIPE ends.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence

from .. import __version__
from ..core.memory import end_process, ends_with_command
from ..output.workers import default_jobs
from . import commands
from .arguments import UsageError, base_url, executor, jobs_count, port_number, report_file
from .commands import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE

EXIT_PIPE = 128 + signal.SIGPIPE  # what a shell reports for a program SIGPIPE ended


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
    _base_url_option(command)


def _base_url_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--base-url",
        type=base_url,
        metavar="URL",
        help="serve from this address instead of focue.toml's base_url (deploy previews)",
    )


def _build_command(b: argparse.ArgumentParser) -> None:
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
    b.add_argument(
        "--report",
        metavar="FILE",
        type=report_file,
        help="write a JSON report of the build to FILE",
    )
    b.add_argument(
        "--cache-dir",
        metavar="PATH|URL",
        help="a cache shared with other builds (a folder, or an fsspec URL such as "
        "s3://bucket/focue): parsed articles and photo variants, reused across machines",
    )
    where = b.add_mutually_exclusive_group()
    where.add_argument(
        "--executor",
        type=executor,
        default=None,
        metavar="URL",
        help="where parsing and rendering run: local (the default: -j processes) or "
        "dask://HOST:PORT, a Dask scheduler (pip install 'focue-ssg[dask]')",
    )
    where.add_argument(
        "--scheduler-file", metavar="FILE", help="a Dask scheduler, by the file it wrote"
    )
    b.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary line")
    b.add_argument(
        "-v", "--verbose", action="store_true", help="list every file written or removed"
    )
    b.set_defaults(func=commands.command_build)


def _check_command(c: argparse.ArgumentParser) -> None:
    _content_options(c)
    c.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (path:line: severity: message) or json",
    )
    c.set_defaults(func=commands.command_check)


def _serve_command(s: argparse.ArgumentParser) -> None:
    s.add_argument("site_dir", nargs="?", default=".", metavar="SITE_DIR")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    s.add_argument(
        "--port", type=port_number, default=8000, help="port (default 8000; 0 picks a free one)"
    )
    s.add_argument(
        "--drafts",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="show draft articles, with a Draft banner (default: shown)",
    )
    s.add_argument("--future", action="store_true", help="show articles dated in the future")
    s.add_argument("--open", action="store_true", help="open the preview in a web browser")
    s.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    _base_url_option(s)
    s.set_defaults(func=commands.command_serve)


def _init_command(i: argparse.ArgumentParser) -> None:
    i.add_argument("directory", nargs="?", default=".", metavar="DIR")
    i.add_argument("--now", metavar="DATETIME", help="the example article's date (ISO 8601)")
    i.set_defaults(func=commands.command_init)


def _new_command(n: argparse.ArgumentParser) -> None:
    n.add_argument("headline")
    n.add_argument("--section", help="the article's section")
    n.add_argument("--tags", help="comma-separated tags: 'China, Trade'")
    n.add_argument("--author", action="append", metavar="NAME", help="an author (repeatable)")
    n.add_argument("--draft", action="store_true", help="mark it as a draft")
    n.add_argument("--site", default=".", metavar="SITE_DIR", help="the site folder (default .)")
    n.add_argument("--now", metavar="DATETIME", help="the article's date (default: now)")
    n.set_defaults(func=commands.command_new)


COMMANDS = (
    ("build", "build the site into the output folder", _build_command),
    ("check", "report every problem without publishing anything", _check_command),
    ("serve", "preview the site with live reload", _serve_command),
    ("init", "create a new site in a folder", _init_command),
    ("new", "start a new article from the article template", _new_command),
)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="focue", description="A static site generator for news publishing."
    )
    parser.add_argument("--version", action="version", version=f"focue {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help, define in COMMANDS:
        define(subparsers.add_parser(name, help=help))
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
    except BrokenPipeError:  # the reader went (`| head`): what is left to print goes nowhere
        _discard_stdout()
        return EXIT_PIPE
    except Exception as exc:
        if getattr(args, "debug", False):
            raise
        print(
            f"focue: internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return EXIT_OK


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def run() -> None:
    """The `focue` program: `main`, in a process that ends with it (core/memory.py)."""
    ends_with_command()
    end_process(main())
