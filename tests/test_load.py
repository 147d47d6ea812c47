import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BADINPUT, NOW_ARG, article, nested, write_files

from focue_ssg.output.parsing import MAX_STORY_BYTES
from focue_ssg.source.parse import ParseSettings, SourceFile, decode, parse_source
from focue_ssg.source.scan import scan_sources

UTC = ParseSettings()


def parse(name: str, data: bytes):
    return parse_source(SourceFile(name, data), UTC)


def test_bom_and_crlf_are_fine():
    article, problems = parse(
        "a.md", b"\xef\xbb\xbf---\r\ntitle: T\r\ndate: 2023-10-17\r\n---\r\n\r\nBody.\r\n"
    )
    assert problems == ()
    assert article.title == "T"
    assert article.summary == "Body."


def test_not_utf8_names_line_and_column():
    d = decode("content/a.md", "---\ntitle: Café\n".encode("latin-1"))
    assert (d.line, d.column) == (2, 11)
    assert "not valid UTF-8" in d.message


def test_binary_and_empty_files():
    assert "binary" in decode("content/a.md", b"\x00\x01abc").message
    assert "empty" in decode("content/a.md", b"  \n").message


def test_slug_defaults_to_the_title_and_ignores_jekyll_date_prefix():
    article, _ = parse("2015-03-17-old-name.md", b"---\ntitle: A New Headline\n---\nBody.\n")
    assert article.slug == "a-new-headline"
    assert article.date.day == 17


def test_front_matter_contributors_win_over_the_closing_line():
    data = b"---\ntitle: T\ndate: 2023-10-17\ncontributors: [X]\n---\nA.\n\n--With assistance from Y.\n"
    article, _ = parse("a.md", data)
    assert article.contributors == ("X",)
    assert "assistance" not in article.body_html


EXPECTED_ERRORS = {
    "bad-yaml.md": (2, "invalid YAML"),
    "tab-indent.md": (5, "tabs"),
    "unterminated.md": (1, "never closed"),
    "missing-title.md": (1, "title is required"),
    "missing-date.md": (1, "date is required"),
    "bad-date.md": (3, "date: 'next tuesday'"),
    "impossible-date.md": (3, "date: '2023-02-30'"),
    "list-frontmatter.md": (2, "is a list"),
    "draft-string.md": (4, "draft: must be true or false"),
    "tags-nested.md": (5, "'tags' item 1"),
    "empty.md": (1, "empty"),
    "no-frontmatter.md": (1, "no front matter"),
    "not-utf8.md": (2, "not valid UTF-8"),
    "binary.md": (None, "binary"),
    "slug-traversal.md": (4, "not a valid slug"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_ERRORS))
def test_bad_input_files_get_a_located_error(name):
    article, problems = parse(name, (BADINPUT / name).read_bytes())
    line, words = EXPECTED_ERRORS[name]
    assert article is None
    errors = [p for p in problems if p.is_error]
    assert errors, problems
    assert errors[0].path == f"content/{name}"
    assert errors[0].line == line
    assert words in errors[0].message


@pytest.mark.parametrize(
    "name, title, slug",
    [
        ("title-number.md", "2024", "2024"),
        ("toml-frontmatter.md", "TOML Front Matter", "toml-front-matter"),
        ("unicode-name Café à Paris.md", "Un café à Paris", "un-cafe-a-paris"),
        ("html-title.md", 'Markets <script>alert(1)</script> & Tom\'s "Rally"', None),
        ("long-title.md", None, None),
    ],
)
def test_tricky_but_valid_files_parse(name, title, slug):
    article, problems = parse(name, (BADINPUT / name).read_bytes())
    assert article is not None, problems
    if title:
        assert article.title == title
    if slug:
        assert article.slug == slug
    assert len(article.slug) <= 80


def test_the_scan_skips_hidden_files_and_links_out_of_the_site(tmp_path: Path):
    site = write_files(
        tmp_path / "site",
        {
            "content/a.md": "x",
            "content/sub/b.md": "x",
            "content/.hidden.md": "x",
            "content/.git/c.md": "x",
            "content/notes.txt": "x",
        },
    )
    outside = write_files(tmp_path / "elsewhere", {"secret.md": "x"})
    os.symlink(outside / "secret.md", site / "content" / "leak.md")
    os.symlink(site / "content" / "a.md", site / "content" / "alias.md")
    found, problems, _images = scan_sources(site)
    paths = [f.path for f in found]
    assert paths == ["a.md", "alias.md", "sub/b.md"]
    assert [p.format() for p in problems] == [
        "content/leak.md: warning: symlink points outside the site; not published"
    ]


def test_folders_nested_past_the_recursion_limit_are_walked(site, focue):
    """A story 1,100 folders deep in content/ stopped the build with an internal
    RecursionError: the walk recursed once per folder."""
    site.write({"content/2023/10/real.md": article("Real")})
    with nested(site.root / "content" / "deep", 1100) as folders:
        (folders[-1] / "x.md").write_text(article("Deep", "2023-10-16 07:45"))
        found, problems, _ = scan_sources(site.root)
        assert len(found) == 2 and found[1].path.endswith("a/a/x.md") and problems == []
        result = focue("build", str(site.root), "--now", NOW_ARG)
        assert result.code == 0 and "2 published" in result.out, result.err


def test_a_pipe_named_like_a_story_is_skipped_with_a_warning_not_waited_on(site):
    """Reading a pipe waits for a writer: a FIFO called x.md hung the build for ever."""
    site.write({"content/2023/10/real.md": article("Real")})
    os.mkfifo(site.root / "content/2023/10/pipe.md")
    os.mkfifo(site.root / "content/2023/10/photo.jpg")
    found, problems, images = scan_sources(site.root)
    assert [f.path for f in found] == ["2023/10/real.md"] and images == []
    assert [p.format() for p in problems] == [
        "content/2023/10/pipe.md: warning: not a regular file (a pipe, socket or device); "
        "not published"
    ]
    command = [sys.executable, "-m", "focue_ssg", "build", str(site.root), "--now", NOW_ARG]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)  # no hang
    assert done.returncode == 0 and "1 published" in done.stdout, done.stderr


def test_a_story_too_big_to_be_one_is_an_error_and_not_read(site, focue):
    """A data dump or a log saved as .md: a 50 MB one took a gigabyte to parse, and a
    few hundred MB would have had the build killed for want of memory."""
    site.write(
        {"content/2023/10/real.md": article("Real"), "content/2023/10/dump.md": article("D")}
    )
    assert focue("build", str(site.root), "--now", NOW_ARG).code == 0  # its parse is cached
    with open(site.root / "content/2023/10/dump.md", "wb") as handle:
        handle.truncate(MAX_STORY_BYTES + 1)  # sparse: nothing is written, or read
    result = focue("build", str(site.root), "--now", NOW_ARG)
    assert result.code == 1
    assert "content/2023/10/dump.md: error: is 16.0 MB; a story may be at most 16 MB" in result.err
    assert "2 files in content/: 1 published, 1 with errors" in result.err + result.out
