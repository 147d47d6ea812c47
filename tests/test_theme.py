from pathlib import Path

from conftest import NOW_ARG, article, nested, write_files

from focue_ssg.core.files import DEEPEST
from focue_ssg.render.theme import (
    TOO_DEEP,
    asset_urls,
    default_theme_dir,
    find_theme,
    static_files,
)


def test_default_theme_is_found_with_its_templates():
    assert (default_theme_dir() / "templates" / "article.html").is_file()
    assert (default_theme_dir() / "static" / "focue.css").is_file()


def test_unknown_theme_is_an_error(tmp_path: Path):
    _, problems = find_theme(tmp_path, "nonexistent")
    assert [p.format() for p in problems] == [
        "focue.toml: error: theme 'nonexistent' not found: no folder themes/nonexistent/"
    ]


def test_site_theme_comes_first_and_static_files_merge(tmp_path: Path):
    site = write_files(
        tmp_path,
        {
            "themes/mine/templates/base.html": "x",
            "themes/mine/static/focue.css": "body{}",
            "themes/mine/static/extra.js": "",
            "themes/mine/static/.DS_Store": "",
            "static/images/a.jpg": "jpg",
        },
    )
    theme, problems = find_theme(site, "mine")
    assert problems == ()
    assert theme.template_dirs[0] == site / "themes/mine/templates"
    assert theme.template_dirs[-1] == default_theme_dir() / "templates"
    files, left_out = static_files(site, theme)
    assert left_out == []
    assert files["static/focue.css"] == site / "themes/mine/static/focue.css"
    assert files["static/extra.js"] == site / "themes/mine/static/extra.js"
    assert files["images/a.jpg"] == site / "static/images/a.jpg"
    assert "static/.DS_Store" not in files


def test_asset_urls_carry_a_content_hash(tmp_path: Path):
    write_files(tmp_path, {"a.css": "one"})
    first = asset_urls({"static/a.css": tmp_path / "a.css"})
    write_files(tmp_path, {"a.css": "two"})
    second = asset_urls({"static/a.css": tmp_path / "a.css"})
    assert first["a.css"].startswith("/static/a.css?v=")
    assert first != second


def test_folders_nested_too_deep_are_left_out_with_a_warning_not_a_crash(site, focue):
    """static/ or a theme nested 1,100 folders deep stopped every build with an internal
    RecursionError (the standard library's walks recurse once per folder). Folders past
    DEEPEST are left out, with a warning naming the first of them."""
    site.write({"content/2023/10/real.md": article("Real")})
    with (
        nested(site.root / "static", 1100) as assets,
        nested(site.root / "themes/focue/templates/deep", 1100) as templates,
    ):
        (assets[DEEPEST] / "kept.css").write_text("a {}")
        (assets[-1] / "lost.css").write_text("b {}")
        (templates[-1] / "t.html").write_text("{{ x }}")
        result = focue("build", str(site.root), "--now", NOW_ARG)
        assert result.code == 0, result.err
        too_deep = "static" + "/a" * (DEEPEST + 1)
        assert f"{too_deep}: warning: {TOO_DEEP}" in result.err.splitlines()
        output = site.root / "output"
        assert (output.joinpath(*["a"] * DEEPEST) / "kept.css").read_text() == "a {}"
        assert not list(output.glob("a/**/lost.css"))
