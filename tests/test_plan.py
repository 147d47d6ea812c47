from datetime import UTC, datetime

from conftest import article

from focue_ssg.config.settings import SiteConfig
from focue_ssg.model.site import Selection, build_site
from focue_ssg.pages.kinds.article import ArticleKind
from focue_ssg.pages.plan import find_collisions, plan_site
from focue_ssg.pages.urls import Urls, output_file, page_link
from focue_ssg.source.parse import ParseSettings, SourceFile, parse_source

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def plan(files: dict[str, str], config: SiteConfig):
    parsed = [parse_source(SourceFile(p, t.encode()), ParseSettings())[0] for p, t in files.items()]
    site, _ = build_site(parsed, config, Selection(now=NOW))
    return plan_site(site, {"focue.css": "/static/focue.css?v=1"})


def pages(plan):
    """Every page of a plan with its context, by output path."""
    return {spec.output: plan.page(i) for i, spec in enumerate(plan.specs)}


def test_output_files_for_pretty_urls():
    assert output_file("/2023/10/17/slug/") == "2023/10/17/slug/index.html"
    assert output_file("/") == "index.html"
    assert output_file("/world/slug.html") == "world/slug.html"
    assert page_link("/tags/x/", 1) == "/tags/x/"
    assert page_link("/tags/x/", 3) == "/tags/x/page/3/"


def test_urls_carry_the_base_path():
    urls = Urls.of("https://user.github.io/news/", "/news/")
    assert urls.link("/tags/") == "/news/tags/"
    assert urls.absolute("/tags/") == "https://user.github.io/news/tags/"
    assert urls.media("images/a.jpg") == "/news/images/a.jpg"
    assert urls.media("https://cdn.example/a.jpg") == "https://cdn.example/a.jpg"
    assert Urls.of("/", "/").absolute("/x/") == "/x/"


def test_listing_pages_paginate_with_prev_and_next():
    files = {
        f"{i}.md": article(f"Story {i}", f"2023-10-{10 + i:02d}", tags=["t"]) for i in range(5)
    }
    shown = pages(plan(files, SiteConfig(page_size=2)))
    first, second, last = (
        shown["index.html"],
        shown["page/2/index.html"],
        shown["page/3/index.html"],
    )
    assert [a["title"] for a in first.context["articles"]] == ["Story 4", "Story 3"]
    assert first.context["pagination"]["prev_url"] is None
    assert first.context["pagination"]["next_url"] == "/page/2/"
    assert second.context["pagination"]["prev_url"] == "/"
    assert last.context["pagination"]["next_url"] is None
    assert [a["title"] for a in last.context["articles"]] == ["Story 0"]
    assert "tags/t/page/3/index.html" in shown
    assert shown["tags/index.html"].context["terms"] == [
        {"name": "t", "url": "/tags/t/", "count": 5}
    ]
    assert [a["title"] for a in shown["2023/10/index.html"].context["articles"]] == [
        "Story 4",
        "Story 3",
    ]
    assert shown["2023/index.html"].context["archive"]["months"] == [
        {"name": "October", "url": "/2023/10/", "count": 5}
    ]


def test_empty_site_still_has_its_index_pages_feeds_and_sitemaps():
    outputs = [spec.output for spec in plan({}, SiteConfig()).specs]
    assert outputs == [
        "index.html",
        "atom.xml",
        "feed.xml",
        "tags/index.html",
        "sections/index.html",
        "authors/index.html",
        "corrections/index.html",
        "corrections/atom.xml",
        "search/index.html",
        "search/meta.json",  # and no part or records file: nothing to find
        "404.html",
        "sitemap.xml",  # and no news sitemap: no story is in its window
        "robots.txt",
    ]


def test_read_more_lines_render_the_targets_headline_escaped():
    files = {
        "a.md": article(
            "A", body="Text.\n\nRead More: [old words](b.md)\n\nRead More: Nothing Here"
        ),
        "b.md": article("<b>Bold</b> & Co", "2023-10-01"),
    }
    page = next(
        p for out, p in pages(plan(files, SiteConfig())).items() if out.endswith("/a/index.html")
    )
    body = str(page.context["article"]["body"])
    assert '<a href="/2023/10/01/bold-and-co/">&lt;b&gt;Bold&lt;/b&gt; &amp; Co</a>' in body
    assert "old words" not in body
    assert '<p class="read-more">Read More: Nothing Here</p>' in body


def test_collisions_between_pages_and_static_files_are_errors():
    kind = ArticleKind()
    specs = [
        kind.spec("x/index.html", "article.html", source="content/a.md"),
        kind.spec("x/index.html", "article.html", source="content/b.md"),
    ]
    problems = find_collisions(specs, {"robots.txt": "static/robots.txt"})
    assert [p.format() for p in problems] == [
        "content/b.md: error: output x/index.html is also written by content/a.md"
    ]
    clash = find_collisions([kind.spec("robots.txt", "t")], {"robots.txt": "static/robots.txt"})
    assert [p.format() for p in clash] == [
        "static/robots.txt: error: output robots.txt is also written by the t page"
    ]
    story = kind.spec("a.txt", "t", source="content/a.md")
    clash = find_collisions([story], {"a.txt": "static/a.txt"})
    assert [p.format() for p in clash] == [
        "content/a.md: error: output a.txt is also written by static file static/a.txt"
    ]
