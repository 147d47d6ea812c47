"""News publishing outputs (issue 5): feeds, sitemaps, structured data, more pages, aliases."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from conftest import FIXTURES, article, photo
from lxml import etree

from focue_ssg.pages.kinds import sitemap as sitemaps

XSD = FIXTURES / "xsd"
NOW = datetime(2023, 10, 18, 12, 0, tzinfo=UTC)


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD / name)))


@pytest.fixture
def newsroom(site):
    site.write(
        {
            "focue.toml": 'title = "Daily Focus"\nbase_url = "https://news.example.org/"\ntimezone = "Asia/Shanghai"\n'
            'logo = "images/logo.png"\nfeed_limit = 3\ntwitter_site = "@dailyfocus"\n',
            "static/images/logo.png": photo(400, 80, fmt="PNG"),
            "static/images/wire.jpg": photo(800, 500, gps=True),
            "data/authors.toml": '["Helen Tao"]\nbio = "Covers the economy."\nurl = "https://example.org/helen"\n\n'
            '[mk]\nname = "Mei Kwan"\n',
            "content/2023/10/wire.md": article(
                "Wire Story </script><b>",
                "2023-10-18 09:30",
                "Lead paragraph.\n\nSee [more](https://example.com/x) and [the old one](old.md).\n\n--With assistance from A. One and B. Two.",
                section="World",
                tags=["China", "Trade"],
                authors=["Helen Tao", "mk"],
                source="{name: Wire Service, url: 'https://wire.example/story'}",
                image="images/wire.jpg",
                updated="2023-10-18 11:00",
                summary="A wire summary.",
            ),
            "content/2023/10/old.md": article(
                "Old Story",
                "2023-10-16 08:00",
                section="World",
                tags=["China"],
                authors=["Helen Tao"],
                aliases=["/2021/old-story.html", "/news/old-story/"],
            ),
            "content/2023/10/syndicated.md": article(
                "Syndicated Copy",
                "2023-10-18 10:00",
                section="Business",
                authors=["Unknown Writer"],
                canonical="https://original.example/story",
            ),
            "content/2023/10/hidden.md": article(
                "Hidden From Search", "2023-10-17 20:00", section="Business", noindex=True
            ),
            "content/2023/09/month-end.md": article(
                "Month End Story", "2023-09-30 23:30", section="World"
            ),
            "content/2023/10/early.md": article(
                "Early Story", "2023-10-01 06:00", section="Markets", tags=["Trade"]
            ),
        }
    )
    result = site.build(now=NOW)
    assert result.ok, [d.format() for d in result.diagnostics]
    return site


def feed(site, rel: str):
    parsed = feedparser.parse((site.output / rel).read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


@pytest.mark.parametrize(
    "rel, count",
    [
        ("atom.xml", 3),  # feed_limit = 3
        ("feed.xml", 3),
        ("tags/china/atom.xml", 2),
        ("sections/world/feed.xml", 3),
        ("authors/helen-tao/atom.xml", 2),
    ],
)
def test_feeds_parse_and_have_complete_entries(newsroom, rel, count):
    parsed = feed(newsroom, rel)
    assert len(parsed.entries) == count
    for entry in parsed.entries:
        assert entry.title and entry.link.startswith("https://news.example.org/") and entry.id
        assert entry.published_parsed
        assert entry.summary
    stamps = [e.published_parsed for e in parsed.entries]
    assert stamps == sorted(stamps, reverse=True)


def test_site_feed_is_capped_and_carries_full_content_with_absolute_links(newsroom):
    parsed = feed(newsroom, "atom.xml")
    assert len(parsed.entries) == 3
    first = next(e for e in parsed.entries if e.title.startswith("Wire Story"))
    assert first.title == "Wire Story </script><b>"
    assert [a.name for a in first.authors] == ["Helen Tao", "Mei Kwan"]
    assert first.updated == "2023-10-18T11:00:00+08:00"
    content = first.content[0].value
    assert 'href="https://news.example.org/2023/10/16/old-story/"' in content
    assert "Lead paragraph." in content
    assert [t.term for t in first.tags] == ["China", "Trade"]


def test_pages_link_their_feeds(newsroom):
    index = newsroom.page("index.html")
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Daily Focus (Atom)" href="/atom.xml">'
        in index
    )
    tag = newsroom.page("tags/china/index.html")
    assert 'href="/tags/china/atom.xml"' in tag and 'href="/tags/china/feed.xml"' in tag
    assert 'href="/sections/world/atom.xml"' in newsroom.page("2023/10/18/wire-story/index.html")


def test_sitemap_is_valid_and_lists_indexable_pages_with_real_lastmod(newsroom):
    document = etree.parse(str(newsroom.output / "sitemap.xml"))
    assert schema("sitemap.xsd").validate(document), schema("sitemap.xsd").error_log
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {
        u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
        for u in document.findall("s:url", ns)
    }
    assert entries["https://news.example.org/2023/10/18/wire-story/"] == "2023-10-18T11:00:00+08:00"
    assert entries["https://news.example.org/2023/10/16/old-story/"] == "2023-10-16T08:00:00+08:00"
    assert "https://news.example.org/2023/10/18/syndicated-copy/" not in entries
    assert "https://news.example.org/2023/10/17/hidden-from-search/" not in entries
    assert entries["https://news.example.org/"] == "2023-10-18T11:00:00+08:00"
    assert "https://news.example.org/2021/old-story.html" not in entries
    assert len(entries) > 10
    assert not any(loc.endswith((".xml", "404.html")) for loc in entries)


def test_a_big_sitemap_becomes_an_index_of_valid_parts(newsroom, monkeypatch):
    monkeypatch.setattr(sitemaps, "MAX_URLS", 5)
    # a patched constant is a code change the cache cannot see (an edited file it would):
    # with the sources already trusted, the cached build would rightly say "up to date"
    newsroom.build(now=NOW, use_cache=False)
    index = etree.parse(str(newsroom.output / "sitemap.xml"))
    assert schema("siteindex.xsd").validate(index), schema("siteindex.xsd").error_log
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    parts = [loc.text for loc in index.findall("s:sitemap/s:loc", ns)]
    assert parts[0] == "https://news.example.org/sitemap-1.xml" and len(parts) > 1
    total = 0
    for n in range(1, len(parts) + 1):
        part = etree.parse(str(newsroom.output / f"sitemap-{n}.xml"))
        assert schema("sitemap.xsd").validate(part)
        total += len(part.findall("s:url", ns))
    assert total > 5


def news_entries(site, rel="news-sitemap.xml"):
    if not (site.output / rel).exists():
        return None, {}, {}  # no story in the window: no file (an empty one fails the schema)
    document = etree.parse(str(site.output / rel))
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "n": "http://www.google.com/schemas/sitemap-news/0.9",
    }
    return (
        document,
        ns,
        {u.findtext("s:loc", namespaces=ns): u for u in document.findall("s:url", ns)},
    )


def test_news_sitemap_lists_the_last_two_days_with_the_required_tags(newsroom):
    _, ns, entries = news_entries(newsroom)
    assert set(entries) == {"https://news.example.org/2023/10/18/wire-story/"}
    item = entries["https://news.example.org/2023/10/18/wire-story/"]
    assert item.findtext("n:news/n:publication/n:name", namespaces=ns) == "Daily Focus"
    assert item.findtext("n:news/n:publication/n:language", namespaces=ns) == "en"
    assert item.findtext("n:news/n:publication_date", namespaces=ns) == "2023-10-18T09:30:00+08:00"
    assert item.findtext("n:news/n:title", namespaces=ns) == "Wire Story </script><b>"
    text = (newsroom.output / "news-sitemap.xml").read_text()
    for dropped in ("keywords", "genres", "access", "stock_tickers"):
        assert f"news:{dropped}" not in text


@pytest.mark.parametrize("hours, inside", [(47.9, True), (48.1, False), (-1, False)])
def test_the_news_window_follows_now(newsroom, hours, inside):
    published = datetime(2023, 10, 16, 8, 0, tzinfo=UTC) - timedelta(hours=8)  # Old Story, in UTC
    newsroom.build(now=published + timedelta(hours=hours))
    _, _, entries = news_entries(newsroom)
    assert ("https://news.example.org/2023/10/16/old-story/" in entries) is inside


def test_news_sitemap_splits_beyond_its_limit(newsroom, monkeypatch):
    monkeypatch.setattr(sitemaps, "MAX_NEWS", 1)
    newsroom.write({"content/2023/10/fresh.md": article("Fresh Story", "2023-10-18 08:00")})
    newsroom.build(now=NOW)
    index = etree.parse(str(newsroom.output / "news-sitemap.xml"))
    assert index.getroot().tag.endswith("sitemapindex")
    assert (newsroom.output / "news-sitemap-1.xml").is_file()


def test_robots_points_at_both_sitemaps(newsroom):
    robots = newsroom.page("robots.txt")
    assert "Sitemap: https://news.example.org/sitemap.xml" in robots
    assert "Sitemap: https://news.example.org/news-sitemap.xml" in robots


def test_with_no_story_in_the_window_there_is_no_news_sitemap(newsroom):
    """The schema has no empty sitemap: no file is written, and robots.txt names only
    sitemap.xml; a story coming into the window brings both back."""
    later = NOW + timedelta(days=30)
    result = newsroom.build(now=later)
    assert result.ok
    assert not (newsroom.output / "news-sitemap.xml").exists()
    robots = newsroom.page("robots.txt")
    assert robots.count("Sitemap: ") == 1 and "news-sitemap" not in robots
    assert schema("sitemap.xsd").validate(etree.parse(str(newsroom.output / "sitemap.xml")))
    newsroom.build(now=NOW)
    assert (newsroom.output / "news-sitemap.xml").exists()
    assert newsroom.page("robots.txt").count("Sitemap: ") == 2


def json_ld(page: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', page, re.S)
    return json.loads(block.group(1))


def test_news_article_structured_data_field_by_field(newsroom):
    page = newsroom.page("2023/10/18/wire-story/index.html")
    data = json_ld(page)
    time_values = re.findall(r'<time datetime="([^"]+)"', page.split('id="site-main"')[1])
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Wire Story </script><b>"
    assert data["description"] == "A wire summary."
    assert data["datePublished"] == time_values[0] == "2023-10-18T09:30:00+08:00"
    assert data["dateModified"] == time_values[1] == "2023-10-18T11:00:00+08:00"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Helen Tao",
            "url": "https://news.example.org/authors/helen-tao/",
        },
        {
            "@type": "Person",
            "name": "Mei Kwan",
            "url": "https://news.example.org/authors/mei-kwan/",
        },
    ]
    assert data["publisher"]["name"] == "Daily Focus"
    assert re.fullmatch(
        r"https://news\.example\.org/media/logo-400w-[0-9a-f]{12}\.jpg",
        data["publisher"]["logo"]["url"],
    )
    # the 16:9, 4:3 and 1:1 crops Google asks for, each of 50,000 pixels or more
    assert [re.sub(r"-[0-9a-f]{12}", "", url) for url in data["image"]] == [
        "https://news.example.org/media/wire-800x450.jpg",
        "https://news.example.org/media/wire-667x500.jpg",
        "https://news.example.org/media/wire-500x500.jpg",
    ]
    assert data["articleSection"] == "World"
    assert data["keywords"] == ["China", "Trade"]
    assert (
        data["mainEntityOfPage"]["@id"]
        == data["url"]
        == "https://news.example.org/2023/10/18/wire-story/"
    )
    assert data["inLanguage"] == "en"
    assert data["contributor"] == [
        {"@type": "Person", "name": "A. One"},
        {"@type": "Person", "name": "B. Two"},
    ]
    assert data["isBasedOn"]["url"] == "https://wire.example/story"
    assert "</script><b>" not in page.split("application/ld+json")[1].split("</script>")[0]


def test_open_graph_and_twitter_tags(newsroom):
    page = newsroom.page("2023/10/18/wire-story/index.html")
    # sharing uses the 1.91:1 crop (1200x630 where the photo is that wide), named by a
    # digest of the photo and its parameters
    social = re.search(r'<meta property="og:image" content="([^"]+)">', page).group(1)
    assert re.fullmatch(r"https://news\.example\.org/media/wire-800x420-[0-9a-f]{12}\.jpg", social)
    assert f'<meta name="twitter:image" content="{social}">' in page
    assert '<meta property="og:image:width" content="800">' in page
    assert '<meta property="og:image:height" content="420">' in page
    for tag in (
        '<meta property="og:type" content="article">',
        '<meta property="og:url" content="https://news.example.org/2023/10/18/wire-story/">',
        '<meta property="article:published_time" content="2023-10-18T09:30:00+08:00">',
        '<meta property="article:modified_time" content="2023-10-18T11:00:00+08:00">',
        '<meta property="article:section" content="World">',
        '<meta property="article:tag" content="China">',
        '<meta property="article:tag" content="Trade">',
        '<meta name="twitter:card" content="summary_large_image">',
        '<meta name="twitter:site" content="@dailyfocus">',
    ):
        assert tag in page, tag


def test_canonical_and_noindex_for_syndicated_and_hidden_copy(newsroom):
    syndicated = newsroom.page("2023/10/18/syndicated-copy/index.html")
    assert '<link rel="canonical" href="https://original.example/story">' in syndicated
    hidden = newsroom.page("2023/10/17/hidden-from-search/index.html")
    assert '<meta name="robots" content="noindex">' in hidden
    assert (
        '<link rel="canonical" href="https://news.example.org/2023/10/17/hidden-from-search/">'
        in hidden
    )
    assert '<link rel="canonical" href="https://news.example.org/tags/">' in newsroom.page(
        "tags/index.html"
    )


def card_links(site, rel: str) -> set[str]:
    return set(re.findall(r'<h2 class="card-title"><a href="([^"]+)">', site.page(rel)))


def test_section_and_author_pages_list_exactly_their_articles(newsroom):
    assert card_links(newsroom, "sections/world/index.html") == {
        "/2023/10/18/wire-story/",
        "/2023/10/16/old-story/",
        "/2023/09/30/month-end-story/",
    }
    assert card_links(newsroom, "authors/helen-tao/index.html") == {
        "/2023/10/18/wire-story/",
        "/2023/10/16/old-story/",
    }
    author = newsroom.page("authors/helen-tao/index.html")
    assert "Covers the economy." in author and 'href="https://example.org/helen"' in author
    assert "Mei Kwan" in newsroom.page("authors/mei-kwan/index.html")
    assert card_links(newsroom, "authors/unknown-writer/index.html") == {
        "/2023/10/18/syndicated-copy/"
    }
    byline = newsroom.page("2023/10/18/wire-story/index.html")
    assert (
        'By <a href="/authors/helen-tao/" rel="author">Helen Tao</a> and <a href="/authors/mei-kwan/" rel="author">Mei Kwan</a>'
        in byline
    )
    assert "Unknown Writer" in newsroom.page("authors/index.html")


def test_archives_use_the_local_calendar_date(newsroom):
    assert "/2023/09/30/month-end-story/" in card_links(newsroom, "2023/09/index.html")
    assert "/2023/09/30/month-end-story/" not in card_links(newsroom, "2023/10/index.html")
    year = newsroom.page("2023/index.html")
    assert 'href="/2023/09/">September</a>' in year and 'href="/2023/10/">October</a>' in year


def test_a_month_end_article_ahead_of_utc_lands_in_its_local_month(site):
    site.write(
        {
            "focue.toml": 'timezone = "Asia/Tokyo"\n',
            "content/a.md": article("Tokyo Night", "2023-10-31 23:30"),
            "content/b.md": article("Written With Offset", "2023-11-01T00:30:00+09:00"),
        }
    )
    assert site.build(now=NOW.replace(month=12)).ok
    assert card_links(site, "2023/10/index.html") == {"/2023/10/31/tokyo-night/"}
    assert card_links(site, "2023/11/index.html") == {"/2023/11/01/written-with-offset/"}
    page = site.page("2023/10/31/tokyo-night/index.html")
    assert '<time datetime="2023-10-31T23:30:00+09:00">' in page
    assert json_ld(page)["datePublished"] == "2023-10-31T23:30:00+09:00"
    assert "<published>2023-10-31T23:30:00+09:00</published>" in site.page("atom.xml")


def test_aliases_redirect_to_their_article(newsroom):
    for rel in ("2021/old-story.html", "news/old-story/index.html"):
        page = newsroom.page(rel)
        assert '<meta http-equiv="refresh" content="0; url=/2023/10/16/old-story/">' in page
        assert (
            '<link rel="canonical" href="https://news.example.org/2023/10/16/old-story/">' in page
        )
        assert '<a href="/2023/10/16/old-story/">Old Story</a>' in page


def test_an_alias_on_a_real_page_is_an_error(newsroom, focue):
    newsroom.write({"content/clash.md": article("Clash", "2023-10-10 10:00", aliases=["/tags/"])})
    result = focue("build", str(newsroom.root), "--now", NOW.isoformat())
    assert result.code == 1
    assert (
        "content/clash.md: error: its alias tags/index.html is also written by the tags.html page"
        in result.err
    )


def test_an_alias_that_is_not_a_path_is_an_error(newsroom, focue):
    newsroom.write(
        {"content/bad.md": article("Bad Alias", "2023-10-10 10:00", aliases=["/../../etc/passwd"])}
    )
    result = focue("build", str(newsroom.root), "--now", NOW.isoformat())
    assert result.code == 1
    assert (
        "content/bad.md:4: error: alias '/../../etc/passwd' is not a path on this site"
        in result.err
    )


def test_author_data_file_problems_are_reported(newsroom, focue):
    newsroom.write({"data/authors.toml": '["Helen Tao"]\nbiography = "x"\n'})
    result = focue("build", str(newsroom.root), "--now", NOW.isoformat())
    assert result.code == 1
    assert (
        "data/authors.toml:1: error: author 'Helen Tao': unknown field 'biography' (did you mean 'bio'?)"
        in result.err
    )
