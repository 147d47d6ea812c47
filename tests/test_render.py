from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import write_files

from focue_ssg.pages.kind import PagePlan
from focue_ssg.render.environment import (
    format_date,
    join_names,
    make_environment,
    render_page,
    template_diagnostic,
)
from focue_ssg.render.theme import find_theme


def env_for(site: Path):
    theme, problems = find_theme(site, "focue")
    assert problems == ()
    return make_environment(theme)


def render_error(env, plan: PagePlan, site: Path):
    with pytest.raises(Exception) as info:
        render_page(env, plan)
    return template_diagnostic(info.value, plan, site)


def test_site_theme_overrides_and_extends_the_default(tmp_path: Path):
    site = write_files(
        tmp_path,
        {
            "themes/focue/templates/404.html": '{% extends "default/404.html" %}{% block main %}<p>Custom {{ page.title }}</p>{% endblock %}',
        },
    )
    context = {
        "site": {
            "title": "T",
            "tagline": "Tag",
            "language": "en",
            "url": "/",
            "search_url": "/search/",
            "tags_url": "/tags/",
            "sections_url": "/sections/",
            "authors_url": "/authors/",
            "logo_url": None,
            "menus": {"main": [{"name": "Latest", "url": "/"}], "footer": []},
        },
        "assets": {"focue.css": "/static/focue.css", "favicon.svg": "/static/favicon.svg"},
        "page": {
            "kind": "404",
            "title": "<Lost>",
            "url": "/404.html",
            "canonical": "/404.html",
            "description": None,
            "noindex": False,
            "feeds": [{"type": "application/atom+xml", "title": "T", "url": "/atom.xml"}],
        },
    }
    html = render_page(env_for(site), PagePlan("404.html", "404.html", context)).decode()
    assert "<p>Custom &lt;Lost&gt;</p>" in html
    assert '<a class="skip-link"' in html


def test_undefined_variables_are_errors_naming_template_and_line(tmp_path: Path):
    site = write_files(
        tmp_path, {"themes/focue/templates/x.html": "line one\n{{ article.titel }}\n"}
    )
    d = render_error(env_for(site), PagePlan("x.html", "x.html", {"article": {"title": "T"}}), site)
    assert d.format().startswith("themes/focue/templates/x.html:2: error: UndefinedError:")
    assert "titel" in d.message


def test_syntax_errors_name_template_and_line(tmp_path: Path):
    site = write_files(tmp_path, {"themes/focue/templates/x.html": "ok\n\n{% if %}\n"})
    d = render_error(env_for(site), PagePlan("x.html", "x.html", {}), site)
    assert d.path == "themes/focue/templates/x.html"
    assert d.line == 3
    assert "syntax error" in d.message


def test_missing_template(tmp_path: Path):
    d = render_error(env_for(tmp_path), PagePlan("x.html", "nope.html", {}), tmp_path)
    assert "template 'nope.html' not found" in d.message


def test_filters():
    when = datetime(2023, 10, 17, 7, 45, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert format_date(when) == "17 October 2023"
    assert format_date(when, "datetime") == "17 October 2023, 07:45 CST"
    assert join_names(["A", "B", "C"]) == "A, B and C"
    assert join_names(["A"]) == "A"
