"""Faults injected (issue 16): the disk fills or fails while pages are staged or moved
in, the process is killed in the middle of moving them in, the output folder is
read-only or on another file system, a source goes between the scan and the parse,
two builds run at once. Each gives a clear message and loses nothing published."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import NOW_ARG, article, snapshot, write_files

from focue_ssg.output import workers, write

STORIES = {
    f"content/2023/10/story-{n}.md": article(
        f"Story {n}", f"2023-10-{n + 1:02d} 07:45", f"Body {n}.", tags=["World", f"T{n % 3}"]
    )
    for n in range(12)
}


@pytest.fixture
def built(tmp_path, focue):
    root = write_files(tmp_path / "site", {**STORIES, "focue.toml": 'title = "Before"\n'})
    assert focue("build", str(root), "--now", NOW_ARG, "--jobs", "1").code == 0
    return root


def _an_edit_that_changes_every_page(root: Path) -> None:
    (root / "focue.toml").write_text('title = "After"\n')
    (root / "content/2023/10/story-3.md").unlink()  # and removes some files


def _failing(real, fail_at: int, fault: int, when=lambda *a: True):
    """`real`, failing with `fault` on its `fail_at`-th call that `when` accepts."""
    calls = [0]

    def call(*args, **kwargs):
        if when(*args):
            calls[0] += 1
            if calls[0] == fail_at:
                raise OSError(fault, os.strerror(fault), str(args[0]))
        return real(*args, **kwargs)

    return call


@pytest.mark.parametrize("fault", [errno.ENOSPC, errno.EIO])
@pytest.mark.parametrize("fail_at", [1, 5, 40])
def test_a_full_disk_while_pages_are_staged_leaves_the_output_as_it_was(
    built, focue, monkeypatch, fail_at, fault
):
    before = snapshot(built / "output")
    _an_edit_that_changes_every_page(built)
    faulty = _failing(write.stage_file, fail_at, fault)
    monkeypatch.setattr(workers, "stage_file", faulty)
    monkeypatch.setattr(write, "stage_file", faulty)
    result = focue("build", str(built), "--now", NOW_ARG, "--jobs", "1")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"error: cannot write the output: {os.strerror(fault)}" in result.err
    assert "output/ was left unchanged" in result.err
    assert snapshot(built / "output") == before
    assert not list(built.glob(".output.staging-*"))


@pytest.mark.parametrize("fault", [errno.EIO, errno.ENOSPC])
@pytest.mark.parametrize("fail_at", [1, 7, 20])
def test_an_io_error_while_moving_in_is_reported_and_the_next_build_completes_it(
    built, focue, monkeypatch, fail_at, fault
):
    _an_edit_that_changes_every_page(built)
    staged = lambda source, *rest: ".staging-" in str(source)  # noqa: E731
    monkeypatch.setattr(write.os, "replace", _failing(os.replace, fail_at, fault, staged))
    result = focue("build", str(built), "--now", NOW_ARG, "--jobs", "1")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"could not finish moving the new files in ({os.strerror(fault)})" in result.err
    assert "is partly updated (the next build completes it)" in result.err
    monkeypatch.undo()
    # the next build, with the disk healthy, equals a clean build byte for byte
    assert focue("build", str(built), "--now", NOW_ARG, "--verify").code == 0


KILLER = """
import atexit, os, pathlib, signal, sys
from focue_ssg.output import write
limit, seen = int(sys.argv[1]), [0]
def counted(real):
    def call(*args, **kwargs):
        if ".staging-" in str(args[0]) or "/output/" in str(args[0]):
            seen[0] += 1
            if seen[0] > limit:
                os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call
write.os.replace = counted(os.replace)
pathlib.Path.unlink = counted(pathlib.Path.unlink)
atexit.register(lambda: print(f"steps: {seen[0]}", file=sys.stderr))
from focue_ssg.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


def test_a_build_killed_anywhere_in_its_commit_is_completed_by_the_next(built, focue, tmp_path):
    """SIGKILL after 0, 1, 2, … of the moves and removals of a commit (20 points over all
    of them): the next build's output equals a clean build's, byte for byte."""
    _an_edit_that_changes_every_page(built)
    pristine = tmp_path / "pristine"
    shutil.copytree(built, pristine, symlinks=True)
    command = [sys.executable, "-c", KILLER]
    build = ["build", str(built), "--now", NOW_ARG, "--jobs", "1"]
    whole = subprocess.run([*command, "100000", *build], capture_output=True, text=True)
    assert whole.returncode == 0, whole.stderr  # counting alone changes nothing
    steps = int(whole.stderr.rsplit("steps: ", 1)[1])  # the moves and removals of a commit
    points = sorted({i * steps // 20 for i in range(20)})
    assert len(points) == 20
    for point in points:
        shutil.rmtree(built)
        shutil.copytree(pristine, built, symlinks=True)
        killed = subprocess.run([*command, str(point), *build], capture_output=True, text=True)
        assert killed.returncode == -9, (point, killed.stderr)
        result = focue("build", str(built), "--now", NOW_ARG, "--verify")
        assert result.code == 0, (point, result.err)
        assert "After" in (built / "output/index.html").read_text()


def test_a_read_only_output_folder_is_a_clear_error(built, focue, monkeypatch):
    before = snapshot(built / "output")
    _an_edit_that_changes_every_page(built)
    monkeypatch.setattr(Path, "mkdir", _failing(Path.mkdir, 1, errno.EROFS))
    result = focue("build", str(built), "--now", NOW_ARG, "--jobs", "1", "--no-cache")
    assert result.code == 1 and "Traceback" not in result.err
    assert "error: cannot write the output: Read-only file system" in result.err
    assert snapshot(built / "output") == before


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="needs a tmpfs at /dev/shm")
def test_an_output_folder_on_another_file_system_builds_and_rebuilds(built, focue, tmp_path):
    other = Path(os.environ.get("FOCUE_OTHER_FS", "/dev/shm")) / f"focue-{os.getpid()}-out"
    try:
        for title in ("Elsewhere", "Elsewhere again"):
            (built / "focue.toml").write_text(f'title = "{title}"\n')
            result = focue("build", str(built), "--now", NOW_ARG, "--output", str(other))
            assert result.code == 0, result.err
            assert title in (other / "index.html").read_text()
        assert not list(other.parent.glob(f".{other.name}.staging-*"))
    finally:
        shutil.rmtree(other, ignore_errors=True)


def test_a_source_deleted_between_the_scan_and_the_parse_is_an_error(built, focue, monkeypatch):
    from focue_ssg import pipeline

    before = snapshot(built / "output")
    gone = built / "content/2023/10/story-5.md"
    gone.write_text(gone.read_text() + "\nEdited.\n")  # so that it is parsed again
    scan = pipeline.scan_sources

    def scanned_then_deleted(site_dir):
        found = scan(site_dir)
        gone.unlink()
        return found

    monkeypatch.setattr(pipeline, "scan_sources", scanned_then_deleted)
    result = focue("build", str(built), "--now", NOW_ARG, "--jobs", "1")
    assert result.code == 1 and "Traceback" not in result.err
    assert "content/2023/10/story-5.md: error: cannot read: No such file or directory" in result.err
    assert snapshot(built / "output") == before


def test_a_source_rewritten_between_the_scan_and_the_parse_is_read_as_it_is_now(
    built, focue, monkeypatch
):
    from focue_ssg import pipeline

    story = built / "content/2023/10/story-5.md"
    story.write_text(story.read_text() + "\nFirst edit.\n")
    scan = pipeline.scan_sources

    def scanned_then_rewritten(site_dir):
        found = scan(site_dir)
        story.write_text(story.read_text().replace("First edit.", "Second edit."))
        return found

    monkeypatch.setattr(pipeline, "scan_sources", scanned_then_rewritten)
    assert focue("build", str(built), "--now", NOW_ARG, "--jobs", "1").code == 0
    page = (built / "output/2023/10/06/story-5/index.html").read_text()
    assert "Second edit." in page and "First edit." not in page
    monkeypatch.undo()
    assert focue("build", str(built), "--now", NOW_ARG, "--verify").code == 0


def test_two_builds_of_one_site_at_once_both_finish_and_agree(built, focue):
    (built / "focue.toml").write_text('title = "Together"\n')
    command = [sys.executable, "-m", "focue_ssg", "build", str(built), "--now", NOW_ARG]
    results = []

    def run():
        results.append(subprocess.run(command, capture_output=True, text=True))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    assert focue("build", str(built), "--now", NOW_ARG, "--verify").code == 0
