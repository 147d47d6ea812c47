"""Text a writer may type that looks like focue's own markers, or that the standard
library cannot take, builds like any other text: never an internal error."""

from __future__ import annotations

import html

import pytest
from conftest import article
from hypothesis import given
from hypothesis import strategies as st

from focue_ssg.core.text import unescape

REFERENCES = st.text(alphabet="&#0123456789xX;a ", max_size=30)


@given(REFERENCES)
def test_unescape_reads_references_as_the_standard_library_does(text):
    assert unescape(text) == html.unescape(text)


def test_unescape_takes_a_number_too_long_for_int():
    digits = "1" * 5000
    assert unescape(f"a &#{digits}; b") == html.unescape("a &#99999999; b") == "a \ufffd b"
    assert unescape("&#" + "0" * 5000 + "65;") == "A"


def test_markers_typed_into_a_body_and_long_references_build(site, focue):
    site.write(
        {
            "content/2023/10/other.md": article("The Other Story", "2023-10-16 07:45"),
            "content/2023/10/forged.md": article(
                "&#" + "1" * 5000 + "; Forged",
                "2023-10-16 08:45",
                "Lead &#" + "0" * 5000 + "65; &#" + "2" * 5000 + ".\n\n"
                "Read More: The Other Story\n\n"
                "<!--focue:read-more:7--><!--focue:read-more:" + "9" * 5000 + "-->\n\n"
                '<p><a href="focue:link:3">a</a> <img alt="b" src="focue:image:5"></p>\n',
                slug="forged",
            ),
        }
    )
    result = focue("build", str(site.root), "--now", "2023-10-18T00:00:00+00:00")
    assert result.code == 0, result.err
    page = (site.output / "2023/10/16/forged/index.html").read_text()
    assert "\ufffd Forged" in page and "Lead A \ufffd." in page
    assert page.count('class="read-more"') == 1 and "/2023/10/16/the-other-story/" in page
    assert "<!--focue:read-more:7-->" in page  # as typed: not one of the story's
    assert 'href="focue:link:3"' in page and 'src="focue:image:5"' in page


LONG = "9" * 5000  # more digits than int() reads (4,300)
NAME = "x" * 300  # longer than a file name may be (255 bytes)


@pytest.mark.parametrize(
    ("file", "text", "where"),
    [
        ("content/a.md", f"---\ntitle: A\ndate: 2023-10-16\nx: {LONG}\n---\nA.\n", "content/a.md:4:4"),
        ("content/a.md", f'+++\ntitle = "A"\nx = {LONG}\n+++\nA.\n', "content/a.md:3:5"),
        ("content/a.md", f"---\ntitle: A\ndate: 2023-10-16\ntimezone: {'z' * 5000}\n---\nA.\n",
         "content/a.md:4:11"),
        ("content/a.md", "---\ntitle: A\ndate: 2023-10-16\naliases: ['http://[::1']\n---\nA.\n",
         "content/a.md:4"),
        ("focue.toml", f"per_page = {LONG}\n", "focue.toml:1:12"),
        ("focue.toml", 'base_url = "http://[::1"\n', "focue.toml:1"),
        ("focue.toml", 'base_url = "https://example.org:99999/"\n', "focue.toml:1"),
        ("focue.toml", f'timezone = "{"z" * 5000}"\n', "focue.toml:1"),
        ("data/authors.toml", f'[Jane]\nname = "J"\nx = {LONG}\n', "data/authors.toml:3:5"),
        # names longer than a file name may be (the system refuses even to look them up)
        ("content/a.md", f"---\ntitle: A\ndate: 2023-10-16\nimage: {NAME}.jpg\n---\nA.\n",
         "content/a.md:4"),
        ("content/a.md", f"---\ntitle: A\ndate: 2023-10-16\n---\nA ![b]({NAME}.jpg) c.\n",
         "content/a.md:5:8"),
        ("content/a.md", f"---\ntitle: A\ndate: 2023-10-16\n---\nA ![b](/{NAME}/c.png).\n",
         "content/a.md:5:8"),
        ("content/a.md", f"---\ntitle: A\ndate: 2023-10-16\nslug: {NAME}\n---\nA.\n",
         "content/a.md:4:7"),
        ("content/a.md", f"---\ntitle: A\ndate: 2023-10-16\naliases: ['/{NAME}/']\n---\nA.\n",
         "content/a.md:4"),
        ("focue.toml", f'title = "T"\ntheme = "{NAME}"\n', "focue.toml:2"),
        ("focue.toml", "[home]\ntop_story_days = 1000000000000000000\n", "focue.toml:2"),
    ],
)  # fmt: skip
def test_values_python_cannot_take_are_errors_at_their_line(site, focue, file, text, where):
    site.write({"content/b.md": article("B", "2023-10-16 07:45"), file: text})
    result = focue("build", str(site.root), "--now", "2023-10-18T00:00:00+00:00")
    assert result.code == 1, result.err
    assert f"{where}:" in result.err and "error:" in result.err
    assert "internal error" not in result.err and "Traceback" not in result.err


@pytest.mark.parametrize(
    "setting", [f'logo = "{NAME}.png"', f'authors_file = "{NAME}"', 'authors_file = "\\u0000"']
)
def test_settings_naming_files_no_system_can_hold_are_files_not_found(site, focue, setting):
    site.write({"content/b.md": article("B", "2023-10-16 07:45"), "focue.toml": setting + "\n"})
    result = focue("build", str(site.root), "--now", "2023-10-18T00:00:00+00:00")
    assert result.code == 0, result.err
    assert "internal error" not in result.err and "Traceback" not in result.err
    assert ("focue.toml:1: warning: image" in result.err) == setting.startswith("logo")


def test_a_long_value_is_clipped_where_a_diagnostic_quotes_it(site, focue):
    name = "y" * 6000
    body = f"A ![a]({name}.jpg) and [b]({name}.md).\n\nRead More: [c]({name}.md)\n"
    site.write({"content/a.md": article("A", "2023-10-16 07:45", body, aliases=[f"/{name}/"])})
    result = focue("build", str(site.root), "--now", "2023-10-18T00:00:00+00:00")
    assert result.code == 1
    said = [line for line in result.err.splitlines() if line.startswith("content/a.md:")]
    assert len(said) >= 4 and all(len(line) < 600 for line in said), said
    assert "… (6,004 characters)" in result.err and "… (6,003 characters)" in result.err


@pytest.mark.parametrize("name", ["focue.toml", "data/authors.toml"])
@pytest.mark.parametrize("shape", ["folder", "broken link"])
def test_a_config_file_that_is_not_a_file_is_an_error(site, focue, name, shape):
    site.write({"content/b.md": article("B", "2023-10-16 07:45")})
    path = site.root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir() if shape == "folder" else path.symlink_to(site.root / "nowhere")
    result = focue("build", str(site.root), "--now", "2023-10-18T00:00:00+00:00")
    assert result.code == 1 and f"{name}: error: is not a file" in result.err, result.err
