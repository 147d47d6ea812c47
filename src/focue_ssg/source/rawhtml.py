"""Raw HTML in a body, under the site's `html` policy.

Python-Markdown passes raw HTML through untouched: a writer's "use headings like
<H1> and <H2>" opens a second `<h1>` that swallows the rest of the page. Here each
raw fragment (Python-Markdown keeps them aside, in its stash, until the end) is read
in document order by the standard library's HTML tokenizer, which follows HTML5's
tokenization, with HTML5's void elements and optional end tags in mind:

- `trusted` (the default): kept, except a fragment that opens an element it never
  closes, closes one that is not open, or opens an `<h1>` (the page's headline is
  its only `<h1>`). Such a fragment is shown as text, as a reader expects "<H1>"
  written in a sentence to appear, and is a warning at its line.
- `sanitize`: each fragment cleaned by nh3 (the Ammonia sanitizer's bindings): no
  scripts, event handlers or `javascript:` links, for sites that republish copy.
- `escape`: every fragment shown as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

import nh3
from markdown.postprocessors import Postprocessor

STASHED = re.compile("\x02wzxhzdk:(\\d+)\x03")
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
# End tags HTML5 lets a writer leave out, and elements a parser closes by itself.
OPTIONAL_END = frozenset(
    {"p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody"}
    | {"tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp"}
)
_TAG = re.compile(r"\s*<[A-Za-z!/?]")


def _raw(fragment: object) -> bool:
    """Whether a stash entry is raw HTML (not an entity, an element or a placeholder)."""
    return isinstance(fragment, str) and _TAG.match(fragment) is not None


@dataclass(frozen=True)
class Finding:
    fragment: int  # its place in the stash
    start: int  # the stray tag's place in the fragment
    end: int
    message: str


@dataclass(frozen=True)
class Tag:
    kind: str  # "start", "end" or "void"
    name: str
    start: int
    end: int


class _Tags(HTMLParser):
    """The tags of one fragment, in order, with where each is written."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.fragment = fragment
        self.lines = [0] + [i + 1 for i, c in enumerate(fragment) if c == "\n"]
        self.tags: list[Tag] = []

    def _at(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list) -> None:
        at = self._at()
        kind = "void" if tag in VOID else "start"
        self.tags.append(Tag(kind, tag, at, at + len(self.get_starttag_text() or "")))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        at = self._at()
        self.tags.append(Tag("void", tag, at, at + len(self.get_starttag_text() or "")))

    def handle_endtag(self, tag: str) -> None:
        at = self._at()
        self.tags.append(Tag("end", tag, at, self.fragment.find(">", at) + 1 or len(self.fragment)))


def _tags(fragment: str) -> list[Tag]:
    reader = _Tags(fragment)
    reader.feed(fragment)
    reader.close()
    return reader.tags


def find_stray(stash: list, order: list[int]) -> list[Finding]:
    """The stray tags of the raw fragments (by stash index, in document order): read
    one after another, as the page will be, an `<h1>`, an end tag with nothing open to
    close, and a start tag never closed (but where HTML5 lets the end tag be left out)."""
    found: list[Finding] = []
    open_: list[tuple[Tag, int]] = []  # an open element, and the fragment it is in
    count: dict[str, int] = {}  # open elements by name: a stray end tag is found at once
    for index in order:
        if not _raw(stash[index]):
            continue
        for tag in _tags(stash[index]):
            if tag.kind == "start" and tag.name == "h1":
                found.append(Finding(index, tag.start, tag.end, H1))
            elif tag.kind == "start":
                open_.append((tag, index))
                count[tag.name] = count.get(tag.name, 0) + 1
            elif tag.kind == "end" and count.get(tag.name):
                found += _closed(open_, count, tag.name)
            elif tag.kind == "end":
                message = f"raw </{tag.name}> closes an element that is not open"
                found.append(Finding(index, tag.start, tag.end, message))
    found += _unclosed(open_)
    place = {index: n for n, index in enumerate(order)}
    return sorted(found, key=lambda f: (place[f.fragment], f.start))


def _closed(open_: list[tuple[Tag, int]], count: dict[str, int], name: str) -> list[Finding]:
    """Close the innermost open `name` and what was opened inside it (those are
    findings). The search from the top passes only elements it removes, so a run of
    end tags takes linear time."""
    at = len(open_) - 1
    while open_[at][0].name != name:
        at -= 1
    inside = open_[at + 1 :]
    for tag, _ in open_[at:]:
        count[tag.name] -= 1
    del open_[at:]
    return _unclosed(inside)


H1 = "raw <h1> in the body: the headline is the page's one <h1>; use ## instead"


def _unclosed(elements: list[tuple[Tag, int]]) -> list[Finding]:
    return [
        Finding(index, tag.start, tag.end, f"raw <{tag.name}> is never closed")
        for tag, index in elements
        if tag.name not in OPTIONAL_END
    ]


def shown_as_text(fragment: str, findings: list[Finding]) -> str:
    """The fragment with its stray tags escaped, the rest as written."""
    pieces, done = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        tag = escape(fragment[finding.start : finding.end], quote=False)
        pieces += [fragment[done : finding.start], tag]
        done = finding.end
    return "".join([*pieces, fragment[done:]])


def sanitized(fragment: str) -> str:
    """A fragment cleaned by nh3; a lone start or end tag (inline HTML comes one tag at
    a time) keeps its tag where nh3 allows the element."""
    lone = re.fullmatch(r"<([A-Za-z][\w-]*)\b[^>]*>", fragment.strip())
    if lone and lone.group(1).lower() in VOID:
        return nh3.clean(fragment)
    if lone:
        tag = lone.group(1).lower()
        cleaned = nh3.clean(f"{fragment}</{tag}>")
        return cleaned[: -len(f"</{tag}>")] if cleaned.endswith(f"</{tag}>") else ""
    closing = re.fullmatch(r"</([A-Za-z][\w-]*)\s*>", fragment.strip())
    if closing:
        return fragment if closing.group(1).lower() in nh3.ALLOWED_TAGS else ""
    return nh3.clean(fragment)


def _escaped(fragment: str) -> str:
    return escape(fragment, quote=False)


class RawHtmlPolicy(Postprocessor):
    """Applies the site's `html` policy to the stashed raw HTML before Python-Markdown
    puts it back; findings go to the converter's `focue_html_problems`."""

    def run(self, text: str) -> str:
        md = self.md
        stash = md.htmlStash.rawHtmlBlocks
        order = [int(m.group(1)) for m in STASHED.finditer(text)]
        policy = getattr(md, "focue_html", "trusted")  # render_body sets it; set by hand, not
        rewrite = {"escape": _escaped, "sanitize": sanitized}.get(policy)
        if rewrite is not None:
            for index in order:
                if _raw(stash[index]):
                    stash[index] = rewrite(stash[index])
        else:
            found = find_stray(stash, order)
            if not hasattr(md, "focue_html_problems"):
                md.focue_html_problems = []  # type: ignore[attr-defined]
            for finding in found:
                fragment = stash[finding.fragment]
                tag = fragment[finding.start : finding.end]
                md.focue_html_problems.append(  # type: ignore[attr-defined]
                    (finding.fragment, fragment, finding.start, tag, finding.message)
                )
            by_fragment: dict[int, list] = {}  # one pass: 10,000 stray tags are 10,000
            for finding in found:
                by_fragment.setdefault(finding.fragment, []).append(finding)
            for index, mine in by_fragment.items():
                stash[index] = shown_as_text(stash[index], mine)
        return text
