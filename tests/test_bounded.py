"""Bounded work per file (issue 16): no input can hang a build or crash it with an
internal error. The front matter and nesting cases are fixtures of test_badinput.py;
here, the time budget every parse runs under."""

from __future__ import annotations

import sys
import threading

import pytest
from conftest import NOW_ARG, article, benchmark

from focue_ssg.output import parsing
from focue_ssg.source.markdown import BodyRefused, render_body
from focue_ssg.source.parse import ParseSettings

SLOW_BODY = "[" * 4000 + "x" + "](y)" * 4000  # about a second of Python-Markdown's time


def test_a_file_past_its_time_budget_is_an_error_naming_it(site, focue, monkeypatch):
    monkeypatch.setattr(parsing, "PARSE_SECONDS", 0.05)
    site.write(
        {
            "content/2023/10/slow.md": article("Slow", "2023-10-17 07:45", SLOW_BODY),
            "content/2023/10/fine.md": article("Fine", "2023-10-16 07:45", "Quick."),
        }
    )
    result = focue("build", str(site.root), "--now", NOW_ARG)
    assert result.code == 1
    assert "content/2023/10/slow.md:1: error: took more than 0.05 s to read" in result.err
    assert "content/2023/10/fine.md" not in result.err
    assert "2 files in content/: 1 published, 1 with errors" in result.err
    assert not (site.root / "output").exists()


def test_the_budget_leaves_the_signal_as_it_was():
    import signal

    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(parsing.OverBudget), parsing.time_budget(0.01):
        while True:
            pass
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_programs_own_timer_waits_while_a_budget_runs_and_is_put_back():
    import signal

    signal.setitimer(signal.ITIMER_REAL, 300)
    try:
        with parsing.time_budget(5):
            assert signal.getitimer(signal.ITIMER_REAL)[0] <= 5
        left = signal.getitimer(signal.ITIMER_REAL)[0]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    assert 250 < left <= 300


def test_off_the_main_thread_a_parse_goes_to_a_worker_process(tmp_path):
    """The preview builds in a thread, where no signal can stop a parse: there even one
    file is parsed in a process of its own, under its budget."""
    path = tmp_path / "slow.md"
    path.write_text(article("Slow", "2023-10-17 07:45", SLOW_BODY))
    settings = ParseSettings("UTC", False, "en", False)
    task = parsing.ParseTask("slow.md", str(path), settings, seconds=0.05)
    found = []
    thread = threading.Thread(target=lambda: found.extend(parsing.parse_files([task], 2)))
    thread.start()
    thread.join(60)
    parsing.close_kept_pool()
    [parsed] = found
    assert parsed.document is None
    assert "took more than 0.05 s" in parsed.diagnostics[0].message


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("".join("    " * i + "- item\n" for i in range(400)), 5 + 49),
        ("> " * 300 + "deep\n", 5),
        ("Intro\n\n" + "".join("> " * i + "- x\n" for i in range(60)), 7 + 49),
    ],
)
def test_nesting_deeper_than_the_parser_follows_is_refused_at_its_line(body, line):
    with pytest.raises(BodyRefused) as refused:
        render_body(body, 5)
    assert refused.value.line == line and "nested" in str(refused.value)


@pytest.mark.parametrize(
    "body",
    [
        "Code:\n\n" + " " * 400 + "x = 1\n",  # indented code, however deep, is text
        "```\n" + " " * 400 + "- not a list\n```\n",  # and so is a fenced block
        "".join("    " * i + "- item\n" for i in range(40)),  # nested, but not too deep
    ],
)
def test_deep_indentation_that_is_not_nesting_builds(body):
    assert render_body(body, 5).html


def test_a_parse_stopped_half_way_leaves_the_next_one_right():
    """Python-Markdown's parser keeps state between the steps of a conversion: one
    stopped by its budget must not leave the process's converter half way."""
    expected = render_body("Some *emphasis* and a [link](https://example.org/).", 5).html
    with pytest.raises(parsing.OverBudget), parsing.time_budget(0.02):
        render_body("".join("    " * i + "- item " + SLOW_BODY[:300] + "\n" for i in range(40)), 5)
    again = render_body("Some *emphasis* and a [link](https://example.org/).", 5).html
    assert again == expected


def _long_runs():
    """benchmarks/long_runs.py, which builds such runs at two sizes and flags them."""
    return benchmark("long_runs")


def test_the_long_runs_probe_flags_hangs_crashes_budgets_and_squares():
    flags = _long_runs().flags
    fine, base = (0.5, "", 0), 0.3
    assert flags(fine, (0.9, "", 0), base) == []
    assert flags(fine, (None, "", -1), base) == ["TIMEOUT"]
    assert flags(fine, (0.9, "internal error: IndexError", 3), base) == ["CRASH"]
    assert flags(fine, (10.4, "a.md:1: error: took more than 10 s to read", 1), base) == ["BUDGET"]
    assert flags(fine, (4.5, "", 0), base) == ["QUADRATIC"]


def test_the_long_runs_probe_builds_its_cases(capsys, monkeypatch):
    probe = _long_runs()
    chosen = ["body '<b>'", "tags in a story"]
    monkeypatch.setattr(sys, "argv", ["long_runs.py", "--size", "40", "--only", *chosen])
    assert probe.main() == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| ")]
    assert [row.split(" | ")[0][2:] for row in rows[1:]] == chosen
