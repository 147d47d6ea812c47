"""The front page's layout in focue.toml: which section blocks it shows, and how many
top stories and stories per block.

    [home]
    sections = ["World", "Business"]
    section_stories = 4

Which stories fill those places (pinned, featured, newest) is worked out with the
site, in `model.front`; a section named here that has no story is found there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from ..core.errors import Diagnostic, did_you_mean, error
from ..core.textpos import line_of_key


@dataclass(frozen=True)
class HomeSettings:
    sections: tuple[str, ...] = ()  # a block of each, in this order
    section_stories: int = 4  # stories in each section block
    top_stories: int = 4  # top stories shown under the lead
    top_story_days: int = 2  # how recent a featured story must be to be a top story; 0: any age
    # where each key is written in focue.toml, for diagnostics about what it names
    lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, key: str) -> int | None:
        return dict(self.lines).get(key)


_MINIMUM = {"section_stories": 1, "top_stories": 0, "top_story_days": 0}
HELP = {
    "sections": "a block of the newest stories of each of these sections, in this order",
    "section_stories": "stories in each section block",
    "top_stories": "featured stories shown under the lead (0: none)",
    "top_story_days": "how many days a featured story stays a top story (0: until unfeatured)",
}


def _value(name: str, value: Any) -> tuple[Any, str | None]:
    """The setting as the settings keep it, or why it cannot be one."""
    if name == "sections":
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            return tuple(v.strip() for v in value), None
        return None, "must be a list of section names"
    if type(value) is not int:
        return None, "must be an integer"
    least = _MINIMUM[name]
    return (value, None) if value >= least else (None, f"must be {least} or more")


def _table(text: str) -> tuple[str, int]:
    """The text of the [home] table and the line it starts on (the whole file, if none)."""
    header = re.search(r"^[ \t]*\[[ \t]*home[ \t]*\][^\n]*$", text, re.MULTILINE)
    if header is None:
        return text, 1
    rest = text[header.end() :]
    following = re.search(r"^[ \t]*\[", rest, re.MULTILINE)
    body = rest if following is None else rest[: following.start()]
    return body, text.count("\n", 0, header.end()) + 1


def parse_home(raw: Any, text: str, path: str) -> tuple[HomeSettings, list[Diagnostic]]:
    """The [home] table's settings, and what is wrong with them."""
    if not isinstance(raw, dict):
        return HomeSettings(), [error(path, "'home' must be a table: [home]", None)]
    body, first = _table(text)
    known = [f.name for f in fields(HomeSettings) if f.name != "lines"]
    values: dict[str, Any] = {}
    problems = []
    lines = {name: line_of_key(body, name, first) for name in raw}
    for name, value in raw.items():
        line = lines[name]
        if name not in known:
            message = f"home: unknown key '{name}'{did_you_mean(name, known)}"
            problems.append(error(path, message, line))
            continue
        value, reason = _value(name, value)
        if reason:
            problems.append(error(path, f"home.{name} {reason}", line))
        else:
            values[name] = value
    found = tuple((name, line) for name, line in lines.items() if line is not None)
    return HomeSettings(**values, lines=found), problems
