"""Markdown body to HTML, with the news conventions pulled out as data.

Parsing depends on the file alone (so it can be cached by content hash): a
`Read More:` paragraph becomes a numbered placeholder and a link to another
`.md` file a numbered token; the site model resolves both later. A closing
`--With assistance from ...` line becomes the contributors list.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from typing import Literal

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .slugs import slugify

RefKind = Literal["link", "title"]

READ_MORE_PLACEHOLDER = "<!--focue:read-more:{}-->"
READ_MORE_PATTERN = re.compile(r"<!--focue:read-more:(\d+)-->")
LINK_TOKEN = "focue:link:{}"
LINK_TOKEN_PATTERN = re.compile(r'href="focue:link:(\d+)"')
SUMMARY_LENGTH = 300

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_READ_MORE = re.compile(r"^ {0,3}(?:\*\*|__)?read more:(?:\*\*|__)?[ \t]*(?P<rest>.*?)\s*$", re.I)
_MD_LINK = re.compile(
    r"^\[(?P<text>(?:[^\[\]]|\[[^\]]*\])+)\]"
    r"\(\s*(?P<target><[^>]*>|[^\s()]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)$"
)
_CONTRIBUTORS = re.compile(
    r"^ {0,3}[*_]{0,2}\s*(?:-{1,3}|[–—])\s*with assistance (?:from|by)\s+(?P<names>.+?)"
    r"[.\s]*[*_]{0,2}\s*$",
    re.I | re.S,
)
_NAME_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta source track wbr".split()
)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


@dataclass(frozen=True)
class BodyRef:
    """A cross-reference written in a body: a Read More line or a link to a `.md` file."""

    kind: RefKind
    target: str
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class Body:
    html: str
    read_more: tuple[BodyRef, ...]
    links: tuple[BodyRef, ...]
    contributors: tuple[str, ...]
    summary: str


def is_external(target: str) -> bool:
    return bool(_SCHEME.match(target))


def split_names(text: str) -> tuple[str, ...]:
    """'A, B and C' -> ('A', 'B', 'C')."""
    return tuple(n.strip() for n in _NAME_SEPARATOR.split(text.strip()) if n.strip())


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
    if match is None or not match.group("rest"):
        return None
    rest = match.group("rest")
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
            contributors = split_names(match.group("names"))
            lines[start:end] = [""] * (end - start)
    return "\n".join(lines), tuple(refs), contributors


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _demote_headings(root: etree.Element) -> None:
    """A body that uses `#` headings moves down a level, keeping its hierarchy."""
    if root.find(".//h1") is None:
        return
    for element in root.iter():
        if element.tag in _HEADINGS[:-1]:
            element.tag = _HEADINGS[_HEADINGS.index(element.tag) + 1]


class _BodyTreeprocessor(Treeprocessor):
    """Demote h1 (the headline is the page's only h1) and tokenise links to `.md` files."""

    def run(self, root: etree.Element) -> None:
        source = self.md.focue_source  # type: ignore[attr-defined]
        first_line = self.md.focue_first_line  # type: ignore[attr-defined]
        found: list[BodyRef] = []
        cursor = 0
        _demote_headings(root)
        for element in root.iter():
            href = element.get("href") if element.tag == "a" else None
            if not href or is_external(href) or href.startswith("#"):
                continue
            if not href.split("#", 1)[0].endswith(".md"):
                continue
            offset = source.find(href, cursor)
            if offset >= 0:
                cursor = offset + len(href)
            line = source.count("\n", 0, max(offset, 0)) + first_line
            column = max(offset, 0) - (source.rfind("\n", 0, max(offset, 0)) + 1) + 1
            text = "".join(element.itertext())
            found.append(BodyRef("link", href, text, line, column))
            element.set("href", LINK_TOKEN.format(len(found) - 1))
        self.md.focue_links = tuple(found)  # type: ignore[attr-defined]


class _NewsExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_BodyTreeprocessor(md), "focue_body", 4)


def _toc_slugify(value: str, separator: str) -> str:
    return slugify(value) or "section"


def new_markdown() -> markdown.Markdown:
    """The Markdown settings for news copy; part of the cache key of parsed articles."""
    return markdown.Markdown(
        extensions=["extra", "sane_lists", "smarty", "toc", _NewsExtension()],
        extension_configs={
            "toc": {
                "permalink": True,
                "permalink_title": "Link to this section",
                "slugify": _toc_slugify,
            }
        },
        output_format="html",
    )


_converter: markdown.Markdown | None = None


def _markdown() -> markdown.Markdown:
    """One converter per process: building one costs more than converting an article."""
    global _converter
    if _converter is None:
        _converter = new_markdown()
    return _converter


class _FirstParagraph(HTMLParser):
    """The text of the first top-level paragraph that has any."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.inside = False
        self.parts: list[str] = []
        self.done = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "p" and self.depth == 0 and not self.done:
            self.inside = True
            self.parts = []
        if tag not in _VOID_TAGS:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        """`<br/>` opens nothing."""

    def handle_endtag(self, tag: str) -> None:
        self.depth = max(0, self.depth - 1)
        if tag == "p" and self.inside and self.depth == 0:
            self.inside = False
            self.done = bool(" ".join(self.parts).strip())

    def handle_data(self, data: str) -> None:
        if self.inside and not self.done:
            self.parts.append(data)


def first_paragraph_text(html: str) -> str:
    parser = _FirstParagraph()
    parser.feed(html)
    parser.close()
    return shorten(" ".join(parser.parts))


def shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """Collapse whitespace and cut at a word boundary."""
    text = " ".join(unescape(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…"


def render_body(body: str, first_line: int) -> Body:
    """Markdown to HTML with placeholders for what only the whole site can resolve."""
    source, read_more, contributors = extract_conventions(body, first_line)
    md = _markdown()
    md.reset()
    md.focue_source = source  # type: ignore[attr-defined]
    md.focue_first_line = first_line  # type: ignore[attr-defined]
    md.focue_links = ()  # type: ignore[attr-defined]
    html = md.convert(source)
    links = md.focue_links  # type: ignore[attr-defined]
    return Body(html, read_more, links, contributors, first_paragraph_text(html))
