"""Every file of tests/fixtures/badinput gets what its EXPECTED.md says, next to good articles."""

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import BADINPUT, NOW_ARG, article, snapshot

GOOD = {
    "content/2023/10/good-one.md": article("Good One", "2023-10-17 07:45", tags=["World"]),
    "content/2023/10/good-two.md": article("Good Two", "2023-10-16 07:45", tags=["World"]),
}

ERRORS = {
    "bad-yaml.md": r":2:8: error: invalid YAML",
    "tab-indent.md": r":5:1: error: .*tabs",
    "unterminated.md": r":1: error: .*never closed",
    "missing-title.md": r":1: error: title is required",
    "missing-date.md": r":1: error: date is required",
    "bad-date.md": r":3:7: error: date: 'next tuesday' is not a date",
    "impossible-date.md": r":3:7: error: date: '2023-02-30' is not a valid date",
    "list-frontmatter.md": r":2: error: front matter is a list",
    "draft-string.md": r":4:8: error: draft: must be true or false",
    "tags-nested.md": r":5:5: error: 'tags' item 1 must be text",
    "empty.md": r":1: error: the file is empty",
    "no-frontmatter.md": r":1: error: no front matter",
    "not-utf8.md": r":2:11: error: not valid UTF-8",
    "binary.md": r": error: this is a binary file",
    "slug-traversal.md": r":4:7: error: slug: '\.\./\.\./\.\./\.\./tmp/owned' is not a valid slug",
    "blank-title.md": r":2:8: error: 'title' is blank",
    "blank-date.md": r":3:6: error: 'date' is blank",
    "alias-bomb.md": r":2:1: error: front matter aliases expand to [\d,]+ values from 32 written",
    "alias-self.md": r":4:7: error: front matter refers to itself",
    "deep-yaml.md": r":4:\d+: error: front matter nests deeper than 32 levels",
    "deep-list.md": r":56: error: lists or quotes nested 49 deep",
}


@pytest.fixture
def built(site, focue):
    site.write(GOOD)
    assert focue("build", str(site.root), "--now", NOW_ARG).code == 0
    return site


def add(site, *names: str) -> None:
    for name in names:
        shutil.copy(BADINPUT / name, site.root / "content" / name)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_file_is_an_error_and_output_is_untouched(built, focue, name):
    before = snapshot(built.output)
    add(built, name)
    result = focue("build", str(built.root), "--now", NOW_ARG)
    assert result.code == 1
    assert re.search(re.escape(f"content/{name}") + ERRORS[name], result.err), result.err
    assert "Traceback" not in result.err
    assert snapshot(built.output) == before


def test_all_errors_are_reported_in_one_run(built, focue):
    add(built, *ERRORS, "dup-slug-a.md", "dup-slug-b.md")
    result = focue("build", str(built.root), "--now", NOW_ARG)
    assert result.code == 1
    names = [*ERRORS, "dup-slug-a.md", "dup-slug-b.md"]
    assert len(names) == 23
    for name in names:
        assert f"content/{name}:" in result.err, name
    assert "Build failed: 23 errors, 0 warnings" in result.err
    assert "25 files in content/: 0 published, 25 with errors" not in result.err
    assert "25 files in content/: 2 published, 23 with errors" in result.err


def test_slug_traversal_writes_nothing_outside(built, focue, tmp_path):
    elsewhere = set(Path("/tmp").glob("owned*"))  # left by anything else on the machine
    add(built, "slug-traversal.md")
    focue("build", str(built.root), "--now", NOW_ARG)
    assert set(Path("/tmp").glob("owned*")) == elsewhere
    assert len(list(tmp_path.rglob("*"))) > 20  # the site and its output were searched
    assert [p for p in tmp_path.rglob("*owned*")] == []


def test_duplicate_slugs_name_both_files(built, focue):
    add(built, "dup-slug-a.md", "dup-slug-b.md")
    result = focue("build", str(built.root), "--now", NOW_ARG)
    assert result.code == 1
    assert re.search(r"content/dup-slug-a\.md:\d+: error: .*content/dup-slug-b\.md", result.err)
    assert re.search(r"content/dup-slug-b\.md:\d+: error: .*content/dup-slug-a\.md", result.err)


def test_title_number_builds_as_text(built, focue):
    add(built, "title-number.md")
    assert focue("build", str(built.root), "--now", NOW_ARG).code == 0
    assert '<h1 id="article-headline">2024</h1>' in built.page("2023/10/17/2024/index.html")


def test_tags_string_warns_once_and_is_read_as_a_list(built, focue):
    add(built, "tags-string.md")
    result = focue("build", str(built.root), "--now", NOW_ARG)
    assert result.code == 0
    assert result.err.count("warning") == 1
    assert "content/tags-string.md:4:7: warning:" in result.err
    assert (built.output / "tags/politics/index.html").is_file()
    assert (built.output / "tags/china/index.html").is_file()


def test_html_title_is_escaped_everywhere(built, focue):
    add(built, "html-title.md")
    assert focue("build", str(built.root), "--now", NOW_ARG).code == 0
    pages = list(built.output.rglob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        text = page.read_text()
        assert "<script>alert" not in text, page
        assert "<img src=x" not in text, page
        assert "<b>bold</b>" not in text, page
    article_page = next(built.output.glob("2023/10/17/markets-*/index.html")).read_text()
    assert (
        "Markets &lt;script&gt;alert(1)&lt;/script&gt; &amp; Tom&#39;s &#34;Rally&#34;"
        in article_page
    )
    assert "&lt;script&gt;alert(1)" in built.page("index.html")
    assert "&lt;b&gt;bold&lt;/b&gt;" in built.page("tags/index.html")


def test_read_more_missing_warns_keeps_text_and_writes_no_link(built, focue):
    add(built, "read-more-missing.md")
    result = focue("build", str(built.root), "--now", NOW_ARG)
    assert result.code == 0
    assert (
        "content/read-more-missing.md:7:45: warning: Read More link '2023/10/never-written.md'"
        in result.err
    )
    assert (
        "content/read-more-missing.md:9:12: warning: Read More headline 'Another Headline Nobody Wrote'"
        in result.err
    )
    page = built.page("2023/10/17/points-nowhere/index.html")
    assert "Read More: A Story That Was Never Written</p>" in page
    assert "Read More: Another Headline Nobody Wrote</p>" in page
    assert "never-written" not in page
    assert focue("build", str(built.root), "--now", NOW_ARG, "--strict").code == 1


def test_read_more_self_makes_no_self_link(built, focue):
    add(built, "read-more-self.md")
    result = focue("build", str(built.root), "--now", NOW_ARG)
    assert result.code == 0
    page = built.page("2023/10/17/talks-about-itself/index.html")
    assert 'href="/2023/10/17/talks-about-itself/"' not in page.split('id="site-main"')[1]


def test_future_article_only_with_future(built, focue):
    add(built, "future.md")
    focue("build", str(built.root), "--now", NOW_ARG)
    assert not (built.output / "2099").exists()
    focue("build", str(built.root), "--now", NOW_ARG, "--future")
    assert (built.output / "2099/01/01/from-the-future/index.html").is_file()


@pytest.mark.parametrize(
    "name, url",
    [
        ("toml-frontmatter.md", "2023/10/17/toml-front-matter/"),
        ("unicode-name Café à Paris.md", "2023/10/17/un-cafe-a-paris/"),
    ],
)
def test_valid_oddities_build(built, focue, name, url):
    add(built, name)
    assert focue("build", str(built.root), "--now", NOW_ARG).code == 0
    assert (built.output / url / "index.html").is_file()


def test_long_title_gets_a_sane_slug(built, focue):
    add(built, "long-title.md")
    assert focue("build", str(built.root), "--now", NOW_ARG).code == 0
    [page] = built.output.glob("2023/10/17/long-headline*/index.html")
    assert len(page.parent.name) <= 80


def test_every_bad_input_fixture_is_exercised():
    """A file added to tests/fixtures/badinput without a test here fails this one."""
    files = sorted(
        p.name for p in BADINPUT.glob("*.md") if p.name not in ("EXPECTED.md", "README.md")
    )
    assert len(files) == 32
    source = Path(__file__).read_text(encoding="utf-8")
    assert [name for name in files if f'"{name}"' not in source] == []


def test_every_file_is_accounted_for_on_every_fixture(site, focue, tmp_path):
    """Published, draft, scheduled, expired or an error: the counts add up to the files
    found, in the summary line and in the JSON report, with the fixtures alone and all
    together."""
    names = sorted(
        p.name for p in BADINPUT.glob("*.md") if p.name not in ("EXPECTED.md", "README.md")
    )
    site.write(GOOD)
    for batch in [[name] for name in names] + [names]:
        for old in (site.root / "content").glob("*.md"):
            old.unlink()
        add(site, *batch)
        report = tmp_path / "report.json"
        result = focue("build", str(site.root), "--now", NOW_ARG, "--report", str(report))
        sources = json.loads(report.read_text())["sources"]
        endings = sum(n for name, n in sources.items() if name != "found")
        assert sources["found"] == endings == len(batch) + 2, (batch, sources)
        assert f"{sources['found']} files in content/" in result.out + result.err
        assert "Traceback" not in result.err and result.code in (0, 1)
        errors = {d.split(":")[0] for d in result.err.splitlines() if ": error: " in d}
        assert sources["error"] == len(errors), (batch, errors)
