"""benchmarks/odd_values.py: every setting and front-matter field given odd values."""

from __future__ import annotations

import pytest
from conftest import benchmark

from focue_ssg.config.settings import settings
from focue_ssg.model.fields import KNOWN_FIELDS


@pytest.fixture(scope="module")
def probe():
    return benchmark("odd_values")


def test_crashes_and_slow_builds_are_flagged(probe):
    assert probe.verdict(1, 0.2, "content/a.md:4: error: bad") is None
    assert probe.verdict(0, 0.2, "") is None
    assert probe.verdict(3, 0.2, "focue: internal error: OSError: ...") == "CRASH"
    assert probe.verdict(1, 0.2, "Traceback (most recent call last):") == "CRASH"
    assert probe.verdict(0, 10.5, "") == "SLOW"


def test_every_setting_and_field_is_given_each_value(probe):
    config = [name for name, _ in probe.config_cases(["0"])]
    for key in set(settings()) - {"home", "images", "menu"}:
        assert f"focue.toml {key} = 0" in config
    for key in ("home] top_story_days", "images] widths", "[menu.main]] section"):
        assert f"focue.toml [{key} = 0" in config
    authors = {name for name, _ in probe.author_cases(["0"])}
    assert authors == {f"authors.toml {field} = 0" for field in ("name", "bio", "url", "image")}
    fields = {name for name, _ in probe.front_matter_cases(["0"])}
    assert {f"story {field}: 0" for field in KNOWN_FIELDS} <= fields
    assert {f"page {field}: 0" for field in KNOWN_FIELDS - {"title", "date"}} <= fields


@pytest.mark.parametrize(
    "name",
    [
        "focue.toml [home] top_story_days = 9223372036854775807",
        f'story image: "{"x" * 300}"',
        'focue.toml authors_file = "\\u0000"',
    ],
)
def test_cases_that_crashed_build_now(probe, name):
    value = name.split(" = ", 1)[-1] if " = " in name else name.split(": ", 1)[1]
    cases = dict(probe.config_cases([value])) | dict(probe.front_matter_cases([value]))
    code, _, err = probe.build(cases[name])
    assert probe.verdict(code, 0, err) is None and code in (0, 1), err


def test_the_probe_reports_and_exits_by_what_it_found(probe, monkeypatch, capsys):
    monkeypatch.setattr(probe, "_config_keys", lambda: (["title"], {"home": ["top_stories"]}))
    monkeypatch.setattr(probe, "VALUES", ['"x"', "-1"])
    assert probe.main(["--only", "config"]) == 0
    # title and [home] top_stories, and the four fields of an author, each twice
    assert capsys.readouterr().out.splitlines()[-1] == "12 cases, 0 crashed"
    monkeypatch.setattr(probe, "build", lambda files: (3, 0.1, "internal error"))
    assert probe.main(["--only", "config", "--values", "1"]) == 1
    assert 'CRASH: focue.toml title = "x"' in capsys.readouterr().out
