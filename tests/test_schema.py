from zoneinfo import ZoneInfo

from focue_ssg.core.text import isoformat, plain_text
from focue_ssg.source.fields import Fields, read_fields
from focue_ssg.source.front_matter import parse_front_matter

UTC = ZoneInfo("UTC")


def read(text: str, stem: str = "x", zone=UTC):
    front = parse_front_matter("content/x.md", text)
    return read_fields("content/x.md", front, stem, zone)


def fields(text: str, **kw) -> Fields:
    result, problems = read(text, **kw)
    assert result is not None, [p.format() for p in problems]
    return result


def messages(text: str, **kw) -> list[str]:
    return [p.format() for p in read(text, **kw)[1]]


def test_required_fields():
    assert messages("---\ndate: 2023-10-17\n---\n") == [
        "content/x.md:1: error: title is required: add a 'title:' line to the front matter"
    ]
    assert "date is required" in messages("---\ntitle: T\n---\n")[0]


def test_numeric_and_boolean_titles_keep_their_text():
    assert fields("---\ntitle: 2024\ndate: 2023-10-17\n---\n").title == "2024"
    assert fields("---\ntitle: Yes\ndate: 2023-10-17\n---\n").title == "Yes"


def test_titles_decode_html_entities_once():
    assert (
        fields("---\ntitle: Interior&#39;s feeds\ndate: 2023-10-17\n---\n").title
        == "Interior's feeds"
    )


def test_article_timezone_overrides_the_site_zone():
    f = fields("---\ntitle: T\ndate: 2023-10-31 23:30\ntimezone: Asia/Tokyo\n---\n")
    assert isoformat(f.date) == "2023-10-31T23:30:00+09:00"


def test_migration_aliases():
    f = fields(
        "---\ntitle: T\ndate: 2023-10-17\nauthor: Jane Doe\nexcerpt: <p>An <b>excerpt</b>.</p>\n"
        "lastmod: 2023-10-18\ncategories: [Politics, Other]\npublished: false\n"
        "redirect_from: /old/\n---\n"
    )
    assert f.authors == ("Jane Doe",)
    assert f.summary == "An excerpt."
    assert isoformat(f.updated) == "2023-10-18T00:00:00+00:00"
    assert f.section == "Politics"
    assert f.draft is True
    assert f.aliases == ("/old/",)


def test_summary_prefers_summary_then_description_then_excerpt():
    f = fields("---\ntitle: T\ndate: 2023-10-17\nexcerpt: E\ndescription: D\n---\n")
    assert f.summary == "D"


def test_date_from_jekyll_file_name_when_absent():
    f = fields("---\ntitle: T\n---\n", stem="2024-12-5-18f-project-defaults")
    assert isoformat(f.date) == "2024-12-05T00:00:00+00:00"


def test_tags_as_a_string_warn_and_split():
    result, problems = read("---\ntitle: T\ndate: 2023-10-17\ntags: politics, china\n---\n")
    assert result.tags == ("politics", "china")
    assert problems[0].severity == "warning"
    assert problems[0].line == 4


def test_nested_tags_are_errors_naming_the_field():
    result, problems = read("---\ntitle: T\ndate: 2023-10-17\ntags:\n  - name: x\n---\n")
    assert result is None
    assert (
        problems[0].format() == "content/x.md:5:5: error: 'tags' item 1 must be text, not a mapping"
    )


def test_tags_are_deduplicated_ignoring_case_and_spacing():
    f = fields(
        "---\ntitle: T\ndate: 2023-10-17\ntags: [China, china, ' China ', Belt  and Road]\n---\n"
    )
    assert f.tags == ("China", "Belt and Road")


def test_draft_must_be_a_boolean():
    result, problems = read('---\ntitle: T\ndate: 2023-10-17\ndraft: "false"\n---\n')
    assert result is None
    assert "draft: must be true or false" in problems[0].message


def test_source_as_text_url_or_mapping():
    assert (
        fields("---\ntitle: T\ndate: 2023-10-17\nsource: Bloomberg\n---\n").source.name
        == "Bloomberg"
    )
    f = fields(
        "---\ntitle: T\ndate: 2023-10-17\nsource: {name: Reuters, url: 'https://reuters.com/x'}\n---\n"
    )
    assert (f.source.name, f.source.url) == ("Reuters", "https://reuters.com/x")
    f = fields("---\ntitle: T\ndate: 2023-10-17\nsource: https://www.example.org/story\n---\n")
    assert (f.source.name, f.source.url) == ("example.org", "https://www.example.org/story")
    assert "needs 'name'" in messages("---\ntitle: T\ndate: 2023-10-17\nsource: {url: x}\n---\n")[0]


def test_unknown_fields_are_kept_for_templates():
    f = fields("---\ntitle: T\ndate: 2023-10-17\nlayout: post\nhero: true\n---\n")
    assert f.extra == {"layout": "post", "hero": True}


def test_read_more_entries_keep_their_lines():
    f = fields("---\ntitle: T\ndate: 2023-10-17\nread_more:\n  - a.md\n  - Some Title\n---\n")
    assert [(r.target, r.line) for r in f.read_more] == [("a.md", 5), ("Some Title", 6)]


def test_invalid_slug_suggests_one():
    assert messages("---\ntitle: T\ndate: 2023-10-17\nslug: ../../etc/x\n---\n") == [
        "content/x.md:4:7: error: slug: '../../etc/x' is not a valid slug; use letters, digits "
        "and hyphens such as 'etc-x'"
    ]


def test_updated_before_date_warns():
    problems = read("---\ntitle: T\ndate: 2023-10-17\nupdated: 2023-10-16\n---\n")[1]
    assert [p.severity for p in problems] == ["warning"]


def test_every_error_in_a_file_is_reported():
    found = messages("---\ntitle: T\ndate: nope\nslug: a/b\ndraft: maybe\n---\n")
    assert len(found) == 3


def test_plain_text_strips_tags_and_entities():
    assert plain_text("<p>Tom &amp; Jerry</p>\n<p>again</p>") == "Tom & Jerry again"
