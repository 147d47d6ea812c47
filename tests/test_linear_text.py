"""Text shaped to make a regular expression try every split of it is read in linear time,
and read as before.

Such a match is one call into C, which a parse's time budget cannot interrupt: a
closing contributors line followed by a long run of spaces took minutes, so the build
hung instead of failing. The patterns that did so are kept here, to compare with.
"""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import NOW_ARG, article
from hypothesis import given
from hypothesis import strategies as st

from focue_ssg.core.text import plain_text, strip_tags
from focue_ssg.source import conventions

OLD_READ_MORE = re.compile(
    r"^ {0,3}(?:\*\*|__)?read more:(?:\*\*|__)?[ \t]*(?P<rest>.*?)\s*$", re.I
)
OLD_CONTRIBUTORS = re.compile(
    r"^ {0,3}[*_]{0,2}\s*(?:-{1,3}|[–—])\s*with assistance (?:from|by)\s+(?P<names>.+?)"
    r"[.\s]*[*_]{0,2}\s*$",
    re.I | re.S,
)
OLD_TAG = re.compile(r"<[^>]*>")
OLD_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|tr|td|th|figure)\b[^>]*>", re.I
)
ENDINGS = st.text(alphabet=" .*_\t\nAb,&", max_size=16)
MARKUP = st.text(alphabet="<>/pdiv a.\n", max_size=40)


@given(ENDINGS, ENDINGS)
def test_a_contributors_line_names_whom_the_old_pattern_named(names, ending):
    line = f"--With assistance from {names}{ending}"
    old, new = OLD_CONTRIBUTORS.match(line), conventions._CONTRIBUTORS.match(line)
    assert (old is None) == (new is None)
    if old is not None:
        assert conventions._closed(new.group("names")) == old.group("names")


@given(ENDINGS, ENDINGS)
def test_a_read_more_line_leads_where_the_old_pattern_led(title, ending):
    line = f"Read More: {title}{ending}".replace("\n", " ")
    old, new = OLD_READ_MORE.match(line), conventions._READ_MORE.match(line)
    assert (old is None) == (new is None)
    if old is not None:
        assert new.group("rest").rstrip() == old.group("rest")


@given(MARKUP)
def test_tags_are_stripped_as_the_old_patterns_stripped_them(html):
    assert strip_tags(html, " ") == OLD_TAG.sub(" ", html)
    assert plain_text(html) == " ".join(OLD_TAG.sub("", OLD_BLOCK_TAG.sub(" ", html)).split())


def _build(root, *args: str) -> subprocess.CompletedProcess:
    """The program in a process of its own: were a match to take minutes again, this
    fails at the timeout instead of holding up the suite."""
    command = [sys.executable, "-m", "focue_ssg", "build", str(root), "--now", NOW_ARG, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_text_that_once_took_minutes_to_read_builds(site):
    run = 100_000  # each of these took minutes, in one call no time budget could stop
    site.write(
        {
            "content/2023/10/credits.md": article(
                "Credits",
                "2023-10-16 07:45",
                "Lead.\n\n--With assistance from Jane Doe" + " ." * run + " The end",
            ),
            "content/2023/10/read-more.md": article(
                "Read More",
                "2023-10-16 08:45",
                "Lead.\n\nRead More: Credits" + " " * run + "Credits\n\nClosing.",
            ),
            "content/2023/10/markup.md": article(
                "Markup " + "<" * run,
                "2023-10-16 09:45",
                "Lead.",
                summary="<p>A summary " + "<p " * run,
                slug="markup",
            ),
        }
    )
    done = _build(site.root)
    assert done.returncode == 0, done.stderr[:2000]
    credits = (site.output / "2023/10/16/credits/index.html").read_text()
    assert "Jane Doe" in credits
    markup = (site.output / "2023/10/16/markup/index.html").read_text()
    assert "A summary" in markup
