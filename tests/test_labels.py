"""Story labels (issue 12): `genre:` marks opinion, analysis, sponsored content and
more, on cards, on the article page and in its structured data."""

from __future__ import annotations

import re

import pytest
from conftest import article, json_ld


@pytest.mark.parametrize(
    ("genre", "label", "schema_type"),
    [
        (None, None, "NewsArticle"),
        ("news", None, "NewsArticle"),
        ("opinion", "Opinion", "OpinionNewsArticle"),
        ("analysis", "Analysis", "AnalysisNewsArticle"),
        ("review", "Review", "ReviewNewsArticle"),
        ("explainer", "Explainer", "BackgroundNewsArticle"),
        ("live", "Live", "LiveBlogPosting"),
        ("Sponsored", "Sponsored", "AdvertiserContentArticle"),  # any case
    ],
)
def test_a_genre_is_labelled_on_cards_and_the_page_and_typed_in_json_ld(
    site, genre, label, schema_type
):
    fields = {"genre": genre} if genre else {}
    site.write({"content/a.md": article("The Story", section="World", **fields)})
    result = site.build()
    assert result.ok, [d.format() for d in result.diagnostics]
    page = site.page("2023/10/17/the-story/index.html")
    front = site.page("index.html")
    labels = re.findall(r'<span class="genre-label genre-\w+">([^<]+)</span>', page + front)
    assert labels == ([label, label] if label else [])
    assert json_ld(page)["@type"] == schema_type


def test_sponsored_content_says_so_and_its_outbound_links_are_sponsored(site):
    body = "Visit [the maker](https://maker.example.com/) or [our story](b.md)."
    site.write(
        {
            "content/a.md": article("Paid Post", body=body, genre="sponsored"),
            "content/b.md": article("Our Story", "2023-10-16"),
        }
    )
    assert site.build().ok
    page = site.page("2023/10/17/paid-post/index.html")
    assert '<a href="https://maker.example.com/" rel="sponsored">the maker</a>' in page
    assert '<a href="/2023/10/16/our-story/">our story</a>' in page
    assert "Paid content: written for an advertiser" in page
    other = site.page("2023/10/16/our-story/index.html")
    assert 'rel="sponsored"' not in other and "Paid content" not in other


def test_an_unknown_genre_is_an_error_with_a_hint(site):
    site.write({"content/a.md": article("A", genre="opinon")})
    result = site.build()
    assert [d.format() for d in result.diagnostics] == [
        "content/a.md:4:8: error: genre: 'opinon' is not a genre (did you mean 'opinion'?); "
        "choose from news, opinion, analysis, review, explainer, live, sponsored"
    ]
