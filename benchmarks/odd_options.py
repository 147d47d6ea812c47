#!/usr/bin/env python3
"""Run every option of focue's commands with odd values, and flag the runs that crash
or hang.

    python benchmarks/odd_options.py [--command build|check|new|init] [--values N] [--list]

Each case runs one command (`build`, `check`, `new` or `init`) in this process, in a
fresh copy of a small site, with one option (or argument) given one odd value: empty
and 300-character strings, numbers past any range, NaN, dates past the calendar,
URLs with an unclosed bracket or a port past 65535, paths that climb out, a pipe,
a link to nothing, a link to a folder, the site's own folders. The options are read
from the command line's parser, so a new option is probed as soon as it exists.
Flags:

- CRASH: exit code 3, "internal error", a traceback, or an exception out of `main`;
- HANG: still running after 60 s (stopped by a signal);
- SLOW: more than 10 s.

A cluster that is not there (`--executor dask://127.0.0.1:1`, a `--scheduler-file`
that never appears) is waited for 20 s, by design; the probe makes that 2 s.

`focue serve` runs until stopped, so it is not here; its `--port` and `--host` are
tested in tests/test_serve.py.

A path an option writes to (`-o`, `--report`, `--cache-dir`, a site or folder) is
never given an absolute value, and each case runs four folders deep in a temporary
folder, so `../..` stays inside it: as root, `--report /dev/null` once put a file
where /dev/null was, and a probe must not do that to the machine it runs on.
Exit code 1 if any case crashed or hung.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

NOW = "2024-01-01T00:00:00+00:00"
REPO = Path(__file__).resolve().parents[1]
COMMANDS = {
    "build": ["build", "-q", "-j", "1", "--now", NOW],
    "check": ["check", "-j", "1", "--now", NOW],
    "new": ["new", "A headline", "--now", NOW],
    "init": ["init", "fresh", "--now", NOW],
}
MADE = ("FIFO", "DANGLING", "LINKDIR")  # made in the case's folder before it runs
VALUES = ["", " ", "0", "-1", "1.5", "1e400", "nan", "inf", "+1", "0x10", "1_000", "٣", "１２"]
VALUES += ["3" * 400, "99999999999999999999999", "x" * 300, "é" * 200, "a" * 5000, "a/" * 200]
VALUES += ["-", "--", "-x", ".", "..", "../..", "~", "*", "?", "\\", "a\nb", "\u202e", "%00"]
VALUES += ["content", "output", "static", "focue.toml", ".focue-cache", *MADE]
VALUES += ["2026-02-30", "2026-01-01T24:00", "0001-01-01", "9999-12-31T23:59:59+14:00"]
VALUES += ["2026-01-01T00:00:00+25:00", "http://", "http://[::1", "https://x:99999/"]
VALUES += ["https://exa mple.com/", "javascript:alert(1)", "//evil.example/x", "C:\\x"]
VALUES += ["dask://", "dask://:0", "dask://127.0.0.1:1", "tcp://x", "s3://bucket"]
VALUES += ["memory://cache", "file:///nowhere/at/all"]
WRITES = {"output", "report", "cache_dir", "site_dir", "directory", "site", "scheduler_file"}
HANG_SECONDS, SLOW_SECONDS = 60, 10
CLUSTER_SECONDS = 2  # instead of the 20 s a build waits for a cluster
Case = tuple[str, str, str]  # command, option, value


def _options(command: str) -> list[str]:
    """The options and arguments of a command that take a value, as the parser has them."""
    from focue_ssg.cli.main import make_parser

    parser = make_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found = []
    for action in sub.choices[command]._actions:
        if action.nargs == 0 or isinstance(action, argparse._HelpAction):
            continue
        found.append(action.option_strings[-1] if action.option_strings else action.dest)
    return found


def cases(values: list[str], only: str | None = None) -> Iterator[Case]:
    for command in COMMANDS if only is None else [only]:
        for option in _options(command):
            for value in values:
                yield command, option, value


def _dest(option: str) -> str:
    return option.lstrip("-").replace("-", "_")


def argv_for(command: str, option: str, value: str) -> list[str] | None:
    """The command line of a case; None where the value would write outside the case."""
    if _dest(option) in WRITES and value.startswith(("/", "~", "\\", "C:")):
        return None
    if option == "--report" and value == "FIFO":  # written into: it waits for a reader,
        return None  # as a shell's `> pipe` does
    base = list(COMMANDS[command])
    if not option.startswith("-"):  # the positional argument
        positional = {"new": "A headline", "init": "fresh"}.get(command)
        return [value if a == positional else a for a in base] + ([] if positional else [value])
    if option in base:  # replace the base's own value
        at = base.index(option)
        return [*base[: at + 1], value, *base[at + 2 :]]
    return [*base, option, value]


def _site(folder: Path) -> Path:
    site = folder / "a" / "b" / "c" / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copytree(REPO / "data", site / "data")
    shutil.copytree(REPO / "static", site / "static")
    shutil.copy(REPO / "focue.toml", site / "focue.toml")
    os.mkfifo(site / "FIFO")
    (site / "DANGLING").symlink_to("nowhere/at/all")
    (site / "LINKDIR").symlink_to("content")
    return site


class _Hang(BaseException):  # not an Exception: `main` turns those into internal errors
    pass


def _stop(signum: int, frame: object) -> None:
    raise _Hang


def _exit_code(argv: list[str], err: io.StringIO) -> int:
    from focue_ssg.cli.main import main

    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            return main(argv)
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else 1


def run(argv: list[str]) -> tuple[str | None, float, str]:
    """The flag (None for a clean run), the seconds taken and what was printed to stderr."""
    from focue_ssg.output import cluster

    waited, cluster.CONNECT_SECONDS = cluster.CONNECT_SECONDS, CLUSTER_SECONDS
    err = io.StringIO()
    previous = signal.signal(signal.SIGALRM, _stop)
    signal.alarm(HANG_SECONDS)
    started = time.perf_counter()
    try:
        code = _exit_code(argv, err)
    except _Hang:
        return "HANG", time.perf_counter() - started, err.getvalue()
    except Exception as exc:
        return "CRASH", time.perf_counter() - started, f"{type(exc).__name__}: {exc}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        cluster.CONNECT_SECONDS = waited
    seconds = time.perf_counter() - started
    return verdict(code, seconds, err.getvalue()), seconds, err.getvalue()


def verdict(code: int, seconds: float, err: str) -> str | None:
    if code == 3 or "internal error" in err or "Traceback" in err:
        return "CRASH"
    return "SLOW" if seconds > SLOW_SECONDS else None


def probe(case: Case) -> tuple[str | None, float, str]:
    argv = argv_for(*case)
    if argv is None:
        return None, 0.0, ""
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(_site(Path(tmp)))
        try:
            return run(argv)
        finally:
            os.chdir(here)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--command", choices=list(COMMANDS), help="probe this command only")
    parser.add_argument("--values", type=int, help="the first N values only")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    args = parser.parse_args(argv)
    found = list(cases(VALUES[: args.values], args.command))
    failed = 0
    for case in found:
        if args.list:
            print(" ".join(map(repr, case)))
            continue
        flag, seconds, err = probe(case)
        if flag is not None:
            failed += flag in ("CRASH", "HANG")
            shown = repr(case) if len(repr(case)) < 200 else f"{repr(case)[:200]}...)"
            print(f"{flag}: {shown} ({seconds:.1f} s)\n{err[-600:]}", flush=True)
    print(f"{len(found)} cases, {failed} crashed or hung")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
