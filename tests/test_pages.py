"""Standalone pages (issue 12): About, Contact, a policy; at their own URL, in
sitemap.xml, and in no list, feed, archive or news sitemap."""

from __future__ import annotations

import re

import pytest
from conftest import article, contents
from lxml import etree

PAGE = "---\ntitle: {title}\n{extra}---\n\n{body}\n"


def page(title: str, body: str = "Text of the page.", **fields: str) -> str:
    extra = "".join(f"{name}: {value}\n" for name, value in fields.items())
    return PAGE.format(title=title, extra=extra, body=body)


@pytest.fixture
def newsroom(site):
    site.write(
        {
            "content/2023/10/story.md": article(
                "Trade Talks Resume",
                "2025-12-31 08:00",
                "See [our policy](../../pages/legal/privacy.md) and [about us](/about/).",
                tags=["Trade"],
                section="World",
            ),
            "content/pages/about.md": page("About Us", updated="2025-12-01 10:00"),
            "content/pages/legal/privacy.md": page("Privacy", "How we keep your data."),
            "content/contact.md": page("Contact", type="page"),
            "content/jekyll-style.md": page("Masthead", layout="page"),
            "content/pages/unfinished.md": page("Unfinished", draft="true"),
        }
    )
    return site


def test_pages_are_built_at_their_urls_without_a_date(newsroom):
    result = newsroom.build()
    assert result.ok, [d.format() for d in result.diagnostics]
    assert result.counts["by kind"]["page"] == 4
    assert result.counts["articles"] == 1
    expected = {
        "about/index.html": "About Us",
        "legal/privacy/index.html": "Privacy",  # nested folders nest the URL
        "contact/index.html": "Contact",  # type: page, outside content/pages/
        "jekyll-style/index.html": "Masthead",  # layout: page
    }
    for rel, title in expected.items():
        html = newsroom.page(rel)
        assert f'<h1 id="page-title">{title}</h1>' in html
        assert 'class="page-page"' in html
    assert len(expected) == 4
    assert not (newsroom.output / "unfinished").exists()  # a draft


def test_a_page_is_in_no_list_feed_archive_or_news_sitemap(newsroom):
    newsroom.build()
    output = contents(newsroom.output)
    pages = [rel for rel in output if rel.endswith(("index.html", ".xml"))]
    assert len(pages) > 15
    places = [
        rel
        for rel in pages
        if b"About Us" in output[rel] and not rel.startswith("about/") and rel != "sitemap.xml"
    ]
    assert places == []
    news = output["news-sitemap.xml"].decode()
    assert "trade-talks-resume" in news and "/about/" not in news


def test_a_page_is_in_the_sitemap_with_lastmod_only_when_it_was_written(newsroom):
    newsroom.build()
    tree = etree.fromstring(contents(newsroom.output)["sitemap.xml"])
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {
        u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
        for u in tree.findall("s:url", ns)
    }
    assert len(entries) > 10
    assert entries["/about/"] == "2025-12-01T10:00:00+00:00"
    assert entries["/legal/privacy/"] is None  # never the build time or the file's mtime
    assert "/unfinished/" not in entries


def test_links_from_articles_to_pages_resolve(newsroom):
    newsroom.build()
    html = newsroom.page("2025/12/31/trade-talks-resume/index.html")
    assert '<a href="/legal/privacy/">our policy</a>' in html
    assert '<a href="/about/">about us</a>' in html


def test_a_read_more_line_must_name_a_story_not_a_page(site):
    site.write(
        {
            "content/a.md": article("A", body="Text.\n\nRead More: [About](pages/about.md)"),
            "content/pages/about.md": page("About"),
        }
    )
    result = site.build()
    assert [d.format() for d in result.diagnostics] == [
        "content/a.md:8:20: warning: Read More link 'pages/about.md' is a page, not a story; "
        "shown as plain text"
    ]


def test_drafts_are_shown_with_drafts(newsroom):
    result = newsroom.build(drafts=True)
    assert result.counts["by kind"]["page"] == 5
    assert "this page is not published" in newsroom.page("unfinished/index.html")


def test_the_page_permalink_setting(newsroom):
    newsroom.write({"focue.toml": 'page_permalink = "/info/{path}.html"\n'})
    assert newsroom.build().ok
    assert (newsroom.output / "info/legal/privacy.html").is_file()
    assert (newsroom.output / "info/about.html").is_file()


def test_a_bad_page_permalink_is_an_error(site, focue):
    site.write({"focue.toml": 'page_permalink = "/{year}/"\n', "content/pages/a.md": page("A")})
    result = focue("build", str(site.root))
    assert result.code == 1
    assert "'page_permalink' = '/{year}/' uses unknown field '{year}'" in result.err


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (  # a page on a section's URL
            {
                "content/a.md": article("A", section="World"),
                "content/pages/sections/world.md": page("World"),
            },
            "content/pages/sections/world.md: error: output sections/world/index.html is also "
            "written by the section.html page",
        ),
        (  # a page on an article's URL
            {
                "focue.toml": 'permalink = "/{slug}/"\n',
                "content/a.md": article("About", slug="about"),
                "content/pages/about.md": page("About us"),
            },
            "content/pages/about.md: error: output about/index.html is also written by "
            "content/a.md",
        ),
        (  # a page on a year archive's URL
            {"content/a.md": article("A"), "content/pages/2023.md": page("Our year")},
            "content/pages/2023.md: error: output 2023/index.html is also written by the "
            "archive.html page",
        ),
    ],
)
def test_a_page_on_another_pages_url_is_an_error_naming_both(site, files, expected):
    site.write(files)
    result = site.build()
    assert not result.ok
    assert [d.format() for d in result.diagnostics if d.is_error] == [expected]


def test_two_pages_on_one_url_name_each_other(site):
    site.write(
        {
            "content/pages/team.md": page("Team"),
            "content/people/team.md": page("Team", type="page"),
        }
    )
    result = site.build()
    assert sorted(d.format() for d in result.diagnostics) == [
        "content/pages/team.md:2: error: URL /team/ is also the URL of content/people/team.md; "
        "give one of them another slug",
        "content/people/team.md:2: error: URL /team/ is also the URL of content/pages/team.md; "
        "give one of them another slug",
    ]


def test_article_fields_on_a_page_are_ignored_with_a_warning(site):
    site.write({"content/pages/a.md": page("A", tags="[x]", date="2023-10-17")})
    result = site.build()
    assert result.ok
    assert sorted(d.format() for d in result.diagnostics) == [
        "content/pages/a.md:3:7: warning: 'tags' is for articles; a page has none, so it is ignored",
        "content/pages/a.md:4:7: warning: 'date' is for articles; a page has none, so it is ignored",
    ]


def test_an_unknown_menu_is_an_error(site):
    site.write({"content/pages/a.md": page("A", menu="[main, footr]")})
    result = site.build()
    messages = [d.format() for d in result.diagnostics]
    assert messages == [
        "content/pages/a.md:3:14: error: menu: 'footr' is not a menu (did you mean 'footer'?); "
        "choose main or footer"
    ]


def test_editing_a_page_rewrites_that_page_only(newsroom):
    newsroom.build()
    about = newsroom.root / "content/pages/about.md"
    about.write_text(about.read_text().replace("Text of the page.", "New text."))
    result = newsroom.build()
    assert result.report.written_paths == ("about/index.html",)
    assert re.search(r"New text\.", newsroom.page("about/index.html"))


def test_every_page_names_a_site_icon_that_exists(newsroom):
    """Without one, browsers ask for /favicon.ico, which a static site does not have."""
    newsroom.build()
    pages = sorted(newsroom.output.rglob("*.html"))
    assert len(pages) == 16  # with /search/
    for path in pages:
        icon = re.search(r'<link rel="icon" href="([^"?]+)[^"]*"', path.read_text())
        assert icon, path
        assert (newsroom.output / icon.group(1).lstrip("/")).is_file(), path
    newsroom.write({"focue.toml": 'logo = "images/logo.png"\n'})
    newsroom.build()
    assert '<link rel="icon" href="/images/logo.png">' in newsroom.page("about/index.html")
