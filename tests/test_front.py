"""The curated front page (issue 12): a pinned or featured lead, top stories, section
blocks from [home], the river after them, section pages with their own lead, and the
moments "now" changes the choice."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import NOW, NOW_ARG, article, contents, lead, photo

from focue_ssg.pipeline import BuildOptions, build

HOME = """title = "Front"
page_size = 3

[home]
sections = ["World", "Business", "Sport"]
section_stories = 2
top_stories = 2
top_story_days = 2
"""
PIN_ENDS = "2026-01-01T06:00:00+00:00"  # the build's "now" is 2026-01-01T00:00Z


def stories() -> dict[str, str]:
    return {
        "focue.toml": HOME,
        "static/images/summit.jpg": photo(700, 400),
        "content/pinned.md": article(
            "Summit Deal Reached",
            "2025-12-20 10:00",
            section="World",
            pinned_until=PIN_ENDS,
            image="images/summit.jpg",
            image_alt="Leaders at the summit",
        ),
        "content/feat1.md": article(
            "Markets Surge", "2025-12-31 10:00", section="Business", featured=True
        ),
        "content/feat2.md": article(
            "Storm Hits Coast", "2025-12-30 10:00", section="World", featured=True
        ),
        "content/feat3.md": article(
            "Old Feature", "2025-12-10 10:00", section="Business", featured=True
        ),
        "content/w1.md": article("World One", "2025-12-31 09:00", section="World"),
        "content/w2.md": article("World Two", "2025-12-29 09:00", section="World"),
        "content/w3.md": article("World Three", "2025-12-28 09:00", section="World"),
        "content/b1.md": article("Business One", "2025-12-31 08:00", section="Business"),
        "content/s1.md": article("Sport One", "2025-12-27 08:00", section="Sport"),
        "content/t1.md": article("Tech One", "2025-12-31 11:00", section="Technology"),
    }


def titles(html: str, label: str) -> list[str]:
    """The card titles of the list with this aria-label."""
    found = re.search(rf'<ul class="cards" aria-label="{label}">(.*?)</ul>', html, re.S)
    return re.findall(r'class="card-title"><a[^>]*>([^<]+)</a>', found.group(1)) if found else []


def blocks(html: str) -> list[str]:
    return re.findall(r'<section class="section-block"[^>]*>\s*<h2[^>]*><a[^>]*>([^<]+)', html)


@pytest.fixture
def front(site, focue, tmp_path):
    site.write(stories())
    report = tmp_path / "report.json"
    result = focue("build", str(site.root), "--now", NOW_ARG, "--report", str(report))
    assert result.code == 0, result.err
    site.report = json.loads(report.read_text())
    return site


def test_the_front_page_leads_with_the_pinned_story_then_top_stories_blocks_and_river(front):
    html = front.page("index.html")
    assert lead(html) == "Summit Deal Reached"
    # the lead card's photo: in its sizes, sized, fetched first
    card = html.split('class="lead-story"')[1].split("</article>")[0]
    assert re.search(
        r'<img alt="Leaders at the summit" class="lead-story-image" src="/media/summit-700w-[0-9a-f]{12}\.jpg" '
        r'srcset="[^"]+" sizes="[^"]+" width="700" height="400" fetchpriority="high">',
        card,
    )
    assert card.count("<source ") == 2 and "loading=" not in card
    # featured and recent, newest first; the week-old feature is not a top story
    assert titles(html, "Top stories") == ["Markets Surge", "Storm Hits Coast"]
    assert blocks(html) == ["World", "Business", "Sport"]  # in the order configured
    assert titles(html, "World") == ["World One", "World Two"]  # nothing shown above again
    assert titles(html, "Business") == ["Business One", "Old Feature"]
    assert titles(html, "Sport") == ["Sport One"]
    # the river is the first page's slice, less what is shown above it
    assert titles(html, "Latest") == ["Tech One"]
    assert html.index("lead-story") < html.index("Top stories") < html.index('"Sport"')
    assert html.index('"Sport"') < html.index('aria-label="Latest"')


def test_later_pages_of_the_river_are_cut_as_without_a_curated_front(front, tmp_path):
    curated = [front.page(f"page/{n}/index.html") for n in (2, 3, 4)]
    assert [titles(html, "Articles") for html in curated] == [
        ["Business One", "Storm Hits Coast", "World Two"],
        ["World Three", "Sport One", "Summit Deal Reached"],
        ["Old Feature"],
    ]
    assert all(lead(html) is None and "Top stories" not in html for html in curated)


def test_a_section_page_leads_with_its_own_featured_story(front):
    business = front.page("sections/business/index.html")
    assert lead(business) == "Markets Surge"
    assert titles(business, "Latest") == ["Business One", "Old Feature"]  # less its lead
    assert lead(front.page("sections/world/index.html")) == "Summit Deal Reached"
    assert lead(front.page("sections/technology/index.html")) is None
    world_2 = front.page("sections/world/page/2/index.html")
    assert lead(world_2) is None and titles(world_2, "Articles") == [
        "World Three",
        "Summit Deal Reached",
    ]
    assert lead(front.page("tags/index.html")) is None


def test_the_pin_runs_out_at_its_time_and_was_the_next_rebuild(front, focue, tmp_path):
    assert front.report["next_rebuild_at"] == "2026-01-01T06:00:00Z"
    report = tmp_path / "later.json"
    focue("build", str(front.root), "--now", PIN_ENDS, "--report", str(report))
    html = front.page("index.html")
    assert lead(html) == "Markets Surge"  # the newest featured story
    assert titles(html, "Top stories") == ["Storm Hits Coast"]
    assert lead(front.page("sections/world/index.html")) == "Storm Hits Coast"
    written = json.loads(report.read_text())["files"]["written_paths"]
    # only the pages that showed the pinned story as their lead are made again
    assert sorted(p for p in written if p.endswith(".html")) == [
        "index.html",
        "sections/world/index.html",
    ]


def test_a_story_leaving_a_block_rewrites_only_the_pages_that_showed_it(front):
    front.write(
        {"content/w1.md": article("World One", "2025-12-31 09:00", section="World", featured=True)}
    )
    result = front.build()
    html = front.page("index.html")
    assert titles(html, "Top stories") == ["Markets Surge", "World One"]
    assert titles(html, "World") == ["Storm Hits Coast", "World Two"]  # it left the block
    assert [p for p in result.report.written_paths if p.endswith(".html")] == ["index.html"]


def test_a_top_story_ages_out_of_the_window(front, focue, tmp_path):
    later = "2026-01-01T10:00:00+00:00"  # two days after Storm Hits Coast
    focue("build", str(front.root), "--now", later)
    html = front.page("index.html")
    assert lead(html) == "Markets Surge"
    assert titles(html, "Top stories") == []
    assert "Top stories" not in html


def test_the_same_input_gives_the_same_front_page(front, tmp_path):
    first = contents(front.output)
    fresh = tmp_path / "again"
    shutil.copytree(front.root, fresh, ignore=shutil.ignore_patterns("output", ".focue-cache"))
    assert build(BuildOptions(site_dir=fresh, now=NOW)).ok
    assert contents(fresh / "output") == first


def test_pinned_stories_of_the_same_time_lead_in_path_order(site):
    pinned = dict(pinned_until="2026-02-01 00:00", section="World")
    site.write(
        {
            "content/b.md": article("Bee", "2025-12-01 10:00", **pinned),
            "content/a.md": article("Ay", "2025-12-01 10:00", **pinned),
            "content/c.md": article("Sea", "2025-11-01 10:00", featured=True),
        }
    )
    assert site.build().ok
    html = site.page("index.html")
    assert lead(html) == "Ay"
    assert titles(html, "Top stories") == ["Bee"]  # still pinned: a top story, before features


def test_without_featured_stories_the_front_page_is_the_river(site):
    site.write({"content/a.md": article("Ay"), "content/b.md": article("Bee", "2023-10-16")})
    assert site.build().ok
    html = site.page("index.html")
    assert lead(html) is None and "Top stories" not in html and "section-block" not in html
    assert titles(html, "Articles") == ["Ay", "Bee"]


def test_front_matter_errors_name_their_line(site):
    site.write(
        {
            "content/a.md": article("Ay", featured="maybe"),
            "content/b.md": article("Bee", pinned_until="next week"),
            "content/c.md": article("Sea", "2023-10-17 07:45", pinned_until="2023-10-01 00:00"),
        }
    )
    result = site.build()
    shown = [d.format() for d in result.diagnostics]
    assert (
        "content/a.md:4:11: error: featured: must be true or false (without quotes), not 'maybe'"
        in shown
    )
    assert any(s.startswith("content/b.md:4:15: error: pinned_until: 'next week'") for s in shown)
    assert "content/c.md:4:15: warning: pinned_until is earlier than date" in shown
    assert not result.ok


def test_sticky_is_read_as_featured(site):
    site.write(
        {"content/a.md": article("Ay", sticky=True), "content/b.md": article("Bee", "2023-10-18")}
    )
    assert site.build().ok
    assert lead(site.page("index.html")) == "Ay"


def test_home_settings_are_checked_at_their_lines(site):
    site.write(
        {
            "focue.toml": 'title = "x"\n\n[home]\nsections = "World"\ntop_stories = -1\nsection_story = 2\n',
            "content/a.md": article("Ay", section="World"),
        }
    )
    shown = [d.format() for d in site.build().diagnostics]
    assert "focue.toml:4: error: home.sections must be a list of section names" in shown
    assert "focue.toml:5: error: home.top_stories must be 0 or more" in shown
    assert (
        "focue.toml:6: error: home: unknown key 'section_story' (did you mean 'section_stories'?)"
        in shown
    )


def test_a_block_of_a_section_with_no_story_is_a_warning(site):
    site.write(
        {
            "focue.toml": '[home]\nsections = ["Wrold", "Business"]\n',
            "content/a.md": article("Ay", section="World"),
            "content/b.md": article("Bee", section="Business"),
        }
    )
    result = site.build()
    assert result.ok
    assert [d.format() for d in result.diagnostics] == [
        "focue.toml:2: warning: home.sections: no published story is in section 'Wrold' "
        "(did you mean 'World'?); its block is left out"
    ]
    assert blocks(site.page("index.html")) == ["Business"]


def test_a_page_that_is_featured_is_told_it_has_no_effect(site):
    site.write({"content/pages/about.md": "---\ntitle: About\nfeatured: true\n---\n\nUs.\n"})
    result = site.build()
    assert result.ok
    assert any("featured" in d.message and d.line == 3 for d in result.diagnostics)
