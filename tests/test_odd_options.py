"""benchmarks/odd_options.py: every option of every command given odd values."""

from __future__ import annotations

import time

import pytest
from conftest import benchmark

from focue_ssg.cli import main as cli


@pytest.fixture(scope="module")
def probe():
    return benchmark("odd_options")


def test_crashes_hangs_and_slow_runs_are_flagged(probe, monkeypatch):
    assert probe.verdict(1, 0.2, "content/a.md:4: error: bad") is None
    assert probe.verdict(2, 0.1, "focue: error: --now: 'x' is not ...") is None
    assert probe.verdict(3, 0.2, "focue: internal error: OSError: ...") == "CRASH"
    assert probe.verdict(0, 25, "") == "SLOW"

    def forever(argv):
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(probe, "HANG_SECONDS", 1)
    monkeypatch.setattr(cli, "main", forever)
    assert probe.run(["build"])[0] == "HANG"
    monkeypatch.setattr(cli, "main", lambda argv: 1 / 0)
    flag, _, said = probe.run(["build"])
    assert flag == "CRASH" and "ZeroDivisionError" in said


def test_every_option_of_every_command_is_given_each_value(probe):
    probed = {(command, option) for command, option, _ in probe.cases(["0"])}
    for command, expected in {
        "build": {"site_dir", "--now", "--jobs", "--base-url", "--output", "--report"},
        "check": {"site_dir", "--format"},
        "new": {"headline", "--tags", "--author", "--site"},
        "init": {"directory", "--now"},
    }.items():
        assert {(command, option) for option in expected} <= probed
    assert ("build", "--cache-dir") in probed and ("build", "--executor") in probed
    assert len(list(probe.cases(["0", "1"]))) == 2 * len(probed)


def test_no_case_writes_outside_its_own_folder(probe):
    """A probe must not do to its machine what it looks for: `--report /dev/null`, as
    root, put a file in /dev/null's place."""
    for command, option, value in probe.cases(probe.VALUES):
        argv = probe.argv_for(command, option, value)
        if argv is not None and probe._dest(option) in probe.WRITES:
            assert not value.startswith(("/", "~")), (command, option, value)
    assert probe.argv_for("build", "--report", "/dev/null") is None
    assert probe.argv_for("build", "--now", "0") == ["build", "-q", "-j", "1", "--now", "0"]
    assert probe.argv_for("init", "directory", "x")[:2] == ["init", "x"]


def test_a_case_builds_the_sample_site_cleanly_but_for_its_odd_value(probe):
    """So that an odd value reaches rendering and writing, not only the parse."""
    flag, _, said = probe.probe(("build", "--now", "2024-01-01T00:00:00+00:00"))
    assert flag is None and said == "", said


def test_a_case_that_crashed_runs_clean_now(probe):
    flag, _, said = probe.probe(("build", "--report", "output"))  # was IsADirectoryError
    assert flag is None and "is inside the output folder" in said, said


def test_a_pipe_with_no_reader_is_a_hang_the_probe_stops(probe, monkeypatch):
    """A report into a pipe waits for its reader, as a shell's `> pipe` does; the probe
    leaves that case out, and its signal stops it when given (focue's own time budgets
    put the probe's timer back after them)."""
    assert probe.argv_for("build", "--report", "FIFO") is None
    monkeypatch.setattr(probe, "argv_for", lambda *case: ["build", "-q", "--report", "FIFO"])
    monkeypatch.setattr(probe, "HANG_SECONDS", 3)
    assert probe.probe(("build", "--report", "FIFO"))[0] == "HANG"


def test_the_probe_reports_and_exits_by_what_it_found(probe, monkeypatch, capsys):
    monkeypatch.setattr(probe, "VALUES", ["-1", "2026-02-30"])
    assert probe.main(["--command", "init"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "4 cases, 0 crashed or hung"
    monkeypatch.setattr(probe, "probe", lambda case: ("CRASH", 0.1, "internal error"))
    assert probe.main(["--command", "init", "--values", "1"]) == 1
    assert "CRASH: ('init', 'directory', '-1')" in capsys.readouterr().out
