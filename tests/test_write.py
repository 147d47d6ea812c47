import os
from pathlib import Path

import pytest
from conftest import article

from focue_ssg.output.write import (
    OutputWriter,
    UnsafePath,
    check_output_dir,
    stage_file,
    tree_files,
)


def commit(out: Path, files: dict[str, bytes], previous: set[str] | None = None):
    """Stage what differs from the output folder, as a build does, and commit."""
    writer = OutputWriter(out)
    staged = []
    for rel, data in files.items():
        target = out / rel
        if not (target.is_file() and target.read_bytes() == data):
            writer.write(rel, data)
            staged.append(rel)
    return writer.commit(staged, set(files), previous)


def test_first_build_renames_the_staging_folder_into_place(tmp_path: Path):
    out = tmp_path / "output"
    report = commit(out, {"a.html": b"A", "b/index.html": b"B"})
    assert (report.written, report.unchanged, report.removed) == (2, 0, 0)
    assert (out / "b/index.html").read_bytes() == b"B"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_a_later_build_stages_flat_and_moves_each_file_to_its_path(tmp_path: Path):
    out = tmp_path / "output"
    commit(out, {"a/index.html": b"A"})
    writer = OutputWriter(out)
    for rel in ("a/index.html", "b/c/index.html", "d.html"):
        writer.write(rel, rel.encode())
    staged = list(writer.stage.iterdir())
    assert len(staged) == 3 and all(p.is_file() for p in staged)  # no folders to make
    paths = ["a/index.html", "b/c/index.html", "d.html"]
    writer.commit(paths, set(paths), None)
    assert (out / "b/c/index.html").read_bytes() == b"b/c/index.html"
    assert (out / "a/index.html").read_bytes() == b"a/index.html"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_a_refused_staged_write_names_the_page(tmp_path: Path):
    out = tmp_path / "output"
    commit(out, {"a.html": b"A"})
    writer = OutputWriter(out)
    writer.stage.rmdir()
    writer.stage.write_bytes(b"")  # a file where the folder was: every write fails
    with pytest.raises(OSError) as caught:
        writer.write("2023/10/x/index.html", b"X")
    assert caught.value.filename == "2023/10/x/index.html"


def test_later_builds_move_in_only_changes_and_remove_stale_files(tmp_path: Path):
    out = tmp_path / "output"
    commit(out, {"a.html": b"A", "b/index.html": b"B", "c/d/index.html": b"D"})
    before = os.stat(out / "a.html")
    report = commit(out, {"a.html": b"A", "e.html": b"E"})
    assert (report.written, report.unchanged, report.removed) == (1, 1, 2)
    after = os.stat(out / "a.html")
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not (out / "b").exists() and not (out / "c").exists()
    assert tree_files(out) == {"a.html", "e.html"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_with_a_manifest_only_known_files_are_removed(tmp_path: Path):
    out = tmp_path / "output"
    commit(out, {"a.html": b"A", "b.html": b"B"})
    (out / "keep.txt").write_text("not ours")
    report = commit(out, {"a.html": b"A"}, previous={"a.html", "b.html"})
    assert report.removed == 1
    assert tree_files(out) == {"a.html", "keep.txt"}


def test_a_page_can_replace_a_file_where_its_folder_goes(tmp_path: Path):
    out = tmp_path / "output"
    commit(out, {"news": b"old file"})
    commit(out, {"news/index.html": b"new page"})
    assert (out / "news/index.html").read_bytes() == b"new page"


def test_abort_leaves_the_output_untouched(tmp_path: Path):
    out = tmp_path / "output"
    commit(out, {"a.html": b"A"})
    writer = OutputWriter(out)
    writer.write("a.html", b"changed")
    writer.abort()
    assert (out / "a.html").read_bytes() == b"A"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_leftover_staging_folders_from_killed_builds_are_cleared(tmp_path: Path):
    (tmp_path / ".output.staging-99999").mkdir()
    writer = OutputWriter(tmp_path / "output")
    writer.abort()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("rel", ["../escape.html", "/etc/passwd", "a/../../b", "a\\..\\b", ""])
def test_paths_cannot_escape(tmp_path: Path, rel: str):
    with pytest.raises(UnsafePath):
        stage_file(tmp_path / "stage", rel, b"x")
    assert not (tmp_path / "escape.html").exists()


def test_output_folder_must_not_hold_the_site(tmp_path: Path):
    (tmp_path / "content").mkdir()
    assert check_output_dir(tmp_path, tmp_path) is not None
    assert check_output_dir(tmp_path, tmp_path.parent) is not None
    assert check_output_dir(tmp_path / "sub", tmp_path) is not None
    assert check_output_dir(tmp_path, tmp_path / "output") is None


@pytest.mark.parametrize(
    "inside", ["content", "content/2023", "static/x", "themes", "data", ".focue-cache"]
)
def test_output_folder_must_not_be_in_a_folder_of_sources(tmp_path: Path, inside: str):
    assert check_output_dir(tmp_path, tmp_path / inside) is not None
    top = inside.split("/")[0]
    assert check_output_dir(tmp_path, tmp_path / f"{top}-out") is None  # a name alike is fine


def test_a_build_into_the_content_folder_is_refused_and_loses_nothing(site, focue):
    site.write({"content/2023/10/a.md": article("A Story", "2023-10-16 07:45")})
    result = focue("build", str(site.root), "-o", str(site.root / "content/2023"))
    assert result.code != 0 and "must not be in the site's content/" in result.err
    assert sorted(p.name for p in (site.root / "content/2023").rglob("*")) == ["10", "a.md"]


def test_symlinked_output_keeps_the_link(tmp_path: Path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "output").symlink_to(real)
    commit(tmp_path / "output", {"a.html": b"A"})
    assert (tmp_path / "output").is_symlink()
    assert (real / "a.html").read_bytes() == b"A"


def test_a_build_into_a_folder_of_other_files_is_refused_and_loses_nothing(site, focue):
    site.write({"content/2023/10/a.md": article("A Story", "2023-10-16 07:45")})
    home = site.root.parent / "home"
    (home / "photos").mkdir(parents=True)
    (home / "notes.txt").write_text("mine")
    result = focue("build", str(site.root), "-o", str(home))
    assert result.code == 1 and "holds files but no site" in result.err
    assert sorted(p.name for p in home.rglob("*")) == ["notes.txt", "photos"]
    (home / "photos").rmdir()
    (home / "notes.txt").unlink()
    (home / ".git").mkdir()  # hidden files alone: a folder made for the site (a Pages branch)
    assert focue("build", str(site.root), "-o", str(home)).code == 0
    (home / "notes.txt").write_text("stale")  # in a built site: removed, as any stale file
    assert focue("build", str(site.root), "-o", str(home), "--no-cache").code == 0
    assert not (home / "notes.txt").exists() and (home / "index.html").is_file()
    assert (home / ".git").is_dir()


@pytest.mark.parametrize("name", ["focue.toml", "notes.txt"])
def test_an_output_that_is_a_file_is_refused_and_kept(site, focue, name):
    site.write({"content/a.md": article("A", "2023-10-16 07:45"), name: "title = 'T'\n"})
    result = focue("build", str(site.root), "-o", str(site.root / name))
    assert result.code == 1 and "the output folder is a file" in result.err, result.err
    assert "partly updated" not in result.err
    assert (site.root / name).read_text() == "title = 'T'\n"
