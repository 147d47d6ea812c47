"""A theme is code a newsroom's developers write: whatever its templates do wrong is an
error at the template's line, never an internal error or a hung build, and the output
of the last build stays as it was. So is a worker process that dies under a build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import BrokenExecutor

import pytest
from conftest import NOW_ARG, article, snapshot

from focue_ssg.output import parsing, workers

TEMPLATE = "themes/focue/templates/article.html"


def _broken(body: str) -> str:
    return '{% extends "default/article.html" %}\n{% block main %}' + body + "{% endblock %}"


@pytest.fixture
def built(site, focue):
    """A site built once, with three stories."""
    site.write(
        {
            f"content/2023/10/s{n}.md": article(f"Story {n}", f"2023-10-1{n} 07:45", tags=["Trade"])
            for n in range(3)
        }
    )
    assert focue("build", str(site.root), "--now", NOW_ARG).code == 0
    return site


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ 1 / 0 }}", "ZeroDivisionError: division by zero"),
        ('{{ "x" * 10 ** 100 }}', "OverflowError: cannot fit 'int' into an index-sized integer"),
        ("{{ 2.0 ** 100000 }}", "OverflowError: (34, 'Numerical result out of range')"),
        ('{{ "%d" % "a" }}', "TypeError: %d format: a real number is required"),
        ('{% include "missing.html" %}', "template 'missing.html' not found"),  # "templates:"
    ],
)
def test_what_a_template_raises_is_an_error_at_its_line(built, focue, body, message):
    before = snapshot(built.output)
    built.write({TEMPLATE: _broken(body)})
    result = focue("build", str(built.root), "--now", NOW_ARG)
    assert result.code == 1, result.err
    assert f"{TEMPLATE}:2: error: {message}" in result.err
    assert "(while rendering 2023/10/1" in result.err
    assert "internal error" not in result.err
    assert result.err.count(": error:") == 1  # every story's page fails; said once
    assert snapshot(built.output) == before


def test_an_error_in_the_default_theme_names_its_template_not_where_focue_is(
    built, focue, monkeypatch
):
    """A page of the default theme that raises (here, a filter it calls) is named as a
    site's own theme extends it, not by the folder focue happens to be installed in."""
    from focue_ssg.render import environment
    from focue_ssg.render.theme import default_theme_dir

    def refuse(value, style="date"):
        raise ValueError("no dates today")

    monkeypatch.setattr(environment, "format_date", refuse)
    before = snapshot(built.output)
    result = focue("build", str(built.root), "--now", NOW_ARG, "--no-cache")
    assert result.code == 1, result.err
    assert "<default theme>/templates/" in result.err
    assert ": error: ValueError: no dates today (while rendering " in result.err
    assert str(default_theme_dir()) not in result.err
    assert snapshot(built.output) == before


@pytest.mark.parametrize(
    "template",
    [
        '{% extends "article.html" %}',
        '{% extends "base.html" %}\n{% block main %}{% include "article.html" %}{% endblock %}',
        "{% macro again() %}{{ again() }}{% endmacro %}\n{{ again() }}",
    ],
)
def test_a_template_that_uses_itself_without_end_is_an_error_naming_it(built, focue, template):
    before = snapshot(built.output)
    built.write({TEMPLATE: template})
    result = focue("build", str(built.root), "--now", NOW_ARG)
    assert result.code == 1, result.err
    # the site's own template is named, not the default theme's base.html in the loop
    assert f"{TEMPLATE}:" in result.err
    assert "extends, includes or calls itself" in result.err
    assert snapshot(built.output) == before


def test_a_page_past_its_time_budget_is_an_error_and_its_template_is_not_tried_again(
    built, focue, monkeypatch
):
    """A loop without end in a template used by every story would cost the budget on
    each of its pages: after the first, its other pages fail at once."""
    monkeypatch.setattr(workers, "RENDER_SECONDS", 0.2)
    rendered = []
    real = workers.render_page

    def counted(env, page):
        rendered.append(page.template)
        return real(env, page)

    monkeypatch.setattr(workers, "render_page", counted)
    signal_before = signal.getsignal(signal.SIGALRM)
    built.write({TEMPLATE: _broken("\n{% for i in range(10 ** 12) %}{{ i }}{% endfor %}")})
    result = focue("build", str(built.root), "--now", NOW_ARG)
    assert result.code == 1, result.err
    assert f"{TEMPLATE}:3: error: took more than 0.2 s, so it was stopped" in result.err
    assert rendered.count("article.html") == 1
    assert len(rendered) > 3  # the other kinds' pages were rendered, and found fine
    assert signal.getsignal(signal.SIGALRM) == signal_before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


KILLER = """
import os, signal
from focue_ssg.output import workers
real, parent = workers.render_page, os.getpid()
def killed(env, page):
    if os.getpid() != parent:  # a worker's first page (the build renders some too)
        os.kill(os.getpid(), signal.SIGKILL)
    return real(env, page)
workers.render_page = killed  # the forked workers inherit it
from focue_ssg.cli.main import main
raise SystemExit(main())
"""


def test_a_worker_killed_in_the_middle_of_a_build_is_an_error_and_nothing_is_lost(site, focue):
    """In a process of its own: with other threads running (as in the test process),
    workers are not forked, and would not inherit the killer."""
    files = {
        f"content/2023/{n % 9 + 1:02}/s{n}.md": article(
            f"Story {n}", f"2023-{n % 9 + 1:02}-1{n % 10} 07:45", tags=[f"T{n % 7}"]
        )
        for n in range(120)
    }
    site.write(files)
    assert focue("build", str(site.root), "--now", NOW_ARG, "-j", "2").code == 0
    before = snapshot(site.output)
    args = ["build", str(site.root), "--now", NOW_ARG, "-j", "2", "--no-cache"]
    result = subprocess.run(
        [sys.executable, "-c", KILLER, *args], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1, result.stderr
    assert "output: error: a worker process stopped in the middle of its work" in result.stderr
    assert "internal error" not in result.stderr
    assert snapshot(site.output) == before


def test_a_kept_parse_worker_that_died_is_replaced_for_the_next_build(tmp_path):
    """The preview parses in a worker kept between builds: one killed fails its build,
    not every build after it."""
    path = tmp_path / "a.md"
    path.write_text(article("A story"))
    task = parsing.ParseTask("a.md", str(path), parsing.ParseSettings("UTC", False, "en", False))

    def in_a_thread() -> list | BaseException:
        found: list = []

        def run() -> None:
            try:
                found.extend(parsing.parse_files([task], 2))
            except BaseException as exc:  # the result, to look at here
                found.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(60)
        return found

    try:
        assert in_a_thread()[0].document is not None
        with pytest.raises(Exception):  # noqa: B017 - the worker's death, however it shows
            parsing._kept_pool().submit(os._exit, 1).result()
        assert isinstance(in_a_thread()[0], BrokenExecutor)
        assert in_a_thread()[0].document is not None
    finally:
        parsing.close_kept_pool()
