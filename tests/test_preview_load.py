"""The preview under load (issue 16): many clients while rebuilds run, live-reload
streams opened and dropped by the thousand, stalled clients, traversal attempts.
Traffic goes to 127.0.0.1 only, bounded in count and time."""

from __future__ import annotations

import http.client
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import article
from test_serve import LIMIT, get, preview_site, wait_for  # noqa: F401 (a fixture)

from focue_ssg.serve.server import GONE_CHECK_SECONDS


def test_two_hundred_clients_during_rebuilds_each_get_a_whole_file(preview_site):  # noqa: F811
    path = preview_site.site_dir / "content/2023/10/story.md"
    stop = threading.Event()
    builds_before = preview_site.state.snapshot()[1]

    def keep_editing():
        n = 0
        while not stop.is_set():
            n += 1
            body = "Paragraph. " * (n % 50)
            path.write_text(article(f"Headline {n}", "2023-10-17 07:45", body, tags=["World"]))
            time.sleep(0.4)  # past the watcher's wait for a burst of saves to end

    def client(n: int) -> list[tuple[str, int, dict, bytes]]:
        paths = ["/", "/2023/10/16/other-story/", "/tags/world/", "/static/focue.css"][n % 2 :][:3]
        return [(p, *get(preview_site, p)) for p in paths]

    editor = threading.Thread(target=keep_editing)
    editor.start()
    results, rounds = [], 0
    try:
        with ThreadPoolExecutor(max_workers=50) as pool:
            # rounds of 200 clients until two rebuilds have come and gone (at most 10)
            while rounds < 10 and preview_site.state.snapshot()[1] < builds_before + 2:
                results += [r for done in pool.map(client, range(200)) for r in done]
                rounds += 1
    finally:
        stop.set()
        editor.join()
    assert len(results) == 200 * 3 * rounds
    assert preview_site.state.snapshot()[1] >= builds_before + 2  # rebuilds ran meanwhile
    for where, status, headers, body in results:
        assert status == 200, where
        assert int(headers["Content-Length"]) == len(body)
        if status == 200 and where.endswith("/"):
            assert body.rstrip().endswith(b"</html>") and body.count(b"<html") == 1


def _threads_and_files() -> tuple[int, int]:
    return threading.active_count(), len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc")
def test_a_thousand_live_reload_streams_opened_and_dropped_leave_nothing_behind(
    preview_site,  # noqa: F811
):
    host, port = preview_site.server.server_address[:2]
    time.sleep(0.2)
    threads, files = _threads_and_files()

    def open_and_drop(_: int) -> bytes:
        conn = http.client.HTTPConnection(host, port, timeout=LIMIT)
        conn.request("GET", "/__focue__/events?since=-1")
        response = conn.getresponse()
        first = response.fp.readline()
        conn.close()
        return first

    with ThreadPoolExecutor(max_workers=40) as pool:
        firsts = list(pool.map(open_and_drop, range(1000)))
    assert set(firsts) == {b"retry: 500\n"}
    settled = wait_for(
        lambda: _threads_and_files()[0] <= threads + 1 and _threads_and_files()[1] <= files + 2,
        limit=GONE_CHECK_SECONDS * 4 + 5,
    )
    assert settled


def test_stalled_clients_do_not_hold_up_the_others(preview_site):  # noqa: F811
    host, port = preview_site.server.server_address[:2]
    stalled = []
    for sent in (b"", b"GET / HT", b"GET / HTTP/1.1\r\nHost: x\r\n"):  # nothing, half a line
        sock = socket.create_connection((host, port), timeout=LIMIT)
        sock.sendall(sent)
        stalled.append(sock)
    try:
        started = time.monotonic()
        statuses = [get(preview_site, "/")[0] for _ in range(20)]
        assert statuses == [200] * 20 and time.monotonic() - started < LIMIT / 2
    finally:
        for sock in stalled:
            sock.close()


@pytest.mark.parametrize(
    "path",
    [
        "/%252e%252e/%252e%252e/etc/passwd",  # encoded twice
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/..\\..\\etc\\passwd",  # backslashes
        "/static/..%5c..%5c..%5cetc/passwd",
        "/%00/etc/passwd",  # NUL bytes
        "/index.html%00.css",
        "/static/../../../../etc/passwd",
        "//etc/passwd",
    ],
)
def test_traversal_attempts_get_404_or_400(preview_site, path):  # noqa: F811
    status, _, body = get(preview_site, path)
    assert status in (400, 404)
    assert b"root:" not in body
