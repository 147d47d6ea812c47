"""Raw HTML's stray tags are found, shown as text and placed at their lines in linear
time, and as before.

A body of 10,000 paragraphs each opening a `<b>` it never closed took 6.7 s only to
group the findings by fragment, and runs of end tags, many stray tags in one block and
the lines of many findings or links were quadratic too: a pasted page of markup held
up the build, or was stopped by the time budget, where it should have been read. The
code they replaced is kept here, to compare with.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from html import escape

from hypothesis import given
from hypothesis import strategies as st

from focue_ssg.core.textpos import Lines, line_col
from focue_ssg.source import rawhtml
from focue_ssg.source.rawhtml import Finding, find_stray, shown_as_text


def old_find_stray(stash: list, order: list[int]) -> list[Finding]:
    found, open_ = [], []
    for index in order:
        if not rawhtml._raw(stash[index]):
            continue
        for tag in rawhtml._tags(stash[index]):
            if tag.kind == "start" and tag.name == "h1":
                found.append(Finding(index, tag.start, tag.end, rawhtml.H1))
            elif tag.kind == "start":
                open_.append((tag, index))
            elif tag.kind == "end" and any(t.name == tag.name for t, _ in open_):
                at = max(i for i, (t, _) in enumerate(open_) if t.name == tag.name)
                found += rawhtml._unclosed(open_[at + 1 :])
                del open_[at:]
            elif tag.kind == "end":
                message = f"raw </{tag.name}> closes an element that is not open"
                found.append(Finding(index, tag.start, tag.end, message))
    found += rawhtml._unclosed(open_)
    place = {index: n for n, index in enumerate(order)}
    return sorted(found, key=lambda f: (place[f.fragment], f.start))


def old_shown_as_text(fragment: str, findings: list[Finding]) -> str:
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        tag = fragment[finding.start : finding.end]
        fragment = fragment[: finding.start] + escape(tag, quote=False) + fragment[finding.end :]
    return fragment


TAG = st.sampled_from(["<b>", "</b>", "<i>", "</i>", "<h1>", "<p>", "</p>", "<br>", "<li>"])
FRAGMENTS = st.lists(st.lists(TAG | st.sampled_from(["x", " ", "\n"]), max_size=6), max_size=6)


@given(FRAGMENTS)
def test_stray_tags_are_the_ones_the_old_reading_found(pieces):
    stash = ["".join(piece) or "x" for piece in pieces]
    order = list(range(len(stash)))[::-1] if len(stash) % 2 else list(range(len(stash)))
    found = find_stray(stash, order)
    assert found == old_find_stray(stash, order)
    for index in {f.fragment for f in found}:
        mine = [f for f in found if f.fragment == index]
        assert shown_as_text(stash[index], mine) == old_shown_as_text(stash[index], mine)


@given(st.text(alphabet="ab\n", max_size=30), st.integers(1, 5), st.data())
def test_lines_place_an_offset_where_counting_places_it(text, first, data):
    offset = data.draw(st.integers(0, len(text)))
    line, column = line_col(text, offset)
    assert Lines(text, first).at(offset) == (line + first - 1, column)


SCALE = """
from markdown import Markdown
from focue_ssg.source.markdown import _located
from focue_ssg.source.rawhtml import RawHtmlPolicy, find_stray, shown_as_text

n = 100_000
md = Markdown()
md.htmlStash.rawHtmlBlocks = ["<b>"] * n + ["<i>"] * n + ["</b>"] * n
text = "".join(md.htmlStash.get_placeholder(i) for i in range(3 * n))
RawHtmlPolicy(md).run(text)  # the first </b> closes the last <b> and every <i>
assert len(md.focue_html_problems) == n, len(md.focue_html_problems)
opened = ["<i>"] * n + ["</b>"] * n  # end tags that close nothing, with much open
assert len(find_stray(opened, list(range(2 * n)))) == 2 * n
block = "<div>" + "</span>" * n + "</div>"
stray = find_stray([block], [0])
assert shown_as_text(block, stray).count("&lt;/span&gt;") == n
source = "<b>\\n" * n
assert _located([(i, "<b>", 0, "<b>", "m") for i in range(n)], source, 1)[-1] == (n, 1, "m")
"""


def test_many_stray_tags_take_linear_time():
    """In a process of its own: were this quadratic again (hours at this size), it
    fails at the timeout instead of holding up the suite; it takes seconds."""
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCALE)], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-2000:]
