"""The front page's layout in focue.toml: which section blocks it shows, and how many
top stories and stories per block.

    [home]
    sections = ["World", "Business"]
    section_stories = 4

Which stories fill those places (pinned, featured, newest) is worked out with the
site, in `model.front`; a section named here that has no story is found there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.errors import Diagnostic
from .tables import parse_table


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
# a century: a window reaching back past year 1 is no date at all
_MAXIMUM = {"top_story_days": 36_500}
HELP = {
    "sections": "a block of the newest stories of each of these sections, in this order",
    "section_stories": "stories in each section block",
    "top_stories": "featured stories shown under the lead (0: none)",
    "top_story_days": "how many days a featured story stays a top story, up to 36500 (0: until "
    "unfeatured)",
}


def _value(name: str, value: Any) -> tuple[Any, str | None]:
    """The setting as the settings keep it, or why it cannot be one."""
    if name == "sections":
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            return tuple(v.strip() for v in value), None
        return None, "must be a list of section names"
    if type(value) is not int:
        return None, "must be an integer"
    least, most = _MINIMUM[name], _MAXIMUM.get(name)
    if most is not None and not least <= value <= most:
        return None, f"must be from {least} to {most}"
    return (value, None) if value >= least else (None, f"must be {least} or more")


def parse_home(raw: Any, text: str, path: str) -> tuple[HomeSettings, list[Diagnostic]]:
    """The [home] table's settings, and what is wrong with them."""
    return parse_table("home", HomeSettings, _value, raw, text, path)
