"""Corrections and updates (issue 12): on the article, in its structured data, in the
dates feeds and sitemaps give, and on a site-wide corrections page with its feed."""

from __future__ import annotations

import re

import feedparser
import pytest
from conftest import article, json_ld

CORRECTED = """---
title: Loan Talks Stall
date: 2023-10-17 07:45
corrections:
  - date: 2023-10-18 09:00
    text: An earlier version misstated the size of the loan; it is $5 billion.
  - date: 2023-10-20 12:00
    text: The minister's name was misspelled.
updates:
  - date: 2023-10-19 10:00
    text: Adds the finance ministry's response.
---

Body of the story.
"""
PAGE = "2023/10/17/loan-talks-stall/index.html"


@pytest.fixture
def corrected(site):
    site.write(
        {
            "content/loan.md": CORRECTED,
            "content/plain.md": article("Plain Story", "2023-10-16 07:45"),
            "content/older.md": article(
                "Older Fix",
                "2023-09-01 07:45",
                corrections="[{date: 2023-09-02 08:00, text: Fixed a date.}]",
            ),
        }
    )
    assert site.build().ok
    return site


def test_the_article_shows_its_corrections_and_updates_newest_first(corrected):
    html = corrected.page(PAGE)
    box = re.search(r'<aside class="revisions".*?</aside>', html, re.S).group(0)
    labels = re.findall(r"<strong>(\w+), <time[^>]*>([^<]+)</time>:</strong>", box)
    assert labels == [
        ("Correction", "20 October 2023"),
        ("Correction", "18 October 2023"),
        ("Update", "19 October 2023"),
    ]
    assert "The minister&#39;s name was misspelled." in box


def test_json_ld_carries_the_corrections_and_the_latest_change(corrected):
    data = json_ld(corrected.page(PAGE))
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "An earlier version misstated the size of the loan; it is $5 billion.",
            "datePublished": "2023-10-18T09:00:00+00:00",
        },
        {
            "@type": "CorrectionComment",
            "text": "The minister's name was misspelled.",
            "datePublished": "2023-10-20T12:00:00+00:00",
        },
    ]
    assert data["dateModified"] == "2023-10-20T12:00:00+00:00"
    assert "correction" not in json_ld(corrected.page("2023/10/16/plain-story/index.html"))


def test_feeds_and_the_sitemap_move_to_the_latest_change(corrected):
    feed = feedparser.parse(corrected.page("atom.xml"))
    updated = {e.title: e.updated for e in feed.entries}
    assert len(updated) == 3
    assert updated["Loan Talks Stall"] == "2023-10-20T12:00:00+00:00"
    sitemap = corrected.page("sitemap.xml")
    assert re.search(r"loan-talks-stall/</loc>\s*<lastmod>2023-10-20T12:00:00\+00:00", sitemap)


def test_the_corrections_page_lists_exactly_the_corrected_stories(corrected):
    html = corrected.page("corrections/index.html")
    titles = re.findall(r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a>', html)
    assert titles == ["Loan Talks Stall", "Older Fix"]  # newest correction first
    assert html.count('class="correction"') == 3


def test_the_corrections_feed_parses_with_one_entry_per_correction(corrected):
    feed = feedparser.parse(corrected.page("corrections/atom.xml"))
    assert not feed.bozo
    assert [e.title for e in feed.entries] == [
        "Correction: Loan Talks Stall",
        "Correction: Loan Talks Stall",
        "Correction: Older Fix",
    ]
    assert feed.entries[0].summary == "The minister's name was misspelled."
    assert feed.entries[0].link == "/2023/10/17/loan-talks-stall/"
    assert len({e.id for e in feed.entries}) == 3


def test_a_site_without_corrections_says_so(site):
    site.write({"content/a.md": article("A")})
    assert site.build().ok
    assert "No story has needed a correction." in site.page("corrections/index.html")
    assert feedparser.parse(site.page("corrections/atom.xml")).entries == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "{date: 2023-10-01 08:00, text: Too early.}",
            "content/a.md:4:15: error: corrections item 1 is dated before the article itself",
        ),
        (
            "{date: 2026-02-01 08:00, text: From the future.}",
            "content/a.md:4: error: correction dated 2026-02-01T08:00:00+00:00 is after now "
            "(2026-01-01T00:00:00+00:00)",
        ),
        (
            "{date: 2023-10-18}",
            "content/a.md:4:15: error: corrections item 1 needs a 'text': "
            "what was corrected or added",
        ),
        ("{text: No date.}", "content/a.md:4:15: error: corrections item 1 needs a 'date'"),
        (
            "[just text]",
            "content/a.md:4:15: error: corrections item 1 must be a mapping with 'date' and 'text'",
        ),
    ],
)
def test_a_correction_that_cannot_be_is_an_error(site, entry, message):
    site.write({"content/a.md": article("A", corrections=f"[{entry}]")})
    result = site.build()
    assert [d.format() for d in result.diagnostics] == [message]


def test_policies_go_into_the_publishers_structured_data(site):
    site.write(
        {
            "focue.toml": 'corrections_policy = "corrections-policy"\n'
            'ethics_policy = "https://example.org/ethics"\nmasthead = "about/masthead"\n',
            "content/a.md": article("A"),
            "content/pages/corrections-policy.md": "---\ntitle: Corrections policy\n---\n\nText.\n",
            "content/pages/about/masthead.md": "---\ntitle: Masthead\n---\n\nWho we are.\n",
        }
    )
    result = site.build()
    assert result.ok, [d.format() for d in result.diagnostics]
    publisher = json_ld(site.page("2023/10/17/a/index.html"))["publisher"]
    assert publisher["correctionsPolicy"] == "/corrections-policy/"
    assert publisher["ethicsPolicy"] == "https://example.org/ethics"
    assert publisher["masthead"] == "/about/masthead/"


def test_a_policy_that_names_no_page_is_an_error_at_its_line(site):
    site.write({"focue.toml": 'title = "T"\nmasthead = "nobody"\n', "content/a.md": article("A")})
    result = site.build()
    assert [d.format() for d in result.diagnostics] == [
        "focue.toml:2: error: masthead: 'nobody' is not a URL, and no page has that slug"
    ]
