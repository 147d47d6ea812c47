from datetime import UTC, datetime

from conftest import article

from focue_ssg.config.settings import SiteConfig
from focue_ssg.core.text import text_key
from focue_ssg.model.site import Selection, build_site
from focue_ssg.source.parse import ParseSettings, SourceFile, parse_source

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def parse_all(files: dict[str, str]):
    articles = []
    for path, text in files.items():
        parsed, problems = parse_source(SourceFile(path, text.encode()), ParseSettings())
        assert parsed is not None, problems
        articles.append(parsed)
    return articles


def make(files: dict[str, str], config: SiteConfig | None = None, **selection):
    return build_site(parse_all(files), config or SiteConfig(), Selection(now=NOW, **selection))


def messages(problems) -> list[str]:
    return [p.format() for p in problems]


def test_drafts_and_future_articles_are_left_out_unless_asked():
    files = {
        "live.md": article("Live", "2023-10-17"),
        "draft.md": article("Draft", "2023-10-17", draft=True),
        "later.md": article("Later", "2099-01-01"),
    }
    assert [a.title for a in make(files)[0].articles] == ["Live"]
    assert {a.title for a in make(files, drafts=True)[0].articles} == {"Live", "Draft"}
    assert {a.title for a in make(files, future=True)[0].articles} == {"Live", "Later"}


def test_articles_are_newest_first_with_ties_by_path():
    files = {
        "b.md": article("B", "2023-10-17 08:00"),
        "a.md": article("A", "2023-10-17 08:00"),
        "c.md": article("C", "2023-10-18 08:00"),
    }
    assert [a.path for a in make(files)[0].articles] == ["c.md", "a.md", "b.md"]


def test_permalinks_use_the_local_calendar_date():
    config = SiteConfig(timezone="Asia/Shanghai")
    files = {
        "naive.md": article("Naive", "2023-10-31 23:30", section="World"),
        "offset.md": article("Offset", "2023-10-31T20:00:00-04:00"),
        "own-zone.md": article("Own Zone", "2023-10-31T20:00:00-04:00", timezone="Asia/Tokyo"),
    }
    parsed = [
        parse_source(SourceFile(p, t.encode()), ParseSettings(config.timezone))[0]
        for p, t in files.items()
    ]
    site, _ = build_site(parsed, config, Selection(now=NOW))
    assert site.permalinks["naive.md"] == "/2023/10/31/naive/"
    assert site.permalinks["offset.md"] == "/2023/10/31/offset/"
    assert site.permalinks["own-zone.md"] == "/2023/11/01/own-zone/"
    site2, _ = build_site(
        parsed, SiteConfig(permalink="/{section}/{slug}.html"), Selection(now=NOW)
    )
    assert site2.permalinks["naive.md"] == "/world/naive.html"
    assert site2.permalinks["offset.md"] == "/news/offset.html"


def test_duplicate_urls_name_both_files():
    files = {
        "dup-slug-a.md": article("One", "2023-10-17 07:45", slug="same-story"),
        "dup-slug-b.md": article("Two", "2023-10-17 09:00", slug="same-story"),
    }
    problems = messages(make(files)[1])
    assert len(problems) == 2
    assert all("URL /2023/10/17/same-story/" in p for p in problems)
    assert any(
        p.startswith("content/dup-slug-a.md:4") and "content/dup-slug-b.md" in p for p in problems
    )
    assert any(
        p.startswith("content/dup-slug-b.md:4") and "content/dup-slug-a.md" in p for p in problems
    )


def test_tags_merge_spellings_and_colliding_slugs_stay_distinct():
    files = {
        "a.md": article("A", tags=["C", "China"]),
        "b.md": article("B", tags=["C++", "china"]),
        "c.md": article("C", tags=["C#", "China"]),
        "d.md": article("D", tags=["Belt & Road"]),
        "e.md": article("E", tags=["Belt and Road"]),
    }
    site, _ = make(files)
    slugs = {t.name: t.slug for t in site.tags.terms}
    assert slugs["China"] == "china"
    assert len({slugs["C"], slugs["C++"], slugs["C#"]}) == 3
    assert sorted(slugs.values()) == sorted(set(slugs.values()))
    assert len(site.tags.by_key[text_key("china")].articles) == 3
    assert {slugs["Belt & Road"], slugs["Belt and Road"]} == {"belt-and-road", "belt-and-road-2"}


def test_inline_read_more_resolves_by_relative_and_root_paths_titles_and_urls():
    files = {
        "2023/10/seed.md": article(
            "Seed",
            body="""
            Intro.

            Read More: [Relative](../09/rel.md)

            Read More: [Root](2023/08/root.md)

            Read More: “Curly”   quoted HEADLINE

            Read More: [By URL](/2023/07/01/by-url/)
        """,
        ),
        "2023/09/rel.md": article("Rel", "2023-09-01"),
        "2023/08/root.md": article("Root", "2023-08-01"),
        "2023/06/q.md": article('"Curly" Quoted Headline', "2023-06-01"),
        "2023/07/u.md": article("By URL", "2023-07-01"),
    }
    site, problems = make(files)
    assert problems == ()
    targets = [t.path for t in site.inline_targets["2023/10/seed.md"]]
    assert targets == ["2023/09/rel.md", "2023/08/root.md", "2023/06/q.md", "2023/07/u.md"]


def test_unresolved_self_and_draft_targets_warn_and_do_not_link():
    files = {
        "a.md": article(
            "Talks About Itself",
            body="""
            Text.

            Read More: Talks About Itself

            Read More: [Gone](never-written.md)

            Read More: [Hidden](draft.md)
        """,
            read_more=["a.md"],
        ),
        "draft.md": article("Hidden", draft=True),
    }
    site, problems = make(files)
    assert [t.path for t in site.inline_targets["a.md"]] == [None, None, None]
    assert site.read_more["a.md"] == ()
    found = messages(problems)
    assert any("a.md:9:" in p and "points at this article itself" in p for p in found)
    assert any("a.md:11:" in p and "'never-written.md' matches no article" in p for p in found)
    assert any("a.md:13:" in p and "is a draft" in p for p in found)
    assert any(
        "a.md:4:" in p and "read_more entry 'a.md' points at this article itself" in p
        for p in found
    )
    assert len(found) == 4
    assert all(p.split(": ")[1] == "warning" for p in found)


def test_front_matter_read_more_by_path_slug_or_title_comes_first():
    files = {
        "a.md": article("Main", tags=["x"], read_more=["b.md", "third-story", "Fourth Story"]),
        "b.md": article("Second", "2023-10-16", tags=["y"]),
        "c.md": article("Third Story", "2023-10-15", tags=["y"]),
        "d.md": article("Fourth Story", "2023-10-14", tags=["y"]),
        "e.md": article("Related By Tag", "2023-10-13", tags=["x"]),
    }
    site, problems = make(files)
    assert problems == ()
    assert site.read_more["a.md"] == ("b.md", "c.md", "d.md", "e.md")


def test_read_more_block_is_capped_and_never_holds_self_or_drafts():
    files = {
        f"{i}.md": article(f"Story {i}", f"2023-10-{10 + i:02d}", tags=["x"]) for i in range(8)
    }
    files["draft.md"] = article("Draft", tags=["x"], draft=True)
    site, _ = make(files, SiteConfig(related_articles=3))
    assert len(site.read_more) == 8
    for path, block in site.read_more.items():
        assert len(block) == 3
        assert path not in block and "draft.md" not in block


def test_backlinks_list_articles_that_point_here():
    files = {
        "a.md": article("A", "2023-10-17", body="x\n\nRead More: Target"),
        "b.md": article("B", "2023-10-18", read_more=["t.md"]),
        "t.md": article("Target", "2023-10-01"),
    }
    site, _ = make(files)
    assert site.backlinks["t.md"] == ("b.md", "a.md")


def test_body_links_to_markdown_files_resolve():
    files = {
        "2023/10/a.md": article("A", body="See [this](b.md#part) and [that](missing.md)."),
        "2023/10/b.md": article("B"),
    }
    site, problems = make(files)
    targets = site.link_targets["2023/10/a.md"]
    assert (targets[0].path, targets[0].fragment) == ("2023/10/b.md", "part")
    assert targets[1].path is None
    assert "link 'missing.md' matches no article; shown without a link" in messages(problems)[0]
