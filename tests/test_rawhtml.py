"""Raw HTML in bodies (issue 16): stray tags shown as text with a warning at their line,
the page kept valid; `html = "sanitize"` and `"escape"` for copy from elsewhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from conftest import NOW_ARG, article

from focue_ssg.source.markdown import render_body
from focue_ssg.source.rawhtml import OPTIONAL_END, VOID


class _Balance(HTMLParser):
    """Whether a page's elements nest: each end tag closes the element open last."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.broken: list[str] = []
        self.h1 = 0

    def handle_starttag(self, tag, attrs):
        self.h1 += tag == "h1"
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        while self.open and self.open[-1] != tag and self.open[-1] in OPTIONAL_END:
            self.open.pop()
        if not self.open or self.open[-1] != tag:
            self.broken.append(tag)
        else:
            self.open.pop()


def balance(page: str) -> _Balance:
    checker = _Balance()
    checker.feed(page)
    return checker


HEADINGS = "Use headings like <H1> and <H2> in your copy.\n\nMore text, and the end.\n"


def test_a_headline_written_as_text_stays_text_and_is_a_warning(site, focue):
    site.write({"content/2023/10/style.md": article("Style Guide", "2023-10-17 07:45", HEADINGS)})
    result = focue("build", str(site.root), "--now", NOW_ARG)
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if "warning: raw" in line]
    line = 1 + article("Style Guide", "2023-10-17 07:45", HEADINGS).split("\n").index(
        HEADINGS.split("\n")[0]
    )
    assert warnings == [
        f"content/2023/10/style.md:{line}:19: warning: raw <h1> in the body: the headline is "
        "the page's one <h1>; use ## instead",
        f"content/2023/10/style.md:{line}:28: warning: raw <h2> is never closed",
    ]
    page = (site.output / "2023/10/17/style-guide/index.html").read_text()
    assert "Use headings like &lt;H1&gt; and &lt;H2&gt; in your copy." in page
    checked = balance(page)
    assert checked.h1 == 1 and checked.broken == [] and checked.open == []


@pytest.mark.parametrize(
    "body",
    [
        'Some <b>bold</b>, <span class="x">a span</span>, a <br> and <img src="/x.png" alt="">.\n',
        '<div class="box">\n<p>A paragraph</p>\n</div>\n\nAfter.\n',
        "<table>\n<tr><td>one<td>two\n<tr><td>three\n</table>\n",  # end tags HTML5 lets go
        "<ul>\n<li>one\n<li>two\n</ul>\n",
        "Fish &amp; chips &copy; 2023 <!-- a comment -->\n",
    ],
)
def test_well_formed_raw_html_is_kept_as_written(body):
    made = render_body(body, 5)
    assert made.problems == ()
    assert "&lt;" not in made.html


def test_only_the_stray_tag_of_a_block_is_shown_as_text():
    body = '<div class="quote">\n<p>A <a href="/x">link</a> and a stray </a> here.</p>\n</div>\n'
    made = render_body(body, 10)
    assert made.problems == ((11, 40, "raw </a> closes an element that is not open"),)
    assert '<div class="quote">' in made.html and '<a href="/x">link</a>' in made.html
    assert "a stray &lt;/a&gt; here" in made.html


def test_the_same_stray_tag_in_several_paragraphs_is_a_warning_at_each_line():
    """They were all placed at the first, one fragment taken for another with its text."""
    made = render_body("Lead.\n\n" + "A <b>bold start\n\n" * 3, 5)
    assert [problem[:2] for problem in made.problems] == [(7, 3), (9, 3), (11, 3)]


def test_an_element_never_closed_is_shown_as_text():
    made = render_body('<div class="box">\nOpened and left open.\n\nThe rest.\n', 3)
    assert [message for *_, message in made.problems] == ["raw <div> is never closed"]
    assert made.problems[0][:2] == (3, 1)
    assert '&lt;div class="box"&gt;' in made.html and balance(made.html).broken == []


def test_sanitize_cleans_scripts_handlers_and_javascript_links():
    body = (
        "<script>alert('x')</script>\n\n"
        'A <a href="javascript:alert(1)" onclick="steal()">link</a>, <b>bold</b> '
        'and <img src="/p.png" onerror="steal()" alt="p">.\n\n'
        '<div style="x" onmouseover="steal()">\n<p>Kept</p>\n</div>\n'
    )
    html = render_body(body, 5, html_policy="sanitize").html
    assert "script" not in html and "alert" not in html
    assert not re.search(r"\son\w+=", html) and "javascript:" not in html
    assert "<b>bold</b>" in html and "<p>Kept</p>" in html and 'alt="p"' in html


def test_escape_shows_all_raw_html_as_text():
    html = render_body("A <b>bold</b> word &amp; <i>more</i>.\n", 5, html_policy="escape").html
    assert html == "<p>A &lt;b&gt;bold&lt;/b&gt; word &amp; &lt;i&gt;more&lt;/i&gt;.</p>"


def test_the_policy_is_a_setting_and_a_wrong_one_is_an_error(site, focue):
    body = "A <b>bold</b> word.\n"
    site.write(
        {
            "content/2023/10/a.md": article("A", "2023-10-17 07:45", body),
            "focue.toml": 'html = "escape"\n',
        }
    )
    assert focue("build", str(site.root), "--now", NOW_ARG).code == 0
    page = (site.output / "2023/10/17/a/index.html").read_text()
    assert "A &lt;b&gt;bold&lt;/b&gt; word." in page
    (site.root / "focue.toml").write_text('html = "sanitise"\n')
    result = focue("build", str(site.root), "--now", NOW_ARG)
    assert result.code == 1
    assert "focue.toml:1" in result.err and "'sanitize'" in result.err
