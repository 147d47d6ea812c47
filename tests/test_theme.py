from pathlib import Path

from conftest import write_files

from focue_ssg.render.theme import asset_urls, default_theme_dir, find_theme, static_files


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
    files = static_files(site, theme)
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
