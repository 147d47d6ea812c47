"""Turn what parsers report (offsets, messages) into 1-based line and column numbers."""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


class Lines:
    """Line and column of many offsets in one text: counting lines from the start for
    each would take quadratic time in a body of thousands of links or stray tags."""

    def __init__(self, text: str, first_line: int = 1):
        self.starts = [0, *(match.end() for match in re.finditer("\n", text))]
        self.first_line = first_line

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        return self.first_line + index, offset - self.starts[index] + 1


def line_of_key(text: str, key: str, first_line: int = 1) -> int | None:
    """The line where a top-level TOML key is assigned; tomllib does not say."""
    pattern = re.compile(rf"^[ \t]*(?:{re.escape(key)}|\"{re.escape(key)}\")[ \t]*=", re.MULTILINE)
    match = pattern.search(text)
    return None if match is None else text.count("\n", 0, match.start()) + first_line


_LONG_NUMBER = re.compile(r"(?<!\d)\d{4301}")  # from a run's start only: linear time
LONG_NUMBER = "a number of more than 4,300 digits, more than Python reads"


def long_number(text: str) -> tuple[int, int]:
    """Where a number too long for int() starts (a parser's ValueError does not say);
    line 1 if none is found."""
    match = _LONG_NUMBER.search(text)
    return line_col(text, match.start()) if match else (1, 1)


def toml_error_position(exc: Exception) -> tuple[int | None, int | None]:
    """tomllib only puts the position in its message: '... (at line 3, column 7)'."""
    match = re.search(r"at line (\d+), column (\d+)", str(exc))
    if match is None:
        return None, None
    return int(match.group(1)), int(match.group(2))


def toml_problem(exc: ValueError, text: str) -> tuple[str, int | None, int | None]:
    """What tomllib refused in `text`, and where. A TOMLDecodeError puts the position in
    its message; a plain ValueError is int()'s limit on a number's digits."""
    if not isinstance(exc, tomllib.TOMLDecodeError):
        return (LONG_NUMBER, *long_number(text))
    return (re.sub(r"\s*\(at .*\)$", "", str(exc)), *toml_error_position(exc))
