"""Read front-matter values as writers typed them, reporting each problem at its line.

A reader collects every problem instead of stopping at the first, so one build
lists everything wrong with a file.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import Diagnostic, error, warning
from ..model.fields import ALIASES
from .front_matter import FrontMatter, Pos


class FieldReader:
    """Reads one file's front matter, collecting every problem instead of stopping."""

    def __init__(self, path: str, front: FrontMatter):
        self.path = path
        self.values = front.values
        self.positions = front.positions
        self.problems: list[Diagnostic] = []

    def name_of(self, canonical: str) -> str | None:
        """The first name present for a field, aliases included."""
        for name in ALIASES[canonical]:
            if self.values.get(name) is not None:
                return name
        return None

    def blank(self, canonical: str) -> str | None:
        """The name of the field, if the one that would be read is written with no value
        (`title:`, `date: "  "`)."""
        written = (n for n in ALIASES[canonical] if n in self.values)
        name = self.name_of(canonical) or next(written, None)
        return name if name is not None and not str(self.values[name] or "").strip() else None

    def pos(self, name: str) -> Pos | None:
        return self.positions.get(name)

    def report(
        self, name: str, message: str, *, fatal: bool = True, item: int | None = None
    ) -> None:
        pos = self.pos(name)
        if pos is not None and item is not None and item < len(pos.items):
            pos = pos.items[item]
        line, column = (pos.line, pos.column) if pos else (None, None)
        make = error if fatal else warning
        self.problems.append(make(self.path, message, line, column))

    def text(self, name: str, value: Any, pos: Pos | None = None) -> str | None:
        """A scalar as the writer typed it: `title: 2024` is the text '2024'."""
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, (list, dict)):
            return None
        raw = pos.raw if pos is not None else None
        if raw is not None:
            return raw.strip()
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def string(self, canonical: str) -> str | None:
        name = self.name_of(canonical)
        if name is None:
            return None
        value = self.text(name, self.values[name], self.pos(name))
        if value is None:
            self.report(name, f"'{name}' must be text, not a list or mapping")
        return value or None

    def strings(self, canonical: str, *, split_text: bool = False) -> tuple[str, ...]:
        """A list of scalars; one string is one item (or split, for `tags: a, b`)."""
        name = self.name_of(canonical)
        if name is None:
            return ()
        value = self.values[name]
        pos = self.pos(name)
        if not isinstance(value, list):
            text = self.text(name, value, pos)
            if text is None:
                self.report(name, f"'{name}' must be a list of text items")
                return ()
            if split_text and "," in text:
                items = tuple(t.strip() for t in text.split(",") if t.strip())
                shown = ", ".join(items)
                self.report(
                    name,
                    f"'{name}' should be a list; read '{text}' as [{shown}]",
                    fatal=False,
                )
                return items
            return (text,) if text else ()
        items: list[str] = []
        for i, item in enumerate(value):
            item_pos = pos.items[i] if pos and i < len(pos.items) else None
            text = self.text(name, item, item_pos)
            if text is None:
                kind = "a mapping" if isinstance(item, dict) else "a list"
                self.report(name, f"'{name}' item {i + 1} must be text, not {kind}", item=i)
            elif text:
                items.append(text)
        return tuple(items)


def dedupe(items: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    kept = []
    for item in items:
        key = " ".join(item.casefold().split())
        if key not in seen:
            seen.add(key)
            kept.append(" ".join(item.split()))
    return tuple(kept)
