"""What the command line prints: diagnostics, the summary and failure lines, the
progress line, and the JSON build report."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from .. import __version__
from ..core.errors import Diagnostic
from ..pipeline import BuildOptions, BuildResult

PROGRESS_AFTER_SECONDS = 1.0


def print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    for d in sorted(diagnostics, key=lambda d: (d.path, d.line or 0, d.column or 0)):
        print(d.format(), file=sys.stderr)


def plural(n: int, word: str) -> str:
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
        f"{verb} {plural(counts['articles'], 'article')}, "
        f"{plural(counts['tag pages'], 'tag page')} and "
        f"{plural(counts['listing pages'], 'listing page')} in {seconds:.2f} s into {output}/"
    )
    if result.report is not None:
        r = result.report
        line += f" ({r.written} written, {r.unchanged} unchanged, {r.removed} removed)"
    if result.images_encoded:
        line += f"; {plural(result.images_encoded, 'image variant')} encoded"
    due = _when(result.next_rebuild_at)
    if due:
        line += f"; next rebuild due {due}"
    return line + sources_line(result.sources)


def sources_line(sources: dict[str, int]) -> str:
    """'; 12 files: 9 published, 2 drafts, 1 with errors': every file, once."""
    if not sources:
        return ""
    named = {"draft": "draft", "error": "with errors"}
    parts = [
        f"{n} {'drafts' if name == 'draft' and n != 1 else named.get(name, name)}"
        for name, n in sources.items()
        if name != "found" and (n or name == "published")
    ]
    return f"; {plural(sources['found'], 'file')} in content/: {', '.join(parts)}"


def failure_line(
    diagnostics: Sequence[Diagnostic],
    output: Path,
    sources: dict[str, int] | None = None,
    partial: bool = False,
) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = sum(d.severity == "warning" for d in diagnostics)
    state = "is partly updated (the next build completes it)" if partial else "was left unchanged"
    return (
        f"Build failed: {plural(errors, 'error')}, {plural(warnings, 'warning')}; {output}/ {state}"
    ) + sources_line(sources or {})


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


def write_report(path: str, options: BuildOptions, result: BuildResult, seconds: float) -> None:
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
        "sources": result.sources,
        "timings": {**result.timings, "total": round(seconds, 4)},
        "errors": sum(d.is_error for d in result.diagnostics),
        "warnings": sum(d.severity == "warning" for d in result.diagnostics),
        "diagnostics": [d.as_dict() for d in result.diagnostics],
        "pages_made": result.pages_made,
        "images_encoded": result.images_encoded,
        "files": {
            "written": r.written if r else 0,
            "unchanged": r.unchanged if r else 0,
            "removed": r.removed if r else 0,
            "written_paths": list(r.written_paths) if r else [],
            "removed_paths": list(r.removed_paths) if r else [],
        },
        "next_rebuild_at": _when(result.next_rebuild_at),
    }
    _write_text(Path(path), json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _write_text(target: Path, text: str) -> None:
    """A file replaced whole, so no reader sees half a report; but a device, a pipe or a
    link is written into (`--report /dev/stdout`): replacing one would put a file where
    it was, and as root even /dev/null's place is writable."""
    if target.is_symlink() or (target.exists() and not target.is_file()):
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
        return
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, target)


def terminal_progress(quiet: bool) -> TerminalProgress:
    enabled = sys.stderr.isatty() and not quiet and not os.environ.get("CI")
    return TerminalProgress(sys.stderr, enabled)
