"""Settings written as a TOML table (`[home]`, `[images]`): each key checked on its
own, and where it is written kept, so a diagnostic about it can name its line."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields
from typing import Any

from ..core.errors import Diagnostic, did_you_mean, error
from ..core.textpos import line_of_key

Check = Callable[[str, Any], tuple[Any, str | None]]  # (value kept, or why it cannot be)


def table_text(text: str, table: str) -> tuple[str, int]:
    """The text of a table and the line it starts on (the whole file, if none)."""
    header = re.search(rf"^[ \t]*\[[ \t]*{re.escape(table)}[ \t]*\][^\n]*$", text, re.MULTILINE)
    if header is None:
        return text, 1
    rest = text[header.end() :]
    following = re.search(r"^[ \t]*\[", rest, re.MULTILINE)
    body = rest if following is None else rest[: following.start()]
    return body, text.count("\n", 0, header.end()) + 1


def parse_table(
    table: str, kind: type, check: Check, raw: Any, text: str, path: str
) -> tuple[Any, list[Diagnostic]]:
    """A settings dataclass (with a `lines` field) from one table, and its problems."""
    if not isinstance(raw, dict):
        return kind(), [error(path, f"'{table}' must be a table: [{table}]", None)]
    body, first = table_text(text, table)
    known = [f.name for f in fields(kind) if f.name != "lines"]
    values: dict[str, Any] = {}
    problems = []
    lines = {name: line_of_key(body, name, first) for name in raw}
    for name, value in raw.items():
        line = lines[name]
        if name not in known:
            message = f"{table}: unknown key '{name}'{did_you_mean(name, known)}"
            problems.append(error(path, message, line))
            continue
        value, reason = check(name, value)
        if reason:
            problems.append(error(path, f"{table}.{name} {reason}", line))
        else:
            values[name] = value
    found = tuple((name, line) for name, line in lines.items() if line is not None)
    return kind(**values, lines=found), problems
