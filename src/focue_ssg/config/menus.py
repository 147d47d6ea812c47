"""Menus in focue.toml: `[[menu.main]]` and `[[menu.footer]]` tables, in the order
written, each a `name` and what it leads to (one of `url`, `page`, `section`, `tag`).

    [[menu.main]]
    name = "World"
    section = "World"

Each entry keeps its line, so one that leads nowhere (found once the site is known)
is an error there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..core.errors import Diagnostic, did_you_mean, error
from ..core.textpos import Lines

MENUS = ("main", "footer")
TARGETS = ("url", "page", "section", "tag")
URL, PAGE = TARGETS[:2]
_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*menu\.([\w-]+)[ \t]*\]\]", re.MULTILINE)


@dataclass(frozen=True)
class MenuEntry:
    menu: str  # main or footer
    name: str  # what the link says
    target: str  # what it leads to: url, page, section or tag
    value: str  # the URL, the page's slug, the section's or the tag's name
    line: int | None


def _entry_lines(text: str) -> dict[str, list[int]]:
    """The line of each `[[menu.x]]` header, per menu, in order."""
    found: dict[str, list[int]] = {}
    lines = Lines(text)
    for match in _HEADER.finditer(text):
        found.setdefault(match.group(1), []).append(lines.at(match.start())[0])
    return found


def _entry(menu: str, raw: Any, line: int | None, path: str) -> MenuEntry | Diagnostic:
    if not isinstance(raw, dict):
        return error(path, f"menu.{menu}: an entry must be a table with 'name' and a target", line)
    unknown = [key for key in raw if key not in ("name", *TARGETS)]
    if unknown:
        hint = did_you_mean(unknown[0], ("name", *TARGETS))
        return error(path, f"menu.{menu}: unknown key '{unknown[0]}'{hint}", line)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        return error(path, f"menu.{menu}: an entry needs a 'name', the text of its link", line)
    targets = [key for key in TARGETS if key in raw]
    if len(targets) != 1 or not isinstance(raw[targets[0]], str) or not raw[targets[0]].strip():
        choices = ", ".join(f"'{t}'" for t in TARGETS)
        return error(path, f"menu.{menu} entry '{name}' needs exactly one of {choices}", line)
    return MenuEntry(menu, name.strip(), targets[0], raw[targets[0]].strip(), line)


def parse_menus(raw: Any, text: str, path: str) -> tuple[tuple[MenuEntry, ...], list[Diagnostic]]:
    """The entries of every menu, in the order written, and what is wrong with them."""
    if not isinstance(raw, dict):
        return (), [error(path, "'menu' must be tables such as [[menu.main]]")]
    lines = _entry_lines(text)
    entries: list[MenuEntry] = []
    problems: list[Diagnostic] = []
    for menu, items in raw.items():
        if menu not in MENUS:
            hint = did_you_mean(menu, MENUS)
            first = lines.get(menu, [None])[0]
            message = f"'menu.{menu}' is not a menu{hint}; choose main or footer"
            problems.append(error(path, message, first))
            continue
        menu_lines = lines.get(menu, [])
        for i, item in enumerate(items if isinstance(items, list) else [items]):
            line = menu_lines[i] if i < len(menu_lines) else None
            found = _entry(menu, item, line, path)
            if isinstance(found, Diagnostic):
                problems.append(found)
            else:
                entries.append(found)
    return tuple(entries), problems
