from focue_ssg.core.errors import Diagnostic
from focue_ssg.source.dates import InvalidTimestamp
from focue_ssg.source.front_matter import FrontMatter, parse_front_matter


def parse(text: str) -> FrontMatter:
    result = parse_front_matter("content/x.md", text)
    assert isinstance(result, FrontMatter), result
    return result


def problem(text: str) -> Diagnostic:
    result = parse_front_matter("content/x.md", text)
    assert isinstance(result, Diagnostic), result
    return result


def test_yaml_values_with_positions_and_raw_text():
    front = parse("---\ntitle: 2024\ntags:\n  - on\n  - C++\n---\nBody line\n")
    assert front.values["title"] == 2024
    assert front.positions["title"].raw == "2024"
    assert (front.positions["title"].line, front.positions["title"].column) == (2, 8)
    assert [p.raw for p in front.positions["tags"].items] == ["on", "C++"]
    assert front.positions["tags"].items[1].line == 5


def test_body_line_points_at_the_file_line_after_the_closing_fence():
    front = parse("---\ntitle: x\n---\n\nFirst paragraph.\n")
    body_lines = front.body.split("\n")
    first = next(i for i, line in enumerate(body_lines) if line.strip())
    assert front.body_line + first == 5


def test_toml_front_matter():
    front = parse('+++\ntitle = "T"\ndate = 2023-10-17T07:45:00+08:00\n+++\nBody.\n')
    assert front.values["title"] == "T"
    assert front.positions["date"].line == 3


def test_impossible_yaml_dates_become_markers_not_crashes():
    front = parse("---\ndate: 2023-02-30\n---\n")
    assert isinstance(front.values["date"], InvalidTimestamp)


def test_duplicate_keys_are_noted():
    front = parse("---\ntitle: a\ntitle: b\n---\n")
    assert front.values["title"] == "b"
    assert front.duplicate_keys == (("title", 3),)


def test_unclosed_quote_points_at_the_opening_quote():
    d = problem('---\ntitle: "Unclosed\ndate: 2023-10-17\n---\nBody\n')
    assert (d.line, d.column) == (2, 8)
    assert "invalid YAML" in d.message


def test_tab_indentation_is_explained():
    d = problem("---\ntitle: T\ntags:\n\t- World\n---\n")
    assert d.line == 4
    assert "indent with spaces, not tabs" in d.message


def test_trailing_tab_after_a_value_is_rejected_with_a_hint():
    d = problem("---\ntitle: T\nauthors:\n- melody\t\t\n---\n")
    assert d.line == 4
    assert "remove the tab" in d.message


def test_missing_unterminated_and_list_front_matter():
    assert "no front matter" in problem("Just text.\n").message
    assert "never closed" in problem("---\ntitle: x\n\nBody\n").message
    assert "is a list" in problem("---\n- title: x\n---\n").message


def test_invalid_toml_has_a_line():
    d = problem('+++\ntitle = "x"\ndate = \n+++\n')
    assert d.line == 3
    assert "invalid TOML" in d.message
