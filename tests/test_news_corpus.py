"""Issue 5, done when: a 300-article corpus built with --now an hour after its newest story."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from datetime import datetime, timedelta

import feedparser
import pytest
import yaml
from conftest import FIXTURES, REPO
from lxml import etree

from focue_ssg.model.paths import alias_path
from focue_ssg.pages.urls import output_file

H1 = re.compile(r'<h1 id="article-headline">(.*?)</h1>')
CARD = re.compile(r'<h2 class="card-title"><a href="([^"]+)">')


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("news") / "site"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks/make_corpus.py"),
            str(root),
            "--articles",
            "300",
            "--source",
            str(REPO / "benchmarks/seed-article.txt"),
        ],
        check=True,
        capture_output=True,
    )
    (root / "focue.toml").write_text(
        'title = "Corpus News"\nbase_url = "https://corpus.example/"\n'
    )
    sources = {}
    for path in sorted((root / "content").rglob("*.md")):
        sources[path] = yaml.safe_load(path.read_text().split("---")[1])
    published = [f for f in sources.values() if not f.get("draft")]
    now = max(f["date"] for f in published) + timedelta(hours=1)
    build = subprocess.run(
        [sys.executable, "-m", "focue_ssg", "build", str(root), "--now", now.isoformat()],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    output = root / "output"
    pages = {}
    for page in output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"):
        text = page.read_text()
        if "article-headline" in text:
            pages[html.unescape(H1.search(text).group(1))] = (
                "/" + page.parent.relative_to(output).as_posix() + "/",
                text,
            )
    return root, output, now, published, pages


def test_every_feed_parses_with_complete_entries(corpus):
    _, output, _, _, _ = corpus
    feeds = list(output.rglob("atom.xml")) + list(output.rglob("feed.xml"))
    assert len(feeds) > 100
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.bozo_exception)
        if path == output / "corrections/atom.xml":
            assert parsed.entries == []  # the corpus has no correction
            continue
        assert parsed.entries, path
        for entry in parsed.entries:
            assert entry.title and entry.link and entry.id and entry.published_parsed, path


def test_sitemap_validates_and_lists_every_article(corpus):
    _, output, _, _, pages = corpus
    document = etree.parse(str(output / "sitemap.xml"))
    schema = etree.XMLSchema(etree.parse(str(FIXTURES / "xsd/sitemap.xsd")))
    assert schema.validate(document), schema.error_log
    locs = {e.text for e in document.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert len(pages) == 297
    assert {"https://corpus.example" + url for url, _ in pages.values()} <= locs


def test_news_sitemap_lists_exactly_the_last_48_hours(corpus):
    _, output, now, published, pages = corpus
    expected = {
        "https://corpus.example" + pages[f["title"]][0]
        for f in published
        if now - timedelta(hours=48) < f["date"] <= now
    }
    assert len(expected) == 2
    document = etree.parse(str(output / "news-sitemap.xml"))
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "n": "http://www.google.com/schemas/sitemap-news/0.9",
    }
    found = {}
    for url in document.findall("s:url", ns):
        found[url.findtext("s:loc", namespaces=ns)] = url
        assert url.findtext("n:news/n:publication/n:name", namespaces=ns) == "Corpus News"
        assert url.findtext("n:news/n:publication/n:language", namespaces=ns) == "en"
        assert datetime.fromisoformat(
            url.findtext("n:news/n:publication_date", namespaces=ns)
        ).tzinfo
        assert url.findtext("n:news/n:title", namespaces=ns)
    assert set(found) == expected


def test_every_article_has_news_article_data_matching_its_page(corpus):
    _, _, _, published, pages = corpus
    assert len(pages) == len(published) == 297
    authors = {f["title"]: f["authors"] for f in published}
    for title, (_, text) in pages.items():
        block = re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', text, re.S)
        data = json.loads(block.group(1))
        shown = re.search(r'<p class="dateline">\s*<time datetime="([^"]+)"', text).group(1)
        assert data["@type"] == "NewsArticle" and data["headline"] == title
        assert data["datePublished"] == shown
        assert isinstance(data["author"], list) and len(data["author"]) == len(authors[title])
        assert all(a["@type"] == "Person" and a["url"] for a in data["author"])
        assert f'<meta property="article:published_time" content="{shown}">' in text
        assert '<meta property="article:section"' in text and '<meta property="article:tag"' in text


def listing(output, first: str) -> set[str]:
    links, number = set(), 1
    while (
        page := output
        / first.lstrip("/")
        / ("" if number == 1 else f"page/{number}/")
        / "index.html"
    ).is_file():
        links.update(CARD.findall(page.read_text()))
        number += 1
    return links


def test_every_section_and_author_page_lists_exactly_its_articles(corpus):
    _, output, _, published, pages = corpus
    sections: dict[str, set[str]] = {}
    authors: dict[str, set[str]] = {}
    for front in published:
        url = pages[front["title"]][0]
        sections.setdefault(front["section"], set()).add(url)
        for name in front["authors"]:
            authors.setdefault(name, set()).add(url)
    assert (len(sections), len(authors)) == (12, 20)
    for kind, expected in (("sections", sections), ("authors", authors)):
        index = (output / kind / "index.html").read_text()
        found = {
            html.unescape(name): href
            for href, name in re.findall(rf'<li><a href="(/{kind}/[^"]+)">([^<]+)</a>', index)
        }
        assert set(found) == set(expected)
        for name, href in found.items():
            assert listing(output, href) == expected[name], (kind, name)


def test_every_alias_redirects_to_its_article(corpus):
    _, output, _, published, pages = corpus
    count = 0
    for front in published:
        for alias in front.get("aliases", []):
            page = (output / output_file(alias_path(alias, "/"))).read_text()
            target = pages[front["title"]][0]
            assert f'<meta http-equiv="refresh" content="0; url={target}">' in page
            assert f'<link rel="canonical" href="https://corpus.example{target}">' in page
            count += 1
    assert count == 16
