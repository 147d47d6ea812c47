"""End-to-end: the `focue build` command on small sites, its exit codes and messages."""

import json
import os
import stat
import subprocess
import sys

import pytest
from conftest import NOW_ARG, article, snapshot

from focue_ssg.core import layout
from focue_ssg.output import running


@pytest.fixture
def good_site(site):
    return site.write(
        {
            "content/2023/10/one.md": article("One", "2023-10-17 07:45", tags=["China"]),
            "content/2023/10/two.md": article("Two", "2023-10-18 07:45", tags=["China", "Trade"]),
        }
    )


def test_build_succeeds_with_a_one_line_summary(good_site, focue):
    result = focue("build", str(good_site.root), "--now", NOW_ARG)
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out.startswith("Built 2 articles, 2 tag pages and 3 listing pages in ")
    assert "s into " in result.out
    assert (good_site.output / "2023/10/17/one/index.html").is_file()


def test_output_option(good_site, focue, tmp_path):
    out = tmp_path / "public"
    assert focue("build", str(good_site.root), "-o", str(out), "--now", NOW_ARG).code == 0
    assert (out / "index.html").is_file()
    assert not good_site.output.exists()


def test_usage_errors_exit_2(focue, tmp_path):
    assert focue("build", str(tmp_path / "missing")).code == 2
    assert focue("build", str(tmp_path)).code == 2  # no content/
    assert focue("build", "--no-such-flag").code == 2
    (tmp_path / "content").mkdir()
    result = focue("build", str(tmp_path), "--now", "yesterday")
    assert result.code == 2
    assert "--now" in result.err


@pytest.mark.parametrize(
    "now", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "0999-12-31T00:00:00Z"]
)
@pytest.mark.parametrize("command", ["build", "new"])
def test_a_clock_at_the_ends_of_the_calendar_is_a_usage_error(good_site, focue, now, command):
    args = ["build", str(good_site.root)] if command == "build" else ["new", "A", "--site"]
    args += [str(good_site.root)] if command == "new" else []
    result = focue(*args, "--now", now)
    assert result.code == 2 and "is outside the years 1000 to 9000" in result.err, result.err


def test_a_source_date_epoch_past_the_calendar_is_a_usage_error(good_site, focue, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")  # 9999-12-31T23:59:59Z
    result = focue("new", "A", "--site", str(good_site.root))
    assert result.code == 2 and "SOURCE_DATE_EPOCH" in result.err, result.err


LONG = "x" * 300  # longer than a file name may be


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["build", "{tmp}/" + LONG], 2, "does not exist"),
        (["check", "{tmp}/" + LONG], 2, "does not exist"),
        (["build", "{site}", "-o", "{tmp}/" + LONG], 1, "cannot use the output folder"),
        (["build", "{site}", "--report", "{tmp}/" + LONG], 2, "cannot be a file name"),
        (["build", "{site}", "--report", "{tmp}/missing/r.json"], 2, "no folder"),
        (["init", "{tmp}/" + LONG], 1, "cannot write"),
        (["init", "{tmp}/a/" + LONG + "/b"], 1, "cannot write"),
    ],
)
def test_paths_no_system_can_hold_are_errors_not_crashes(
    good_site, focue, tmp_path, args, code, said
):
    filled = [a.format(tmp=tmp_path, site=good_site.root) for a in args]
    result = focue(*filled, "--now", NOW_ARG)
    assert result.code == code and said in result.err, result.err
    assert "internal error" not in result.err
    assert not good_site.output.exists()


@pytest.mark.parametrize(
    ("report", "said"),
    [
        ("output", "is inside the output folder"),  # not there yet: the build makes it
        ("output/report.json", "is inside the output folder"),
        ("output/../output/index.html", "is inside the output folder"),
        ("output", "cannot be a file name"),  # there: a folder
    ],
)
def test_a_report_inside_the_output_folder_is_a_usage_error(
    good_site, focue, monkeypatch, report, said
):
    """The build replaces that folder: `--report output` (made by the build) ended in
    'internal error: IsADirectoryError', `output/index.html` overwrote the front page."""
    monkeypatch.chdir(good_site.root)
    if said != "is inside the output folder" or "/" in report:
        assert focue("build", "--now", NOW_ARG).code == 0
    before = snapshot(good_site.output)
    result = focue("build", "--now", NOW_ARG, "--report", report)
    assert result.code == 2 and said in result.err, result.err
    assert snapshot(good_site.output) == before


@pytest.mark.parametrize(
    "cache", [".focue-cache", "output/shared", "static/shared", "content", "file://.focue-cache"]
)
def test_a_shared_cache_inside_the_sites_own_folders_is_a_usage_error(
    good_site, focue, monkeypatch, cache
):
    """`--cache-dir .focue-cache` crashed (IsADirectoryError: the shared store and the
    build's own store of photos share names); in static/ it would be published, in the
    output folder removed."""
    monkeypatch.chdir(good_site.root)
    assert focue("build", "--now", NOW_ARG).code == 0
    before = snapshot(good_site.output)
    result = focue("build", "--now", NOW_ARG, "--cache-dir", cache)
    assert result.code == 2, result.err
    assert f"--cache-dir '{cache}' is inside " in result.err
    assert snapshot(good_site.output) == before
    assert focue("build", "--now", NOW_ARG, "--cache-dir", "../shared").code == 0


def test_a_report_into_a_pipe_or_a_link_is_written_into_it_not_put_in_its_place(
    good_site, focue, tmp_path
):
    """A report was written beside its path and moved into place, which put a file
    where a device or pipe was: as root, `--report /dev/null` replaced /dev/null."""
    pipe, target, link = tmp_path / "pipe", tmp_path / "real.json", tmp_path / "link.json"
    os.mkfifo(pipe)
    link.symlink_to(target)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # so the build's open does not wait
    try:
        for report in (pipe, link):
            result = focue("build", str(good_site.root), "--now", NOW_ARG, "--report", str(report))
            assert result.code == 0, result.err
        assert json.loads(os.read(reader, 1 << 16))["ok"] is True
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert link.is_symlink() and json.loads(target.read_text())["ok"] is True


def test_a_report_that_cannot_be_written_is_an_error_after_the_build(good_site, focue, tmp_path):
    link = tmp_path / "r.json"
    link.symlink_to(tmp_path / "gone" / "r.json")  # into a folder that is not there
    result = focue("build", str(good_site.root), "--now", NOW_ARG, "--report", str(link))
    assert result.code == 1, result.err
    assert f"focue: error: cannot write the report '{link}': No such file" in result.err
    assert "internal error" not in result.err


def test_a_build_with_nothing_to_do_does_not_repeat_the_last_ones_cache_notes(
    good_site, focue, monkeypatch
):
    """Each no-change build repeats the last build's warnings; it repeated its notes on
    the cache too, saying every page was being rebuilt when none was."""
    assert focue("build", str(good_site.root), "--now", NOW_ARG).code == 0
    monkeypatch.setattr(running, "signature", lambda: "another version")
    rebuilt = focue("build", str(good_site.root), "--now", NOW_ARG)
    assert "written by another version of focue" in rebuilt.err
    again = focue("build", str(good_site.root), "--now", NOW_ARG)
    assert again.code == 0 and again.out.startswith("Up to date")
    assert ".focue-cache" not in again.err, again.err


def test_content_errors_exit_1_and_leave_output_untouched(good_site, focue):
    assert focue("build", str(good_site.root), "--now", NOW_ARG).code == 0
    before = snapshot(good_site.output)
    good_site.write(
        {
            "content/bad.md": "---\ntitle: Bad\ndate: next tuesday\n---\nx\n",
            "content/worse.md": "---\ndate: 2023-10-17\n---\nx\n",
            "content/2023/10/one.md": article("One changed", "2023-10-17 07:45"),
        }
    )
    result = focue("build", str(good_site.root), "--now", NOW_ARG)
    assert result.code == 1
    assert "content/bad.md:3:7: error: date: 'next tuesday' is not a date" in result.err
    assert "content/worse.md:1: error: title is required" in result.err
    assert "Build failed: 2 errors, 0 warnings" in result.err
    assert "Traceback" not in result.err
    assert snapshot(good_site.output) == before


def test_warnings_pass_but_fail_under_strict(good_site, focue):
    good_site.write({"content/x.md": article("X", body="Text.\n\nRead More: Nothing By This Name")})
    ok = focue("build", str(good_site.root), "--now", NOW_ARG)
    assert ok.code == 0
    assert "content/x.md:8:12: warning: Read More headline 'Nothing By This Name'" in ok.err
    strict = focue("build", str(good_site.root), "--now", NOW_ARG, "--strict")
    assert strict.code == 1
    assert "content/x.md:8:12: error: Read More headline" in strict.err


def test_drafts_and_future_flags(good_site, focue):
    good_site.write(
        {
            "content/d.md": article("Draft Story", draft=True),
            "content/f.md": article("Future Story", "2030-01-01"),
        }
    )
    focue("build", str(good_site.root), "--now", NOW_ARG)
    index = good_site.page("index.html")
    assert "Draft Story" not in index and "Future Story" not in index
    focue("build", str(good_site.root), "--now", NOW_ARG, "--drafts", "--future")
    assert "Draft Story" in good_site.page("index.html")
    assert "Future Story" in good_site.page("index.html")
    draft_page = good_site.page("2023/10/17/draft-story/index.html")
    assert 'class="draft-banner"' in draft_page


def test_now_comes_from_source_date_epoch(good_site, focue, monkeypatch):
    good_site.write({"content/f.md": article("Scheduled", "2024-06-01 12:00")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717243200")  # 2024-06-01T12:00:00Z
    focue("build", str(good_site.root))
    assert "Scheduled" in good_site.page("index.html")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717243199")
    focue("build", str(good_site.root))
    assert "Scheduled" not in good_site.page("index.html")


def test_template_errors_name_the_template_and_line(good_site, focue):
    good_site.write(
        {
            "themes/focue/templates/tags.html": '{% extends "base.html" %}\n{% block main %}\n{{ nope }}\n{% endblock %}\n'
        }
    )
    result = focue("build", str(good_site.root), "--now", NOW_ARG)
    assert result.code == 1
    assert (
        "themes/focue/templates/tags.html:3: error: UndefinedError: 'nope' is undefined"
        in result.err
    )
    assert not good_site.output.exists()


def test_internal_errors_have_no_traceback_unless_debug(good_site, focue, monkeypatch):
    def explode(options):
        raise RuntimeError("boom")

    monkeypatch.setattr("focue_ssg.cli.commands.build", explode)
    result = focue("build", str(good_site.root))
    assert result.code == 3
    assert "internal error: RuntimeError: boom" in result.err
    assert "Traceback" not in result.err
    with pytest.raises(RuntimeError):
        focue("build", str(good_site.root), "--debug")


def test_stale_outputs_are_removed(good_site, focue):
    focue("build", str(good_site.root), "--now", NOW_ARG)
    (good_site.root / "content/2023/10/two.md").unlink()
    result = focue("build", str(good_site.root), "--now", NOW_ARG)
    assert "removed" in result.out
    assert not (good_site.output / "2023/10/18/two").exists()
    assert not (good_site.output / "tags/trade").exists()


def test_static_files_are_copied_and_collisions_are_errors(good_site, focue):
    good_site.write({"static/images/a.svg": "<svg/>", "static/index.html": "clash"})
    result = focue("build", str(good_site.root), "--now", NOW_ARG)
    assert result.code == 1
    said = "static/index.html: error: output index.html is also written by the index.html page"
    assert said in result.err
    (good_site.root / "static/index.html").unlink()
    assert focue("build", str(good_site.root), "--now", NOW_ARG).code == 0
    assert (good_site.output / "images/a.svg").read_text() == "<svg/>"
    assert (good_site.output / "static/focue.css").is_file()


def test_console_entry_points():
    out = subprocess.run(
        [sys.executable, "-m", "focue_ssg", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert out.stdout.startswith("focue ")
    assert layout.OUTPUT_DIR == "output"


def _program(*args: str) -> subprocess.CompletedProcess:
    """The `focue` program in a process of its own, as a shell runs it."""
    command = [sys.executable, "-m", "focue_ssg", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_the_program_ends_without_freeing_its_build_yet_says_and_writes_everything(good_site):
    done = _program("build", str(good_site.root), "--now", NOW_ARG, "--verify")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Built 2 articles")  # flushed before the process ended
    assert "Verified: the output is byte-identical" in done.stdout
    assert (good_site.output / "2023/10/17/one/index.html").is_file()
    good_site.write({"content/bad.md": "---\ntitle: Bad\ndate: next tuesday\n---\nx\n"})
    failed = _program("build", str(good_site.root), "--now", NOW_ARG)
    assert failed.returncode == 1
    assert "content/bad.md:3:7: error:" in failed.stderr


def test_a_reader_that_stops_early_ends_the_program_quietly_after_its_build(good_site):
    command = [sys.executable, "-m", "focue_ssg", "build", str(good_site.root), "-v"]
    process = subprocess.Popen(
        [*command, "--now", NOW_ARG], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    process.stdout.close()  # as `| head -0` does: nothing will read what it prints
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 141, stderr  # 128 + SIGPIPE, as a shell reports it
    assert b"error" not in stderr and b"Traceback" not in stderr
    assert (good_site.output / "2023/10/17/one/index.html").is_file()  # the build finished


def test_only_the_program_leaves_a_build_to_the_end_and_its_exit_handlers_still_run(
    good_site, focue, tmp_path
):
    from focue_ssg.core import memory

    assert focue("build", str(good_site.root), "--now", NOW_ARG).code == 0
    assert memory._OUTLIVING == []  # a library's build frees what it made
    script = (
        "import atexit, sys\n"
        "from focue_ssg.core import memory\n"
        "from focue_ssg.cli.main import main\n"
        "atexit.register(print, 'exit handler ran')\n"
        "memory.ends_with_command()\n"
        f"main(['build', {str(good_site.root)!r}, '-o', {str(tmp_path / 'out')!r}, "
        f"'--now', {NOW_ARG!r}, '-q'])\n"
        "print('kept', len(memory._OUTLIVING), end=' ')\n"
        "memory.end_process(7)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 7
    assert done.stdout == "kept 1 exit handler ran\n"
