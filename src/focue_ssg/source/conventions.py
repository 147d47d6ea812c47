"""The news conventions of wire copy, pulled out of a body before Markdown sees it.

A one-line `Read More: <headline>` (or `Read More: [text](other.md)`) paragraph
becomes a numbered placeholder that the site fills in with a link to that story;
a closing `--With assistance from ...` line becomes the contributors list. Line
numbers stay as they were, so diagnostics point at the writer's lines.
"""

from __future__ import annotations

import re

from ..core.text import is_external, split_names
from ..model.article import READ_MORE_PLACEHOLDER, BodyRef

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Patterns end where the text does: what a line or paragraph closes with is stripped in
# code, since a lazy group before a tail of spaces tried every split (cubic time).
_READ_MORE = re.compile(r"^ {0,3}(?:\*\*|__)?read more:(?:\*\*|__)?[ \t]*(?P<rest>.*)", re.I)
_MD_LINK = re.compile(
    r"^\[(?P<text>(?:[^\[\]]|\[[^\]]*\])+)\]"
    r"\(\s*(?P<target><[^>]*>|[^\s()]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)$"
)
_CONTRIBUTORS = re.compile(
    r"^ {0,3}[*_]{0,2}\s*(?:-{1,3}|[–—])\s*with assistance (?:from|by)\s+(?P<names>.+)",
    re.I | re.S,
)


def _paragraphs(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) line indexes of each paragraph outside fenced code."""
    spans: list[tuple[int, int]] = []
    fence: str | None = None
    start: int | None = None
    for i, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            if start is not None:
                spans.append((start, i))
                start = None
            fence = opening.group(1)
            continue
        if not line.strip():
            if start is not None:
                spans.append((start, i))
                start = None
        elif start is None:
            start = i
    if start is not None and fence is None:
        spans.append((start, len(lines)))
    return spans


def _read_more_ref(line: str, line_no: int) -> BodyRef | None:
    """The reference in a one-line `Read More:` paragraph; None for other sites' links."""
    match = _READ_MORE.match(line)
    if match is None:
        return None
    rest = match.group("rest").rstrip()
    if not rest:
        return None
    column = match.start("rest") + 1
    link = _MD_LINK.match(rest)
    if link is not None:
        target = link.group("target").strip("<>")
        if is_external(target) or target.startswith("#"):
            return None
        return BodyRef("link", target, link.group("text"), line_no, column + link.start("target"))
    if "](" in rest or re.search(r"\]\s*\[", rest):
        return None
    title = rest.strip("*_ ")
    return BodyRef("title", title, title, line_no, column)


def _closed(names: str) -> str:
    r"""The names without the dots, spaces and emphasis that close the line (as a lazy
    `(.+?)[.\s]*[*_]{0,2}\s*$` would leave them, in one pass from the end)."""
    end = len(names.rstrip())
    end -= min(end - len(names[:end].rstrip("*_")), 2)
    while end and (names[end - 1] == "." or names[end - 1].isspace()):
        end -= 1
    return names[: max(end, 1)]


def extract_conventions(
    body: str, first_line: int
) -> tuple[str, tuple[BodyRef, ...], tuple[str, ...]]:
    """Replace Read More paragraphs and the contributors line; keep line numbers intact."""
    lines = body.split("\n")
    spans = _paragraphs(lines)
    refs: list[BodyRef] = []
    for start, end in spans:
        if end - start != 1:
            continue
        ref = _read_more_ref(lines[start], first_line + start)
        if ref is not None:
            lines[start] = READ_MORE_PLACEHOLDER.format(len(refs))
            refs.append(ref)
    contributors: tuple[str, ...] = ()
    if spans:
        start, end = spans[-1]
        match = _CONTRIBUTORS.match(" ".join(lines[start:end]))
        if match:
            contributors = split_names(_closed(match.group("names")))
            lines[start:end] = [""] * (end - start)
    return "\n".join(lines), tuple(refs), contributors
