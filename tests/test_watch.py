import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import nested
from watchdog.events import FileClosedNoWriteEvent, FileModifiedEvent, FileOpenedEvent

from focue_ssg.watch import SiteWatcher, _Debouncer, is_editor_noise


def test_editor_noise_is_recognised():
    for name in ("a.md.swp", ".a.md.swx", "a.md~", ".#a.md", "#a.md#", "4913", ".~lock.a.md#"):
        assert is_editor_noise(f"/site/content/{name}"), name
    assert not is_editor_noise("/site/content/a.md")


def test_bursts_become_one_callback_and_reads_are_ignored():
    calls: list[set[str]] = []
    done = threading.Event()

    def callback(paths):
        calls.append(paths)
        done.set()

    debouncer = _Debouncer(callback, 0.05, lambda p: False)
    debouncer.on_any_event(FileOpenedEvent("/s/content/a.md"))
    debouncer.on_any_event(FileClosedNoWriteEvent("/s/content/a.md"))
    for name in ("a.md", "b.md", "a.md.swp", "a.md"):
        debouncer.on_any_event(FileModifiedEvent(f"/s/content/{name}"))
    assert done.wait(5)
    time.sleep(0.1)
    assert calls == [{"/s/content/a.md", "/s/content/b.md"}]


@contextmanager
def _watching(folders: list[Path], files: list[Path]) -> Iterator[tuple[list, threading.Event]]:
    """A started watcher's callbacks (each a set of paths), and an event set at each;
    the watcher is stopped afterwards."""
    seen: list[set[str]] = []
    event = threading.Event()

    def callback(paths):
        seen.append(paths)
        event.set()

    watcher = SiteWatcher(folders, files, callback, delay=0.05)
    watcher.start()
    try:
        yield seen, event
    finally:
        watcher.stop()


def test_watcher_sees_edits_in_folders_and_single_files(tmp_path: Path):
    (tmp_path / "content").mkdir()
    (tmp_path / "focue.toml").write_text("")
    (tmp_path / "other.txt").write_text("")
    with _watching([tmp_path / "content"], [tmp_path / "focue.toml"]) as (seen, event):
        (tmp_path / "other.txt").write_text("not watched")
        (tmp_path / "content" / "new.md").write_text("x")
        assert event.wait(10)
        event.clear()
        (tmp_path / "focue.toml").write_text('title = "x"')
        assert event.wait(10)
    flat = {Path(p).name for paths in seen for p in paths}
    assert "new.md" in flat and "focue.toml" in flat
    assert "other.txt" not in flat


def test_a_watched_folder_made_after_the_start_is_watched_too(tmp_path: Path):
    """A site with no themes/ when the preview started: a template put in a themes/
    made later was never seen, and the preview went on showing the default theme."""
    themes = tmp_path / "themes"
    with _watching([themes], []) as (seen, event):
        (tmp_path / "elsewhere").mkdir()
        (themes / "focue" / "templates").mkdir(parents=True)
        assert event.wait(10)
        time.sleep(0.3)  # the folder's own rebuild has passed
        event.clear()
        (themes / "focue" / "templates" / "article.html").write_text("x")
        assert event.wait(10)
    flat = {Path(p).name for paths in seen for p in paths}
    assert "themes" in flat and "article.html" in flat
    assert "elsewhere" not in flat


def test_a_single_file_in_a_folder_made_after_the_start_is_seen(tmp_path: Path):
    """`focue init` makes no data/: authors added while the preview ran went unseen."""
    authors = tmp_path / "data" / "authors.toml"
    with _watching([], [authors]) as (seen, event):
        authors.parent.mkdir()
        authors.write_text('["A"]\n')  # as soon as the folder is there: a race the watcher wins
        assert event.wait(10)
        time.sleep(0.3)
        event.clear()
        (tmp_path / "data" / "other.toml").write_text("")
        authors.write_text('["B"]\n')
        assert event.wait(10)
    flat = [Path(p).name for paths in seen for p in paths]
    assert flat.count("authors.toml") >= 2 and "other.toml" not in flat


def test_a_folder_nested_past_the_recursion_limit_is_watched(tmp_path: Path):
    """watchdog walks a watched tree recursively (os.walk, before Python 3.12): a
    content/ nested 1,100 deep stopped `focue serve` with an internal RecursionError."""
    with (
        nested(tmp_path / "content", 1100) as folders,
        _watching([folders[0]], []) as (seen, event),
    ):
        (folders[-1] / "x.md").write_text("x")
        assert event.wait(10)
        assert "x.md" in {Path(p).name for p in seen[0]}
