"""A cache shared between machines (issue 15): `focue build --cache-dir PATH|URL`
lets a second machine (here: a copy of the site in another folder, with no cache of
its own) reuse the first one's parsed articles and photo variants, byte-identical;
damaged entries are misses; concurrent writers cannot spoil an entry."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NOW_ARG, article, contents, photo, write_files

from focue_ssg.core.digests import SIZE, digest
from focue_ssg.output import parsing
from focue_ssg.output.shared import SharedCache, portable_code

STORIES = {
    f"content/2023/10/story-{n}.md": article(
        f"Story {n}", f"2023-10-{n + 1:02d} 07:45", f"Body {n}.", tags=["World"]
    )
    for n in range(12)
}


@pytest.fixture
def two_sites(tmp_path) -> tuple[Path, Path]:
    """One newsroom's site, checked out on two machines."""
    first = write_files(tmp_path / "runner-1", STORIES)
    return first, Path(shutil.copytree(first, tmp_path / "runner-2"))


def build(focue, site: Path, shared: str, *more: str):
    done = focue("build", str(site), "--cache-dir", shared, "--now", NOW_ARG, "-j", "1", *more)
    assert done.code == 0, done.err
    return done


def no_parsing(monkeypatch) -> None:
    def refuse(*args):
        raise AssertionError("parsed, though the shared cache held the parse")

    monkeypatch.setattr(parsing, "parse_source", refuse)


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_a_second_machine_reuses_the_parsed_articles(focue, two_sites, tmp_path, monkeypatch):
    first, second = two_sites
    shared = tmp_path / "shared"
    build(focue, first, str(shared))
    stored = entries(shared / "parsed")
    assert len(stored) == len(STORIES)
    assert all(e.read_bytes()[:SIZE] == digest(e.read_bytes()[SIZE:]) for e in stored)
    shutil.rmtree(first / ".focue-cache")  # the entries refer to nothing of the first's
    no_parsing(monkeypatch)
    build(focue, second, str(shared))
    assert contents(second / "output") == contents(first / "output")


def test_an_fsspec_url_works_as_well_as_a_folder(focue, two_sites, monkeypatch):
    first, second = two_sites
    build(focue, first, "memory://focue-shared-test")
    no_parsing(monkeypatch)
    build(focue, second, "memory://focue-shared-test")
    assert contents(second / "output") == contents(first / "output")


def test_an_edited_story_is_parsed_again_and_the_rest_reused(focue, two_sites, tmp_path):
    first, second = two_sites
    shared = tmp_path / "shared"
    build(focue, first, str(shared))
    (second / "content/2023/10/story-3.md").write_text(
        article("Story Three, Edited", "2023-10-04 07:45")
    )
    build(focue, second, str(shared))
    assert len(entries(shared / "parsed")) == len(STORIES) + 1
    assert b"Story Three, Edited" in (second / "output/index.html").read_bytes()


def test_damaged_entries_are_misses(focue, two_sites, tmp_path):
    first, second = two_sites
    shared = tmp_path / "shared"
    build(focue, first, str(shared))
    for entry in entries(shared / "parsed"):
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2])  # as a writer cut off half way would leave
    build(focue, second, str(shared))
    assert contents(second / "output") == contents(first / "output")


def test_photo_variants_come_from_the_shared_cache(focue, tmp_path):
    files = {
        "content/2023/10/harbour/index.md": article(
            "Harbour Reopens", image="quay.jpg", image_alt="Ships at the quay"
        ),
        "content/2023/10/harbour/quay.jpg": photo(1200, 800, seed=4),
    }
    first = write_files(tmp_path / "runner-1", files)
    second = Path(shutil.copytree(first, tmp_path / "runner-2"))
    shared = tmp_path / "shared"
    build(focue, first, str(shared), "--report", str(tmp_path / "one.json"))
    assert entries(shared / next(p.name for p in shared.iterdir() if p.name != "parsed"))
    build(focue, second, str(shared), "--report", str(tmp_path / "two.json"))
    import json

    assert json.loads((tmp_path / "one.json").read_text())["images_encoded"] > 0
    assert json.loads((tmp_path / "two.json").read_text())["images_encoded"] == 0
    assert contents(second / "output") == contents(first / "output")


WRITER = """
import sys
from focue_ssg.cli.main import main
sys.exit(main(["build", sys.argv[1], "--cache-dir", sys.argv[2], "--now", sys.argv[3], "-q"]))
"""


def test_concurrent_writers_leave_every_entry_whole(tmp_path):
    sites = [write_files(tmp_path / f"runner-{n}", STORIES) for n in range(3)]
    shared = tmp_path / "shared"
    runs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(site), str(shared), NOW_ARG])
        for site in sites
    ]
    assert [run.wait(timeout=300) for run in runs] == [0, 0, 0]
    stored = entries(shared / "parsed")
    assert len(stored) == len(STORIES)  # no temporary file left, none written twice
    assert all(e.read_bytes()[:SIZE] == digest(e.read_bytes()[SIZE:]) for e in stored)


def test_entries_are_named_by_the_code_the_settings_the_path_and_the_bytes(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text("x = 1\n")
    code = portable_code([tmp_path / "pkg"])
    cache = SharedCache(str(tmp_path / "shared"), code)
    name = cache.parsed_name(("UTC",), "a.md", b"digest")
    assert name == SharedCache(str(tmp_path / "elsewhere"), code).parsed_name(
        ("UTC",), "a.md", b"digest"
    )
    assert name != cache.parsed_name(("Asia/Shanghai",), "a.md", b"digest")
    assert name != cache.parsed_name(("UTC",), "b.md", b"digest")
    (tmp_path / "pkg" / "m.py").write_text("x = 2\n")
    assert (
        SharedCache(str(tmp_path / "shared"), portable_code([tmp_path / "pkg"])).parsed_name(
            ("UTC",), "a.md", b"digest"
        )
        != name
    )


def test_a_url_no_file_system_answers_to_is_a_usage_error(focue, two_sites):
    done = focue("build", str(two_sites[0]), "--cache-dir", "nosuchscheme://bucket/x")
    assert done.code == 2
    assert "--cache-dir nosuchscheme://bucket/x" in done.err and "Traceback" not in done.err
