import threading
import time
from pathlib import Path

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


def test_watcher_sees_edits_in_folders_and_single_files(tmp_path: Path):
    (tmp_path / "content").mkdir()
    (tmp_path / "focue.toml").write_text("")
    (tmp_path / "other.txt").write_text("")
    seen: list[set[str]] = []
    event = threading.Event()

    def callback(paths):
        seen.append(paths)
        event.set()

    watcher = SiteWatcher([tmp_path / "content"], [tmp_path / "focue.toml"], callback, delay=0.05)
    watcher.start()
    try:
        (tmp_path / "other.txt").write_text("not watched")
        (tmp_path / "content" / "new.md").write_text("x")
        assert event.wait(10)
        event.clear()
        (tmp_path / "focue.toml").write_text('title = "x"')
        assert event.wait(10)
    finally:
        watcher.stop()
    flat = {Path(p).name for paths in seen for p in paths}
    assert "new.md" in flat and "focue.toml" in flat
    assert "other.txt" not in flat
