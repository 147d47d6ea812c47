import os
from pathlib import Path

import pytest

from focue_ssg.write import UnsafePath, check_output_dir, staged_output


def write_site(out: Path, files: dict[str, bytes]):
    with staged_output(out) as staged:
        for rel, data in files.items():
            staged.write(rel, data)
        return staged.commit()


def test_first_write_then_only_changes_are_written(tmp_path: Path):
    out = tmp_path / "output"
    report = write_site(out, {"a.html": b"A", "b/index.html": b"B"})
    assert (report.written, report.unchanged, report.removed) == (2, 0, 0)
    before = os.stat(out / "a.html")
    report = write_site(out, {"a.html": b"A", "c.html": b"C"})
    assert (report.written, report.unchanged, report.removed) == (1, 1, 1)
    after = os.stat(out / "a.html")
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not (out / "b").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_a_failure_inside_leaves_the_old_output_untouched(tmp_path: Path):
    out = tmp_path / "output"
    write_site(out, {"a.html": b"A"})
    with pytest.raises(RuntimeError), staged_output(out) as staged:
        staged.write("a.html", b"changed")
        raise RuntimeError("template failed")
    assert (out / "a.html").read_bytes() == b"A"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


@pytest.mark.parametrize("rel", ["../escape.html", "/etc/passwd", "a/../../b", "a\\..\\b", ""])
def test_paths_cannot_escape(tmp_path: Path, rel: str):
    with pytest.raises(UnsafePath), staged_output(tmp_path / "output") as staged:
        staged.write(rel, b"x")
    assert not (tmp_path / "escape.html").exists()


def test_output_folder_must_not_hold_the_site(tmp_path: Path):
    (tmp_path / "content").mkdir()
    assert check_output_dir(tmp_path, tmp_path) is not None
    assert check_output_dir(tmp_path, tmp_path.parent) is not None
    assert check_output_dir(tmp_path / "sub", tmp_path) is not None
    assert check_output_dir(tmp_path, tmp_path / "output") is None


def test_symlinked_output_keeps_the_link(tmp_path: Path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "output").symlink_to(real)
    write_site(tmp_path / "output", {"a.html": b"A"})
    assert (tmp_path / "output").is_symlink()
    assert (real / "a.html").read_bytes() == b"A"
