"""Where a problem is (file, line, column) and what the writer should do about it.

The core never raises for bad content: every step returns the diagnostics it
found, so one build reports every problem at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from difflib import get_close_matches
from typing import Literal

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located in a file relative to the site folder."""

    path: str
    line: int | None
    column: int | None
    severity: Severity
    message: str

    def format(self) -> str:
        """`path:line:col: severity: message`, the form editors and CI logs understand."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_dict(self) -> dict[str, str | int | None]:
        """Plain data for tools (`focue check --format json`, the build report)."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }


def error(
    path: str, message: str, line: int | None = None, column: int | None = None
) -> Diagnostic:
    return Diagnostic(path, line, column, "error", message)


def warning(
    path: str, message: str, line: int | None = None, column: int | None = None
) -> Diagnostic:
    return Diagnostic(path, line, column, "warning", message)


def note(path: str, message: str) -> Diagnostic:
    """Information that needs no action (a cache rebuilt); never fails a build."""
    return Diagnostic(path, None, None, "note", message)


def strict(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Under --strict every warning counts as an error."""
    return tuple(
        replace(d, severity="error") if d.severity == "warning" else d for d in diagnostics
    )


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def dedupe(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """A broken template fails every page that uses it; say so once."""
    seen: dict[tuple, Diagnostic] = {}
    for d in diagnostics:
        key = (d.path, d.line, d.message.split(" (while rendering")[0])
        seen.setdefault(key, d)
    return tuple(seen.values())


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix when a close match exists, else ''."""
    options = sorted(choices)
    matches = get_close_matches(word, options, n=1, cutoff=0.6)
    if not matches:  # 'biography' for 'bio', 'tag' for 'tags'
        matches = [c for c in options if len(c) > 2 and (word.startswith(c) or c.startswith(word))]
    return f" (did you mean '{matches[0]}'?)" if matches else ""
