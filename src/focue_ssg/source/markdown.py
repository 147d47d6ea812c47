"""Markdown body to HTML with Python-Markdown, for news copy.

Parsing depends on the file alone (so it can be cached by content hash): a link
to another `.md` file becomes a numbered token that the site model resolves
later, headings get anchors, and the first paragraph is kept as the summary.
Two fast paths skip Python-Markdown's stages for text that provably needs none
of them; they step aside when an extension adds what they do not know.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AtomicString

from ..core.text import is_external, shorten, slugify, strip_tags
from ..core.textpos import Lines
from ..model.article import IMAGE_TOKEN, LINK_TOKEN, BodyRef
from .conventions import extract_conventions
from .embeds import EmbedTreeprocessor
from .rawhtml import STASHED, RawHtmlPolicy

# ids the default theme gives page elements; heading anchors must not reuse them
TEMPLATE_IDS = (
    "site-main", "article-headline", "read-more-title", "backlinks-title", "page-title",
)  # fmt: skip


MAX_NESTING = 48  # lists and quotes nested deeper than this are refused
TAB = 4  # Python-Markdown's indent per list level
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:\s|$)")


class BodyRefused(ValueError):
    """A body the Markdown parser cannot be trusted with: an error at `line`."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def _check_nesting(source: str, first_line: int) -> None:
    """Refuse lists and quotes nested deeper than MAX_NESTING before Python-Markdown
    sees them: it recurses once per level (past Python's limit at a few hundred) and
    slows down with the square of the depth on the way. Indented code and fenced code
    blocks are text, however deep."""
    fenced = False
    for number, line in enumerate(source.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
        bare = line.lstrip(" \t>")
        lead = line[: len(line) - len(bare)]
        if fenced or len(lead) < MAX_NESTING:
            continue
        quotes = lead.count(">")
        if not quotes and not _LIST_ITEM.match(bare):
            continue  # indented code
        indent = lead[lead.rfind(">") + 1 :] if quotes else lead
        depth = quotes + len(indent.expandtabs(TAB)) // TAB
        if depth > MAX_NESTING:
            raise BodyRefused(
                f"lists or quotes nested {depth} deep (at most {MAX_NESTING}): flatten them",
                first_line + number,
            )


@dataclass(frozen=True)
class Body:
    html: str
    read_more: tuple[BodyRef, ...]
    links: tuple[BodyRef, ...]
    contributors: tuple[str, ...]
    summary: str
    urls: tuple[BodyRef, ...] = ()  # other links within the site
    images: tuple[BodyRef, ...] = ()  # local images: the page shows each in its sizes
    problems: tuple[tuple[int, int, str], ...] = ()  # line, column, message: raw HTML shown as text


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _demote_headings(root: etree.Element) -> None:
    """A body that uses `#` headings moves down a level, keeping its hierarchy."""
    if root.find(".//h1") is None:
        return
    for element in root.iter():
        if element.tag in _HEADINGS[:-1]:
            element.tag = _HEADINGS[_HEADINGS.index(element.tag) + 1]


def _link_position(source: str, href: str, cursor: int, lines: Lines) -> tuple[int, int, int]:
    """Line and column of `href` in the source, searching on from `cursor`."""
    offset = source.find(href, cursor)
    if offset < 0:
        return cursor, lines.first_line, 1
    return offset + len(href), *lines.at(offset)


def _figures(root: etree.Element) -> None:
    """A paragraph holding only an image with a title is a figure, the title its caption."""
    for element in root.iter("p"):
        if len(element) != 1 or (element.text or "").strip():
            continue
        image = element[0]
        if image.tag != "img" or not image.get("title") or (image.tail or "").strip():
            continue
        element.tag, element.text, image.tail = "figure", None, None
        caption = etree.SubElement(element, "figcaption")
        caption.text = image.attrib.pop("title")


class _LinkTreeprocessor(Treeprocessor):
    """Demote headings when the body uses h1, tokenise links to `.md` files and local
    images (the page shows each image in its sizes), note every other link within the
    site (for `focue check`), and mark the links out of paid content as sponsored."""

    def run(self, root: etree.Element) -> None:
        source = self.md.focue_source  # type: ignore[attr-defined]
        first_line = self.md.focue_first_line  # type: ignore[attr-defined]
        sponsored = getattr(self.md, "focue_sponsored", False)
        found: dict[str, list[BodyRef]] = {"link": [], "src": [], "href": []}
        cursor, lines = 0, Lines(source, first_line)
        _demote_headings(root)
        _figures(root)
        for element in root.iter():
            if element.tag not in ("a", "img"):
                continue
            attribute = "href" if element.tag == "a" else "src"
            target = element.get(attribute)
            if target and attribute == "href" and sponsored and is_external(target):
                element.set("rel", "sponsored")
            if not target or is_external(target) or target.startswith(("#", "data:")):
                continue
            cursor, line, column = _link_position(source, target, cursor, lines)
            text = "".join(element.itertext()) or element.get("alt", "")
            markdown_file = target.split("#", 1)[0].endswith(".md")
            kind = "link" if attribute == "href" and markdown_file else attribute
            if kind != "href":
                token = (IMAGE_TOKEN if kind == "src" else LINK_TOKEN).format(len(found[kind]))
                element.set(attribute, token)
            found[kind].append(BodyRef(kind, target, text, line, column))
        self.md.focue_links = tuple(found["link"])  # type: ignore[attr-defined]
        self.md.focue_urls = tuple(found["href"])  # type: ignore[attr-defined]
        self.md.focue_images = tuple(found["src"])  # type: ignore[attr-defined]


class _AnchorTreeprocessor(Treeprocessor):
    """Every heading gets an id and a `¶` link to itself.

    Python-Markdown's toc extension does this too, but also builds a table of
    contents for every article, a noticeable share of a conversion; the ids
    are the part news pages need. Ids the page template uses are avoided.
    """

    def run(self, root: etree.Element) -> None:
        stash = self.md.htmlStash.rawHtmlBlocks
        taken = set(TEMPLATE_IDS)
        headings = [e for e in root.iter() if e.tag in _HEADINGS]
        taken.update(e.get("id") for e in headings if e.get("id"))
        for heading in headings:
            anchor = heading.get("id")
            if not anchor:
                text = STASHED.sub(
                    lambda m: _stashed_text(stash, int(m.group(1))), "".join(heading.itertext())
                )
                anchor = _unique(slugify(text) or "section", taken)
                heading.set("id", anchor)
            link = etree.SubElement(heading, "a", {"class": "headerlink", "href": f"#{anchor}"})
            link.set("title", "Link to this section")
            link.text = "¶"


def _unique(base: str, taken: set[str]) -> str:
    anchor, n = base, 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


class _SummaryTreeprocessor(Treeprocessor):
    """The first top-level paragraph as plain text, read from the tree (no HTML re-parse)."""

    def run(self, root: etree.Element) -> None:
        stash = self.md.htmlStash.rawHtmlBlocks
        self.md.focue_summary = ""  # type: ignore[attr-defined]
        for element in root:
            if element.tag != "p":
                continue
            text = "".join(element.itertext())
            if STASHED.fullmatch(text.strip()):
                continue  # a raw HTML block or a Read More placeholder
            plain = STASHED.sub(lambda m: _stashed_text(stash, int(m.group(1))), text)
            if plain.strip():
                self.md.focue_summary = shorten(plain)  # type: ignore[attr-defined]
                return


def _stashed_text(stash: list, index: int) -> str:
    raw = stash[index] if index < len(stash) else ""
    return strip_tags(raw) if isinstance(raw, str) else "".join(raw.itertext())


# Python-Markdown's inline patterns (its own, footnotes' and smarty's) each need one of
# these to match: a text without any comes out of inline processing exactly as it went
# in, so it can be marked atomic and skipped, which saves most of the inline stage.
_INLINE_PATTERNS = frozenset(
    {
        "backtick", "escape", "reference", "link", "image_link", "image_reference",
        "short_reference", "short_image_ref", "autolink", "automail", "linebreak", "html",
        "entity", "em_strong", "footnote",
    }
)  # fmt: skip
_INLINE_TRIGGERS = r"[`\\\[<&{delimiters}]|  \n"
_SMARTY_TRIGGERS = r"|['\"]|--|\.\.\."
_INLINE_STAGES = frozenset({"inline", "smarty"})  # the treeprocessors that apply patterns


def inline_triggers(md: markdown.Markdown) -> re.Pattern[str] | None:
    """What a text must contain for some inline pattern to match; None when the
    converter has patterns this does not know (then every text is processed)."""
    patterns, stages = md.inlinePatterns, md.treeprocessors
    if sum(name in patterns for name in _INLINE_PATTERNS) != len(patterns):
        return None
    inline_stages = sum(isinstance(stage, InlineProcessor) for stage in stages)
    if sum(name in stages for name in _INLINE_STAGES) != inline_stages:
        return None
    delimiters = "".join(re.escape(token) for token in md.delimiters.tokens)  # type: ignore[attr-defined]
    pattern = _INLINE_TRIGGERS.format(delimiters=delimiters)
    return re.compile(pattern + (_SMARTY_TRIGGERS if "smarty" in stages else ""))


class _PlainTextTreeprocessor(Treeprocessor):
    """Marks text no inline pattern can match as atomic, so inline processing skips it."""

    triggers: re.Pattern[str] | None = None
    known = False

    def run(self, root: etree.Element) -> None:
        if not self.known:  # other extensions register after this one
            self.triggers, self.known = inline_triggers(self.md), True
        search = self.triggers.search if self.triggers is not None else None
        if search is None:
            return
        for element in root.iter():
            text, tail = element.text, element.tail
            if text and type(text) is str and search(text) is None:
                element.text = AtomicString(text)
            if tail and type(tail) is str and search(tail) is None:
                element.tail = AtomicString(tail)


# Python-Markdown's block processors (its own, tables' and footnotes') each claim only
# a block that is empty or indented, holds a table pipe, or has a line that starts with
# one of these marks (headings, rules, lists, quotes, references): any other block is a
# paragraph, and one regex search proves it instead of a dozen over the same text.
_BLOCK_PROCESSORS = frozenset(
    {
        "empty", "indent", "code", "table", "hashheader", "setextheader", "hr", "olist",
        "ulist", "quote", "footnote", "reference", "paragraph",
    }
)  # fmt: skip
_BLOCK_MARKS = re.compile(r"(?:^|\n) *[#=\-_*+>\[|0-9]")
PLAIN_PARAGRAPH = "focue_plain_paragraph"


def knows_block_processors(md: markdown.Markdown) -> bool:
    """Whether every block processor is one the plain-paragraph test knows about."""
    processors = md.parser.blockprocessors
    known = sum(name in processors for name in (*_BLOCK_PROCESSORS, PLAIN_PARAGRAPH))
    return known == len(processors)


class _PlainParagraphProcessor(BlockProcessor):
    """Makes a top-level block that no other processor could claim a paragraph at once,
    exactly as the paragraph processor would."""

    known: bool | None = None

    def test(self, parent: etree.Element, block: str) -> bool:
        if self.known is None:  # other extensions register after this one
            self.known = knows_block_processors(self.parser.md)
        return bool(
            self.known
            and block
            and not block[0].isspace()
            and not self.parser.state  # at the top level, not in a list or a quote
            and "|" not in block
            and _BLOCK_MARKS.search(block) is None
        )

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        etree.SubElement(parent, "p").text = blocks.pop(0)


class _NewsExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.parser.blockprocessors.register(
            _PlainParagraphProcessor(md.parser), PLAIN_PARAGRAPH, 200
        )
        md.treeprocessors.register(_PlainTextTreeprocessor(md), "focue_plain_text", 21)
        md.treeprocessors.register(EmbedTreeprocessor(md), "focue_embeds", 7)
        md.treeprocessors.register(_LinkTreeprocessor(md), "focue_links", 4)
        md.treeprocessors.register(_AnchorTreeprocessor(md), "focue_anchors", 3)
        md.treeprocessors.register(_SummaryTreeprocessor(md), "focue_summary", -1)
        md.postprocessors.register(RawHtmlPolicy(md), "focue_raw_html", 40)  # before raw_html


# What news copy uses. Python-Markdown's `extra` also brings abbreviations,
# definition lists and Markdown inside HTML blocks, which news copy does not need.
MARKDOWN_EXTENSIONS = ("tables", "fenced_code", "footnotes", "attr_list")


def new_markdown(smart_quotes: bool) -> markdown.Markdown:
    """The Markdown settings for news copy. `smart_quotes` adds Python-Markdown's
    smarty, which makes a conversion much slower."""
    extensions: list = [*MARKDOWN_EXTENSIONS, _NewsExtension()]
    if smart_quotes:
        extensions.append("smarty")
    return markdown.Markdown(extensions=extensions, output_format="html")


_local = threading.local()  # a converter keeps state while it converts: one per thread


def _markdown(smart_quotes: bool) -> markdown.Markdown:
    """One converter per thread and setting (a Dask worker may run several threads):
    building one costs more than converting."""
    converters = _local.__dict__.setdefault("converters", {})
    if smart_quotes not in converters:
        converters[smart_quotes] = new_markdown(smart_quotes)
    return converters[smart_quotes]


def render_body(
    body: str,
    first_line: int,
    smart_quotes: bool = False,
    sponsored: bool = False,
    html_policy: str = "trusted",
) -> Body:
    """Markdown to HTML with placeholders for what only the whole site can resolve.
    `sponsored`: paid content, whose outbound links get rel="sponsored"; `html_policy`:
    what raw HTML becomes (source/rawhtml.py)."""
    source, read_more, contributors = extract_conventions(body, first_line)
    md = _markdown(smart_quotes)
    md.reset()
    md.focue_sponsored = sponsored  # type: ignore[attr-defined]
    md.focue_source = source  # type: ignore[attr-defined]
    md.focue_first_line = first_line  # type: ignore[attr-defined]
    md.focue_links, md.focue_urls, md.focue_summary = (), (), ""  # type: ignore[attr-defined]
    md.focue_images = ()  # type: ignore[attr-defined]
    md.focue_html, md.focue_html_problems = html_policy, []  # type: ignore[attr-defined]
    _check_nesting(source, first_line)
    try:
        html = md.convert(source)
    except BaseException as stopped:  # the time budget's signal, or too deep
        _local.converters.pop(smart_quotes, None)  # its parser's state is left half way: a new one
        if not isinstance(stopped, RecursionError):
            raise
        raise BodyRefused(
            "nested deeper than the Markdown parser can follow: flatten the lists, quotes or HTML",
            first_line,
        ) from None
    # the treeprocessors leave what they found on the converter
    links, urls, summary = md.focue_links, md.focue_urls, md.focue_summary  # type: ignore[attr-defined]
    images = md.focue_images  # type: ignore[attr-defined]
    problems = _located(md.focue_html_problems, source, first_line)  # type: ignore[attr-defined]
    return Body(html, read_more, links, contributors, summary, urls, images, problems)


def _located(
    found: list[tuple[int, str, int, str, str]], source: str, first_line: int
) -> tuple[tuple[int, int, str], ...]:
    """Each (fragment's place in the stash, fragment, the tag's offset in it, the tag,
    message) at the line and column where the tag is written, searching on from the one
    before (they come in document order). A block Python-Markdown reflowed is found by
    its tag alone."""
    located, cursor, last, lines = [], 0, (-1, -1), Lines(source, first_line)
    for index, fragment, offset, tag, message in found:
        at = last[1] if index == last[0] else source.find(fragment, cursor)
        spot = at + offset if at >= 0 else source.find(tag, cursor)
        if spot < 0:
            located.append((first_line, 0, message))
            continue
        if at >= 0:
            last = (index, at)
        cursor = max(cursor, spot + len(tag))
        located.append((*lines.at(spot), message))
    return tuple(located)
