"""509 real posts from the 18F blog (Jekyll, then Eleventy) build without rewriting (done-when 5)."""

import html
import re
import shutil
import subprocess
import sys
from collections import Counter

import pytest
import yaml
from conftest import FIXTURES, NOW_ARG, photo

BROKEN = "2016-05-19-content-debt-what-it-is-where-to-find-it-and-how-to-prevent-it-in-the-first-place.md"
H1 = re.compile(r'<h1 id="article-headline">(.*?)</h1>', re.S)


def focue_build(site):
    return subprocess.run(
        [sys.executable, "-m", "focue_ssg", "build", str(site), "--now", NOW_ARG],
        capture_output=True,
        text=True,
    )


IMAGES = re.compile(r'^image: *[\'"]?(/[^\'"\s]+)|!\[[^\]]*\]\((/[^)"\s]+)', re.M)


def copy_assets(site):
    """The migrated posts' photos, as a migration copies the old site's assets/ into
    static/: a placeholder for each (the fixture holds the text only)."""
    placeholder = photo(48, 32, fmt="PNG")
    for post in (site / "content").rglob("*.md"):
        for match in IMAGES.finditer(post.read_text()):
            target = site / "static" / (match.group(1) or match.group(2)).lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="48" height="32"/>'
            target.write_bytes(svg if target.suffix == ".svg" else placeholder)


@pytest.fixture(scope="module")
def blog(tmp_path_factory):
    site = tmp_path_factory.mktemp("18f") / "site"
    shutil.copytree(FIXTURES / "realworld/18f-blog", site)
    copy_assets(site)
    return site


def test_the_unparseable_file_is_the_one_error_named(blog):
    result = focue_build(blog)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        f"content/posts/{BROKEN}:5:9: error: invalid YAML front matter: found character '\\t' that "
        "cannot start any token while scanning for the next token; remove the tab character "
        "(YAML allows spaces only here)"
    ]
    assert "Traceback" not in result.stderr
    assert not (blog / "output").exists()


def test_once_fixed_every_post_has_a_page_under_its_headline(blog):
    broken = blog / "content/posts" / BROKEN
    broken.write_text(broken.read_text().replace("- melody\t\t", "- melody"))
    result = focue_build(blog)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built 509 articles")
    pages = [
        page
        for page in (blog / "output").glob(
            "[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"
        )
        if 'http-equiv="refresh"' not in page.read_text()  # the posts' redirect_from aliases
    ]
    assert len(pages) == 509
    headlines = Counter(
        " ".join(html.unescape(H1.search(page.read_text()).group(1)).split()) for page in pages
    )
    titles = Counter()
    for source in (blog / "content/posts").glob("*.md"):
        front = yaml.safe_load(source.read_text().split("\n---", 1)[0].removeprefix("---"))
        titles[" ".join(html.unescape(str(front["title"])).split())] += 1
    assert headlines == titles
    assert [line.split(": ", 1)[1] for line in result.stderr.splitlines() if "raw <" in line] == [
        "warning: raw </a> closes an element that is not open",
        "warning: raw <h1> in the body: the headline is the page's one <h1>; use ## instead",
        "warning: raw <h2> is never closed",
    ]


def test_headings_named_in_a_sentence_stay_text_and_the_page_keeps_one_h1(blog):
    """18F's "use headings like <H1> and <H2>" passes through Python-Markdown as raw HTML:
    a second <h1> that swallowed the rest of the page, until focue checked raw HTML."""
    page = next((blog / "output").glob("2020/06/*/building-trust-in-a-public-health-crisis*/"))
    text = (page / "index.html").read_text()
    assert "you can use headings like &lt;H1&gt; and &lt;H2&gt;, and style them" in text
    assert len(re.findall(r"<h1[\s>]", text)) == 1


def test_other_generators_template_syntax_is_shown_as_text(blog):
    page = next(
        (blog / "output").glob("2015/03/17/does-18f-pass-the-bechdel-test-for-tech/index.html")
    )
    text = page.read_text()
    assert re.search(
        r"{% image .{1,8}assets/blog/bechdel/team.jpg.{1,8} .{1,8}The 18F team.{1,8} %}", text
    )
