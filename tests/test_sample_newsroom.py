"""The sample site shows the newsroom's site (issue 12, done-when): pages, both menus,
the curated front page, labels, corrections, valid sitemaps and feeds."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import FIXTURES, NOW_ARG, copy_sample, json_ld, lead, menu
from lxml import etree
from PIL import Image

BASE = "https://focue.example.com/"
OPINION = "2023/10/19/the-west-should-stop-reading-beijing-and-moscow-as-an-alliance/"
CORRECTED = "2023/10/18/belt-and-road-forum-ends-with-pledges-of-smaller-greener-projects/"
PINNED = "Xi’s $1 Trillion ‘Project of the Century’ Gets a Reality Check"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, dict]:
    site = copy_sample(tmp_path_factory.mktemp("newsroom") / "site")
    report = site / "report.json"
    command = [sys.executable, "-m", "focue_ssg", "build", str(site), "--now", NOW_ARG]
    result = subprocess.run([*command, "--report", str(report)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return site / "output", json.loads(report.read_text())


def page(output: Path, path: str) -> str:
    return (output / path / "index.html").read_text()


def test_pages_are_at_their_urls_in_the_sitemap_and_in_no_feed_or_list(sample):
    output, _ = sample
    assert "<h1" in page(output, "about") and "Corrections policy" in page(
        output, "corrections-policy"
    )
    sitemap = (output / "sitemap.xml").read_text()
    assert f"<loc>{BASE}about/</loc>" in sitemap
    assert f"<loc>{BASE}corrections-policy/</loc>" in sitemap
    for feed in output.rglob("*.xml"):
        if "sitemap" not in feed.name:
            assert "/about/" not in feed.read_text() and "About Focue" not in feed.read_text()
    for listing in output.rglob("index.html"):
        cards = "".join(re.findall(r'<ul class="cards".*?</ul>', listing.read_text(), re.S))
        assert "/about/" not in cards and "/corrections-policy/" not in cards


def test_both_menus_are_on_every_page_with_the_current_entry_marked(sample):
    output, _ = sample
    pages = [p for p in output.rglob("*.html") if 'http-equiv="refresh"' not in p.read_text()]
    assert len(pages) > 50
    for path in pages:
        html = path.read_text()
        main = [name for name, _, _ in menu(html, "Site")]
        assert main == ["Latest", "World", "Business", "Opinion", "China", "Sections"], path
        assert [n for n, _, _ in menu(html, "More")] == [
            "Corrections",
            "About Focue",
            "Corrections policy",
        ]
    world = menu(page(output, "sections/world"), "Site")
    assert [name for name, _, current in world if current] == ["World"]
    footer = menu(page(output, "about"), "More")
    assert [name for name, _, current in footer if current] == ["About Focue"]


def test_the_front_page_leads_with_the_pinned_story_and_shows_the_section_blocks(sample):
    output, report = sample
    html = page(output, "")
    assert lead(html) == PINNED
    blocks = re.findall(r'<section class="section-block"[^>]*>\s*<h2[^>]*><a[^>]*>([^<]+)', html)
    assert blocks == ["World", "Energy", "Politics"]
    assert re.search(r'<ul class="cards" aria-label="Top stories">', html)
    assert report["next_rebuild_at"] == "2030-12-31T16:00:00Z"  # the pin runs out


def test_corrections_list_exactly_the_corrected_articles_and_the_feed_parses(sample):
    output, _ = sample
    html = page(output, "corrections")
    listed = re.findall(r'<h2 class="card-title"><a href="([^"]+)"', html)
    assert listed == [f"/{CORRECTED}"]
    feed = ElementTree.parse(output / "corrections/atom.xml").getroot()
    links = {e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")}
    assert links == {f"{BASE}{CORRECTED}"}


def test_the_opinion_piece_and_the_corrected_article_say_so_in_json_ld(sample):
    output, _ = sample
    assert json_ld(page(output, OPINION))["@type"] == "OpinionNewsArticle"
    corrected = json_ld(page(output, CORRECTED))
    assert [c["@type"] for c in corrected["correction"]] == ["CorrectionComment"]
    assert corrected["publisher"]["correctionsPolicy"] == f"{BASE}corrections-policy/"


def test_the_sitemaps_validate(sample):
    output, _ = sample
    schema = etree.XMLSchema(etree.parse(str(FIXTURES / "xsd/sitemap.xsd")))
    assert schema.validate(etree.parse(str(output / "sitemap.xml"))), schema.error_log
    assert not (output / "news-sitemap.xml").exists()  # no story in the two days before now


def test_the_sample_story_with_photos_shows_them_in_every_size_without_their_gps(sample):
    """Issue 13 on the sample site: the photos beside a story carry a camera's GPS
    position; the pages show them as sized <picture>s, and no output file has it."""
    output, report = sample
    story = "2023/10/17/will-xi-jinpings-gamble-on-vladimir-putin-pay-off/"
    sources = Path(__file__).resolve().parents[1] / "content/2023/10"
    originals = sorted(sources.glob("*.jpg"))
    assert len(originals) == 3
    assert all(0x8825 in Image.open(p).getexif() for p in originals)  # GPS, in the sources
    html = page(output, story)
    assert html.count("<picture>") == 3 and html.count("<figcaption>") == 3
    assert 'fetchpriority="high"' in html.split('<div class="article-body">')[0]
    assert html.count('loading="lazy"') == 2
    data = json_ld(html)
    assert len(data["image"]) == 3 and all("/media/" in url for url in data["image"])
    media = list((output / "media").iterdir())
    assert report["images_encoded"] == len(media) > 40
    for path in media:
        assert not Image.open(path).getexif(), path
    assert not [p for p in output.rglob("*.jpg") if p.parent.name != "media"]
