"""The preview server driven over real HTTP on a free port (issue 3).

No test depends on tight timings: waits poll with generous limits.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import article, write_files

from focue_ssg.serve.preview import Preview
from focue_ssg.serve.server import CannotListen, PortInUse, PreviewState, inject, resolve_inside

LIMIT = 20.0


def wait_for(predicate, limit: float = LIMIT, every: float = 0.05):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("condition not met in time")


def get(
    preview: Preview, path: str, method: str = "GET", headers: dict | None = None
) -> tuple[int, dict, bytes]:
    host, port = preview.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=LIMIT)
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


class Events:
    """Reads the Server-Sent Events stream in a thread, collecting reload generations."""

    def __init__(self, preview: Preview, since: int, page: str | None = None):
        host, port = preview.server.server_address[:2]
        self.conn = http.client.HTTPConnection(host, port, timeout=LIMIT)
        shown = f"&page={page}" if page else ""
        self.conn.request("GET", f"/__focue__/events?since={since}{shown}")
        self.response = self.conn.getresponse()
        self.reloads: list[int] = []
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        try:
            for raw in self.response:
                line = raw.decode().strip()
                if line.startswith("data: "):
                    self.reloads.append(int(line[6:]))
        except (OSError, ValueError):
            return


@pytest.fixture
def preview_site(tmp_path: Path):
    site = write_files(
        tmp_path / "site",
        {
            "content/2023/10/story.md": article(
                "First Headline", "2023-10-17 07:45", tags=["World"]
            ),
            "content/2023/10/other.md": article("Other Story", "2023-10-16 07:45"),
            "content/2023/10/draft.md": article("Draft Story", "2023-10-15 07:45", draft=True),
        },
    )
    reports = []
    preview = Preview(site, "127.0.0.1", 0, report=reports.append)
    preview.start()
    preview.reports = reports
    yield preview
    preview.stop()


def generation(preview: Preview) -> int:
    return preview.state.snapshot()[1]


def generation_root(preview: Preview) -> Path:
    """The folder the preview serves now."""
    return preview.state.snapshot()[0]


def test_pages_carry_the_reload_script_but_files_on_disk_do_not(preview_site):
    status, headers, body = get(preview_site, "/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"data-focue-live-reload" in body and b"/__focue__/events" in body
    on_disk = (preview_site.state.root / "index.html").read_bytes()
    assert b"focue-live-reload" not in on_disk
    assert get(preview_site, "/static/focue.css")[1]["Content-Type"] == "text/css; charset=utf-8"
    assert get(preview_site, "/tags/world/", "HEAD")[0] == 200


def test_drafts_are_shown_with_a_banner_and_never_reach_output(preview_site):
    status, _, body = get(preview_site, "/2023/10/15/draft-story/")
    assert status == 200 and b"draft-banner" in body
    assert not (preview_site.site_dir / "output").exists()


def test_missing_paths_get_the_sites_404_page(preview_site):
    status, _, body = get(preview_site, "/no/such/page/")
    assert status == 404
    assert b"Page not found" in body
    status, _, body = get(preview_site, "/" + "x" * 300 + "/")  # longer than a file name
    assert status == 404 and b"Page not found" in body
    status, headers, _ = get(preview_site, "/2023/10/17/first-headline")
    assert status == 301 and headers["Location"] == "/2023/10/17/first-headline/"


@pytest.mark.parametrize(
    ("asked", "sent"),
    [("bytes=0-9", (0, 9)), ("bytes=100-", (100, None)), ("bytes=-20", (-20, None))],
)
def test_a_byte_range_of_a_file_is_sent_alone(preview_site, asked, sent):
    """The search page fetches one record of a records file this way."""
    whole = (generation_root(preview_site) / "search/records/0.json").read_bytes()
    status, headers, body = get(preview_site, "/search/records/0.json", headers={"Range": asked})
    first, last = sent
    assert status == 206 and body == whole[first : last and last + 1]
    start = first % len(whole)
    assert headers["Content-Range"] == f"bytes {start}-{start + len(body) - 1}/{len(whole)}"


@pytest.mark.parametrize("asked", ["bytes=0-1,5-6", "bytes=x-y", "bytes=99999-", "items=0-1"])
def test_a_range_that_cannot_be_sent_alone_gets_the_whole_file(preview_site, asked):
    whole = (generation_root(preview_site) / "search/records/0.json").read_bytes()
    status, _, body = get(preview_site, "/search/records/0.json", headers={"Range": asked})
    assert status == 200 and body == whole


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "/static/..%5c..%5cetc/passwd",
        "/%00",
    ],
)
def test_traversal_attempts_get_404(preview_site, path):
    status, _, body = get(preview_site, path)
    assert status == 404
    assert b"root:" not in body


def test_symlinks_out_of_the_preview_folder_are_not_followed(preview_site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    os.symlink(secret, preview_site.state.root / "leak.txt")
    status, _, body = get(preview_site, "/leak.txt")
    assert status == 404 and b"top secret" not in body


def test_an_edit_reloads_the_browser_and_changes_the_page(preview_site):
    before = generation(preview_site)
    events = Events(preview_site, before)
    path = preview_site.site_dir / "content/2023/10/story.md"
    path.write_text(article("Second Headline", "2023-10-17 07:45", tags=["World"]))
    wait_for(lambda: any(g > before for g in events.reloads))
    _, _, body = get(preview_site, "/")
    assert b"Second Headline" in body and b"First Headline" not in body


def test_added_deleted_and_renamed_articles(preview_site):
    content = preview_site.site_dir / "content/2023/10"
    (content / "added.md").write_text(article("Added Story", "2023-10-18 07:45"))
    wait_for(lambda: get(preview_site, "/2023/10/18/added-story/")[0] == 200)
    (content / "other.md").unlink()
    wait_for(lambda: get(preview_site, "/2023/10/16/other-story/")[0] == 404)
    (content / "added.md").rename(content / "renamed.md")
    wait_for(lambda: b"Added Story" in get(preview_site, "/")[2] and generation(preview_site) >= 4)
    assert get(preview_site, "/2023/10/18/added-story/")[0] == 200


def test_a_bad_edit_keeps_the_last_good_site_with_an_overlay_until_fixed(preview_site):
    path = preview_site.site_dir / "content/2023/10/story.md"
    good = path.read_text()
    before = generation(preview_site)
    events = Events(preview_site, before)
    path.write_text(good.replace("date: 2023-10-17 07:45", "date: next tuesday"))
    wait_for(lambda: b"focue-error-overlay" in get(preview_site, "/")[2])
    _, _, body = get(preview_site, "/")
    assert b"First Headline" in body
    assert (
        b"content/2023/10/story.md:3:7: error: date: &#x27;next tuesday&#x27; is not a date" in body
    )
    assert any(not r.result.ok for r in preview_site.reports)
    path.write_text(good)
    wait_for(lambda: b"focue-error-overlay" not in get(preview_site, "/")[2])
    wait_for(lambda: len([g for g in events.reloads if g > before]) >= 2)


def test_concurrent_requests_during_rebuilds_get_complete_pages(preview_site):
    path = preview_site.site_dir / "content/2023/10/story.md"
    stop = threading.Event()

    def keep_editing():
        n = 0
        while not stop.is_set():
            n += 1
            path.write_text(
                article(f"Headline {n}", "2023-10-17 07:45", tags=["World"], body="x" * n)
            )
            time.sleep(0.05)

    editor = threading.Thread(target=keep_editing)
    editor.start()
    try:
        paths = ["/", "/2023/10/16/other-story/", "/tags/", "/static/focue.css"] * 13
        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(lambda p: (p, *get(preview_site, p)), paths[:50]))
    finally:
        stop.set()
        editor.join()
    assert len(results) == 50
    for path_, status, headers, body in results:
        assert status == 200, path_
        assert int(headers["Content-Length"]) == len(body)
        if path_.endswith("/"):
            assert body.rstrip().endswith(b"</html>")


STORY_PAGE = "2023/10/17/first-headline/index.html"


def test_after_a_template_edit_the_open_page_is_shown_before_the_rest(tmp_path):
    """Every page changes; the one open in a browser (its event stream names it) is
    rendered, swapped in and reloaded first, and not reloaded again by the rest."""
    base = "themes/focue/templates/base.html"
    template = (
        '{% extends "default/base.html" %}{% block title %}{{ page.title }} (v1){% endblock %}'
    )
    site = write_files(
        tmp_path / "site",
        {
            base: template,
            **{
                f"content/2023/10/s{n}.md": article(f"Story {n}", "2023-10-16 07:45")
                for n in range(30)
            },
            "content/2023/10/story.md": article("First Headline", "2023-10-17 07:45"),
        },
    )
    reports = []
    preview = Preview(site, "127.0.0.1", 0, report=reports.append)
    preview.start()
    try:
        before = generation(preview)
        events = Events(preview, before, "/2023/10/17/first-headline/")
        wait_for(lambda: preview.state.open_pages() == {STORY_PAGE})
        (site / base).write_text(template.replace("(v1)", "(v2)"))
        wait_for(lambda: reports and reports[-1].first_shown is not None)
        done = reports[-1]
        assert done.result.ok and done.first_shown <= done.seconds
        builds = [paths for g, paths in preview.state.history if g > before]
        assert builds[0] == {STORY_PAGE}  # shown first, alone
        assert STORY_PAGE not in builds[1] and "2023/10/16/story-3/index.html" in builds[1]
        assert not preview.state.affects(before + 1, STORY_PAGE)
        assert preview.state.affects(before + 1, "2023/10/16/story-3/index.html")
        wait_for(lambda: events.reloads)
        assert b"First Headline (v2)" in get(preview, "/2023/10/17/first-headline/")[2]
        assert b"Story 3 (v2)" in get(preview, "/2023/10/16/story-3/")[2]
    finally:
        preview.stop()


def test_a_build_process_that_dies_is_started_again(preview_site):
    """Builds run in a child process (its workers then fork); if it dies, the next
    build says so on the page and starts a new one, and the one after works."""
    builder = preview_site.builder
    os.kill(builder.process.pid, signal.SIGKILL)
    builder.process.join(LIMIT)
    path = preview_site.site_dir / "content/2023/10/story.md"
    path.write_text(article("Second Headline", "2023-10-17 07:45", tags=["World"]))
    wait_for(lambda: any(not r.result.ok for r in preview_site.reports))
    failed = next(r for r in preview_site.reports if not r.result.ok)
    assert (
        "the preview's build process stopped; it was restarted"
        in failed.result.diagnostics[0].message
    )
    path.write_text(article("Third Headline", "2023-10-17 07:45", tags=["World"]))
    wait_for(lambda: b"Third Headline" in get(preview_site, "/")[2])
    assert builder.process.is_alive()


def test_a_site_big_enough_for_worker_processes_builds_in_the_preview(tmp_path):
    """The build process starts worker processes of its own (parsing and pages pass
    MIN_PARALLEL here), and the preview ends it and them when it stops."""
    stories = {
        f"content/2023/10/s{n}.md": article(f"Story {n}", "2023-10-16 07:45", tags=[f"T{n}"])
        for n in range(110)
    }
    preview = Preview(write_files(tmp_path / "site", stories), "127.0.0.1", 0)
    first = preview.start()
    try:
        assert first.result.ok, first.result.diagnostics
        assert b"Story 42" in get(preview, "/2023/10/16/story-42/")[2]
        process = preview.builder.process
    finally:
        preview.stop()
    assert not process.is_alive()


def test_a_page_reloads_only_when_a_build_changed_it_or_an_asset():
    state = PreviewState()
    state.publish(Path("site"), (), "/")
    state.publish(Path("site"), (), "/", frozenset({"a/index.html"}))
    assert state.affects(1, "a/index.html") and not state.affects(1, "b/index.html")
    assert state.affects(1, None)  # a page that did not say which it is
    state.publish(Path("site"), (), "/", frozenset({"static/focue.css"}))
    assert state.affects(2, "b/index.html")
    state.publish(Path("site"), (), "/", frozenset())
    assert not state.affects(3, "b/index.html")
    state.publish(Path("site"), (), "/")  # a build that did not say what it changed
    assert state.affects(4, "b/index.html")
    assert state.affects(-1, "b/index.html")  # older than the remembered builds


def test_errors_shown_or_cleared_reload_every_page():
    from focue_ssg.core.errors import error

    state = PreviewState()
    state.publish(Path("site"), (), "/")
    state.publish(None, (error("content/x.md", "bad"),), "/")
    assert state.affects(1, "b/index.html")
    state.publish(Path("site"), (), "/", frozenset({"x/index.html"}))
    assert state.affects(2, "b/index.html")


def test_the_server_serves_under_the_base_path(tmp_path):
    site = write_files(
        tmp_path / "site",
        {
            "focue.toml": 'base_url = "https://example.org/news/"\n',
            "content/a.md": article("Under A Path"),
        },
    )
    preview = Preview(site, "127.0.0.1", 0)
    preview.start()
    try:
        assert preview.url.endswith("/news/")
        status, headers, _ = get(preview, "/")
        assert status == 301 and headers["Location"] == "/news/"
        assert b"Under A Path" in get(preview, "/news/")[2]
        assert get(preview, "/2023/10/17/under-a-path/")[0] == 404
    finally:
        preview.stop()


def test_the_preview_takes_a_base_url_of_its_own(tmp_path):
    site = write_files(
        tmp_path / "site",
        {
            "focue.toml": 'base_url = "https://example.org/news/"\n',
            "content/a.md": article("Under Another Path"),
        },
    )
    preview = Preview(site, "127.0.0.1", 0, base_url="http://127.0.0.1/staging/")
    preview.start()
    try:
        assert preview.url.endswith("/staging/")
        assert b"Under Another Path" in get(preview, "/staging/")[2]
        assert get(preview, "/news/")[0] == 404
    finally:
        preview.stop()


def test_a_first_build_that_fails_still_serves_the_errors(tmp_path):
    site = write_files(tmp_path / "site", {"content/a.md": "---\ntitle: x\n---\n"})
    preview = Preview(site, "127.0.0.1", 0)
    preview.start()
    try:
        status, _, body = get(preview, "/")
        assert status == 503
        assert b"content/a.md:1: error: date is required" in body
    finally:
        preview.stop()


def test_a_port_in_use_is_reported_clearly(tmp_path):
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    try:
        with pytest.raises(PortInUse, match="already in use"):
            Preview(tmp_path, "127.0.0.1", holder.getsockname()[1])
    finally:
        holder.close()


@pytest.mark.parametrize("host", ["999.1.1.1", "192.0.2.1", "fe80::1"])  # none is ours
def test_an_address_the_preview_cannot_listen_on_is_reported_clearly(tmp_path, host):
    with pytest.raises(CannotListen, match=f"cannot listen on {host}, port 0: "):
        Preview(tmp_path, host, 0)


def test_the_preview_listens_on_ipv6_loopback(tmp_path):
    """`--host ::1` was refused (the server made IPv4 sockets only), though it is the
    loopback address of an IPv6 machine and the preview printed such URLs."""
    if not socket.has_ipv6 or not _can_bind(socket.AF_INET6, "::1"):
        pytest.skip("this machine has no IPv6 loopback")
    write_files(tmp_path, {"content/a.md": article("A", "2023-10-16 07:45")})
    preview = Preview(tmp_path, "::1", 0)
    preview.start()
    try:
        assert preview.url.startswith("http://[::1]:")
        wait_for(lambda: get(preview, "/")[0] == 200)
    finally:
        preview.stop()


def _can_bind(family: socket.AddressFamily, host: str) -> bool:
    try:
        with socket.socket(family) as probe:
            probe.bind((host, 0))
        return True
    except OSError:
        return False


@pytest.mark.parametrize("port", ["65536", "-1"])
def test_a_port_out_of_range_is_a_usage_error(tmp_path, port):
    write_files(tmp_path, {"content/a.md": article("A", "2023-10-16 07:45")})
    done = subprocess.run(
        [sys.executable, "-m", "focue_ssg", "serve", str(tmp_path), "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "is not a port (0 to 65535" in done.stderr


def test_resolve_inside_and_inject(tmp_path):
    assert resolve_inside(tmp_path, "a/b.html") == tmp_path / "a/b.html"
    assert resolve_inside(tmp_path, "../x") is None
    assert resolve_inside(tmp_path, "a/%2e%2e/%2e%2e/x") is None
    page = inject(b"<html><body><p>x</p></body></html>", 7, ())
    assert page.endswith(b"</script></body></html>")
    assert b"var g=7" in page


def _as_from_a_shell() -> None:
    """A shell starts a command with no signal blocked; the test process may be in the
    middle of something that blocks Ctrl-C (another test's build commits with SIGINT
    held), and a child would inherit that mask."""
    signal.pthread_sigmask(signal.SIG_SETMASK, set())


@contextlib.contextmanager
def serve_command(site: Path) -> Iterator[tuple[subprocess.Popen, str]]:
    """`focue serve` in its own process; yields it and its URL, and stops it with Ctrl-C,
    which must end it cleanly."""
    process = subprocess.Popen(
        [sys.executable, "-m", "focue_ssg", "serve", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_as_from_a_shell,
    )
    try:
        line = ""
        while "Serving" not in line:
            line = process.stdout.readline()
            assert line, process.stderr.read()
        yield process, line.split()[1]
        process.send_signal(2)
        try:
            _, err = process.communicate(timeout=3 * LIMIT)  # reading, so no pipe fills
        except subprocess.TimeoutExpired:
            process.kill()
            _, err = process.communicate()
            pytest.fail(f"focue serve did not stop on Ctrl-C; it said: {err[-3000:]}")
        assert process.returncode == 0, err
        assert "Traceback" not in err
    finally:
        if process.poll() is None:
            process.kill()


def test_serve_command_reports_the_url_and_exits_cleanly_on_ctrl_c(tmp_path):
    site = write_files(tmp_path / "site", {"content/a.md": article("CLI Story")})
    with serve_command(site) as (_, url):
        host, port = url.split("//")[1].rstrip("/").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=LIMIT)
        conn.request("GET", "/")
        assert b"CLI Story" in conn.getresponse().read()
    assert not (site / ".focue-preview").exists()


def test_two_previews_of_one_site_do_not_disturb_each_other(preview_site):
    """Each preview builds into its own folder: stopping one leaves the other working."""
    with serve_command(preview_site.site_dir):
        pass
    status, _, body = get(preview_site, "/")  # its files are still there
    assert status == 200 and b"First Headline" in body
    before = generation(preview_site)
    path = preview_site.site_dir / "content/2023/10/story.md"
    path.write_text(article("Third Headline", "2023-10-17 07:45", tags=["World"]))
    wait_for(lambda: generation(preview_site) > before)
    assert preview_site.reports[-1].result.ok
    _, _, body = get(preview_site, "/")
    assert b"Third Headline" in body


def test_a_killed_previews_folder_is_removed_by_the_next(tmp_path):
    site = write_files(tmp_path / "site", {"content/a.md": article("Story")})
    abandoned = site / ".focue-preview" / str(2**22 + 1)  # above any pid Linux hands out
    (abandoned / "site").mkdir(parents=True)
    preview = Preview(site, "127.0.0.1", 0)
    preview.start()
    try:
        assert not abandoned.exists()
    finally:
        preview.stop()
    assert not (site / ".focue-preview").exists()


def test_an_edit_to_the_authors_file_shows_in_the_preview(tmp_path):
    site = write_files(
        tmp_path / "site",
        {
            "content/a.md": article("Story", authors=["Helen Tao"]),
            "data/authors.toml": '["Helen Tao"]\nbio = "Covers trade."\n',
        },
    )
    preview = Preview(site, "127.0.0.1", 0)
    preview.start()
    try:
        assert b"Covers trade." in get(preview, "/authors/helen-tao/")[2]
        before = generation(preview)
        (site / "data/authors.toml").write_text('["Helen Tao"]\nbio = "Covers energy."\n')
        wait_for(lambda: generation(preview) > before)
        assert b"Covers energy." in get(preview, "/authors/helen-tao/")[2]
    finally:
        preview.stop()


def test_the_preview_rebuilds_by_itself_when_a_scheduled_story_comes_due(tmp_path):
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=2)
    site = write_files(
        tmp_path / "site",
        {
            "content/now.md": article("Out Already", "2023-10-17 07:45"),
            "content/later.md": article("Comes Due Soon", due.isoformat()),
        },
    )
    preview = Preview(site, "127.0.0.1", 0)
    first = preview.start()
    try:
        assert b"Comes Due Soon" not in get(preview, "/")[2]
        assert first.result.next_rebuild_at == due.timestamp()
        # no file changes: the preview rebuilds at the moment the build named
        wait_for(lambda: b"Comes Due Soon" in get(preview, "/")[2])
    finally:
        preview.stop()


def test_the_watcher_polls_where_the_system_has_no_inotify_left(tmp_path, monkeypatch):
    """Editors and browsers use up inotify instances; the preview must still see edits."""
    from watchdog.observers import Observer

    from focue_ssg.watch import SiteWatcher

    def exhausted(self):
        raise OSError(24, "inotify instance limit reached")

    monkeypatch.setattr(Observer, "start", exhausted)
    (tmp_path / "content").mkdir()
    seen: list[set[str]] = []
    watcher = SiteWatcher([tmp_path / "content"], [], seen.append, delay=0.05)
    watcher.start()
    try:
        time.sleep(0.6)
        (tmp_path / "content/new.md").write_text("x")
        wait_for(lambda: seen)
    finally:
        watcher.stop()
    assert any(str(tmp_path / "content/new.md") in paths for paths in seen)


def test_a_big_file_is_served_whole_and_in_ranges_a_block_at_a_time(tmp_path):
    """A video in static/ was read whole into memory for every request the browser made
    of it (a player asks for ranges); it is now sent a block at a time."""
    data = bytes(range(256)) * (3 * 2**20 // 256 + 7)  # more than three blocks
    write_files(
        tmp_path, {"content/a.md": article("A", "2023-10-16 07:45"), "static/clip.mp4": data}
    )
    preview = Preview(tmp_path, "127.0.0.1", 0)
    preview.start()
    try:
        status, headers, body = get(preview, "/clip.mp4")
        assert status == 200 and body == data and headers["Content-Type"] == "video/mp4"
        first, last = 2**20 - 5, 2**21 + 5  # across a block's end
        asked = {"Range": f"bytes={first}-{last}"}
        status, headers, body = get(preview, "/clip.mp4", headers=asked)
        assert status == 206 and body == data[first : last + 1]
        assert headers["Content-Range"] == f"bytes {first}-{last}/{len(data)}"
        status, headers, body = get(preview, "/clip.mp4", "HEAD")
        assert headers["Content-Length"] == str(len(data)) and body == b""
    finally:
        preview.stop()
