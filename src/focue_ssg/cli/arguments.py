"""What the command line is given: the site folder, "now", job counts, and the
mistakes in them that are usage errors (exit code 2)."""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path

from ..config.settings import setting_problem
from ..core.files import is_dir
from ..core.layout import CONTENT_DIR
from ..output.cluster import ClusterAddress, parse_executor


class UsageError(Exception):
    """A mistake in how the command was called; exit code 2."""


# a clock this far from either end of the calendar leaves room for every window a
# build reaches back or forward by (a century of top stories, time zones, sitemaps)
YEARS = (1000, 9000)


def resolve_now(value: str | None) -> datetime:
    """The build's one clock: --now, else SOURCE_DATE_EPOCH, else the real time."""
    if value:
        try:
            now = datetime.fromisoformat(value)
        except ValueError:
            raise UsageError(f"--now: '{value}' is not an ISO 8601 date and time") from None
        return _in_range(now if now.tzinfo else now.replace(tzinfo=UTC), f"--now: '{value}'")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            now = datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH='{epoch}' is not a number of seconds") from None
        return _in_range(now, f"SOURCE_DATE_EPOCH='{epoch}'")
    return datetime.now(UTC)


def _in_range(now: datetime, given: str) -> datetime:
    first, last = YEARS
    try:
        year = now.astimezone(UTC).year
    except OverflowError:  # past the calendar once moved to UTC
        year = 0
    if not first <= year <= last:
        raise UsageError(f"{given} is outside the years {first} to {last}")
    return now


def site_folder(value: str) -> Path:
    site = Path(value)
    if not is_dir(site):
        raise UsageError(f"site folder '{value}' does not exist")
    if not is_dir(site / CONTENT_DIR):
        raise UsageError(f"'{value}' has no {CONTENT_DIR}/ folder; is it a focue site?")
    return site


def report_file(value: str) -> str:
    """--report: refused before the build, not after it, when it cannot be written."""
    path = Path(value)
    if not is_dir(path.parent):
        raise argparse.ArgumentTypeError(f"'{value}': no folder {path.parent}")
    if len(os.fsencode(path.name)) > 250 or is_dir(path):
        raise argparse.ArgumentTypeError(f"'{value}' cannot be a file name")
    return value


def _integer(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number") from None


def port_number(value: str) -> int:
    port = _integer(value)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0 to 65535; 0 picks a free one)")
    return port


def jobs_count(value: str) -> int:
    jobs = _integer(value)
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return jobs


def base_url(value: str) -> str:
    """--base-url: the address a deploy preview is served from."""
    problem = setting_problem("base_url", value)
    if problem:
        raise argparse.ArgumentTypeError(f"'{value}' {problem}")
    return value


def executor(value: str) -> ClusterAddress | None:
    """--executor: local, or dask://HOST:PORT."""
    try:
        return parse_executor(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{value}' {exc}") from None
