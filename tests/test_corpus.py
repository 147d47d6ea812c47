"""A 400-article generated corpus (issue 2, done-when 2): every page and link accounted for."""

import html
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import NOW_ARG, REPO

CARD_LINK = re.compile(r'<h2 class="card-title"><a href="([^"]+)">')
H1 = re.compile(r'<h1 id="article-headline">(.*?)</h1>')


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks/make_corpus.py"),
            str(root),
            "--articles",
            "400",
            "--source",
            str(REPO / "benchmarks/seed-article.txt"),
        ],
        check=True,
        capture_output=True,
    )
    build = subprocess.run(
        [sys.executable, "-m", "focue_ssg", "build", str(root), "--now", NOW_ARG],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    sources = {}
    for path in sorted((root / "content").rglob("*.md")):
        front = yaml.safe_load(path.read_text().split("---")[1])
        sources[path.relative_to(root / "content").as_posix()] = (front, path.read_text())
    manifest = json.loads((root / "manifest.json").read_text())
    pages = {}
    for page in (root / "output").glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"):
        url = "/" + page.parent.relative_to(root / "output").as_posix() + "/"
        pages[url] = page.read_text()
    return root, build, sources, manifest, pages


def url_by_title(pages):
    return {html.unescape(H1.search(text).group(1)): url for url, text in pages.items()}


def listing_links(output: Path, first: str) -> list[str]:
    links, number = [], 1
    while True:
        folder = output / first.lstrip("/") / ("" if number == 1 else f"page/{number}/")
        if not (folder / "index.html").is_file():
            return links
        links += CARD_LINK.findall((folder / "index.html").read_text())
        number += 1


def test_every_published_article_has_a_page_and_no_draft_does(corpus):
    _, _, sources, manifest, pages = corpus
    titles = url_by_title(pages)
    published = {f["title"] for f, _ in sources.values() if not f.get("draft")}
    drafts = {f["title"] for f, _ in sources.values() if f.get("draft")}
    assert len(published) == manifest["published"] == 397
    assert len(drafts) == manifest["drafts"] == 3
    assert set(titles) == published
    every_page = "".join(pages.values())
    assert not any(html.escape(d, quote=False) in every_page for d in drafts)


def test_index_pages_list_every_article_newest_first(corpus):
    root, _, _, _, pages = corpus
    links = listing_links(root / "output", "/")
    assert len(links) == 397
    assert sorted(links) == sorted(pages)
    dates = [re.search(r'<time datetime="([^"]+)"', pages[u]).group(1) for u in links]
    from datetime import datetime

    stamps = [datetime.fromisoformat(d).timestamp() for d in dates]
    assert stamps == sorted(stamps, reverse=True)


def test_each_tag_lists_exactly_its_articles(corpus):
    root, _, sources, manifest, pages = corpus
    titles = url_by_title(pages)
    expected: dict[str, set[str]] = {}
    for front, _ in sources.values():
        if not front.get("draft"):
            for tag in front["tags"]:
                expected.setdefault(tag, set()).add(titles[front["title"]])
    assert {t: len(u) for t, u in expected.items()} == manifest["tag_counts"]
    tag_index = (root / "output/tags/index.html").read_text()
    found = dict(re.findall(r'<li><a href="(/tags/[^"]+)">([^<]+)</a>', tag_index))
    assert len(found) == len(expected) == 50
    for href, name in found.items():
        assert set(listing_links(root / "output", href)) == expected[html.unescape(name)]


def test_read_more_lines_and_fields_link_to_their_targets(corpus):
    _, build, sources, manifest, pages = corpus
    titles = url_by_title(pages)
    by_path = {path: front["title"] for path, (front, _) in sources.items()}
    broken = {(b["file"], b["target"]) for b in manifest["broken_links"]}
    counts = Counter()
    for path, (front, text) in sources.items():
        if front.get("draft"):
            continue
        counts["article"] += 1
        page = pages[titles[front["title"]]]
        inline = re.findall(r"^Read More: (?:\[[^\]]+\]\(([^)]+)\)|(.+))$", text, re.M)
        for target_path, target_title in inline:
            if (path, target_path) in broken:
                counts["broken"] += 1
                assert f"content/{path}:" in build.stderr and target_path in build.stderr
                continue
            title = by_path[target_path] if target_path else target_title
            url = titles[title]
            assert f'<span class="read-more-label">Read More:</span> <a href="{url}">' in page
            counts["bare" if target_title else "link"] += 1
        block = page.split('id="read-more-title"')[1] if front.get("read_more") else ""
        for target_path in front.get("read_more", []):
            assert f'href="{titles[by_path[target_path]]}"' in block
            counts["field"] += 1
    assert counts["article"] == 397
    assert counts["broken"] == manifest["read_more_broken"] == 5
    assert counts["bare"] == manifest["read_more_bare_title"] == 21
    assert counts["link"] == manifest["read_more_link"] == 184
    assert counts["field"] == 218


def test_broken_links_are_warnings_and_fail_strict(corpus):
    root, build, _, manifest, _ = corpus
    assert len(manifest["broken_links"]) == 5
    for b in manifest["broken_links"]:
        assert re.search(
            rf"content/{re.escape(b['file'])}:\d+:\d+: warning: .*{re.escape(b['target'])}",
            build.stderr,
        )
    strict = subprocess.run(
        [sys.executable, "-m", "focue_ssg", "build", str(root), "--now", NOW_ARG, "--strict"],
        capture_output=True,
        text=True,
    )
    assert strict.returncode == 1
    assert "error: Read More link" in strict.stderr
