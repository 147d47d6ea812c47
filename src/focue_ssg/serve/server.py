"""The preview's HTTP side: files from the build folder, the live-reload event stream,
and the error overlay. Only files inside the build folder are ever served.

Every HTML page gets a small script (in the response, never the file) that listens
for rebuilds over Server-Sent Events, naming the page it is on, and reloads the page
once a build has changed it (or an asset, or the errors shown). The pages whose
streams are open are the pages open in a browser: the preview renders them first.
"""

from __future__ import annotations

import html
import mimetypes
import os
import select
import socket
import threading
from collections import Counter, deque
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import parse_qs, unquote, urlsplit

from ..core.errors import Diagnostic
from ..core.files import is_dir, is_file

EVENTS_PATH = "/__focue__/events"
KEEPALIVE_SECONDS = 15.0
GONE_CHECK_SECONDS = 0.5  # how soon a closed live-reload stream's thread ends
CLIENT_TIMEOUT_SECONDS = 20.0  # a request or a send that stalls this long is dropped
HISTORY = 64  # builds remembered with what they changed
BLOCK = 1 << 20  # bytes of a file sent at a time
ASSETS = (".css", ".js", ".woff2", ".woff", ".ttf", ".svg", ".png", ".jpg", ".jpeg", ".webp")
ASSETS += (".avif", ".gif", ".ico")  # a change to one reloads every page
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
}
RELOAD_SCRIPT = (
    "<script data-focue-live-reload>(function(){{var g={generation},"
    's=new EventSource("{events}?since="+g+"&page="+encodeURIComponent(location.pathname));'
    's.addEventListener("reload",function(e){{if(+e.data!==g){{s.close();location.reload();}}}});'
    "}})();</script>"
)
OVERLAY = (
    '<div id="focue-error-overlay" role="alert" style="position:fixed;inset:0;z-index:2147483647;'
    "overflow:auto;margin:0;padding:2rem;background:rgba(25,0,0,.94);color:#fff;"
    'font:15px/1.5 ui-monospace,Menlo,Consolas,monospace">'
    '<p style="margin:0 0 1rem;font:700 1.3rem/1.3 system-ui,sans-serif;color:#ffb4b4">'
    "Build failed: this is the last good build</p>"
    '<pre style="white-space:pre-wrap;margin:0">{diagnostics}</pre>'
    '<p style="margin:1rem 0 0;font-family:system-ui,sans-serif">Fix the problem and save: '
    "this page reloads by itself.</p></div>"
)


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    return (
        CONTENT_TYPES.get(suffix)
        or mimetypes.guess_type(path.name)[0]
        or "application/octet-stream"
    )


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The first and last byte a `Range: bytes=...` header asks of `size` bytes; None
    to send the whole file (no header, several ranges, or one that cannot be read)."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first, _, last = header[6:].strip().partition("-")
    try:
        if not first:
            return (max(0, size - int(last)), size - 1) if int(last) > 0 and size else None
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    except ValueError:
        return None
    return (start, end) if 0 <= start <= end else None


def _copy(source: BinaryIO, target: BinaryIO, length: int) -> None:
    while length > 0:
        block = source.read(min(length, BLOCK))
        if not block:  # the file shrank meanwhile (a rebuild replaced it)
            return
        target.write(block)
        length -= len(block)


def resolve_inside(root: Path, url_path: str) -> Path | None:
    """The file a URL path names inside `root`, or None if it would leave it."""
    decoded = unquote(url_path)
    if "\x00" in decoded or "\\" in decoded:
        return None
    parts = [p for p in PurePosixPath("/" + decoded).parts[1:] if p not in ("", ".")]
    if ".." in parts:
        return None
    candidate = root.joinpath(*parts)
    try:
        real = candidate.resolve()
        real.relative_to(root.resolve())
    except (ValueError, OSError):
        return None
    return candidate


def inject(page: bytes, generation: int, diagnostics: tuple[Diagnostic, ...]) -> bytes:
    """Add the live-reload script (and the error overlay) to a served page, not the file."""
    extra = RELOAD_SCRIPT.format(generation=generation, events=EVENTS_PATH)
    if diagnostics:
        listing = "\n".join(d.format() for d in diagnostics)
        extra = OVERLAY.format(diagnostics=html.escape(listing)) + extra
    text = page.decode("utf-8", "replace")
    at = text.lower().rfind("</body>")
    text = text[:at] + extra + text[at:] if at >= 0 else text + extra
    return text.encode("utf-8")


@dataclass
class PreviewState:
    """What the server shows now; builds replace it whole, under the condition's lock."""

    base_path: str = "/"
    root: Path | None = None
    generation: int = 0
    problems: tuple[Diagnostic, ...] = ()  # the failed build's diagnostics, if it failed
    closing: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)
    history: deque = field(default_factory=lambda: deque(maxlen=HISTORY))  # (generation, paths)
    watching: Counter = field(default_factory=Counter)  # output paths of pages open now

    def snapshot(self) -> tuple[Path | None, int, tuple[Diagnostic, ...], str]:
        with self.changed:
            return self.root, self.generation, self.problems, self.base_path

    def publish(
        self,
        root: Path | None,
        problems: tuple[Diagnostic, ...],
        base_path: str,
        changed: frozenset[str] | None = None,
    ) -> int:
        """A build finished; `changed`: the output files it changed, None if unknown."""
        with self.changed:
            if root is not None:
                self.root = root
            if problems or self.problems or base_path != self.base_path:
                changed = None  # the error overlay comes or goes: every page reloads
            self.problems = problems
            self.base_path = base_path
            self.generation += 1
            self.history.append((self.generation, changed))
            self.changed.notify_all()
            return self.generation

    def affects(self, since: int, page: str | None) -> bool:
        """Whether a page shown since build `since` should reload: a later build changed
        it or an asset, or did not say what it changed (or is too long ago to know)."""
        with self.changed:
            if page is None or not self.history or self.history[0][0] > since + 1:
                return True
            later = [paths for generation, paths in self.history if generation > since]
        return any(
            paths is None or page in paths or any(p.endswith(ASSETS) for p in paths)
            for paths in later
        )

    def open_pages(self) -> frozenset[str]:
        with self.changed:
            return frozenset(page for page, streams in self.watching.items() if streams)

    def watch(self, page: str | None, streams: int) -> None:
        if page is not None:
            with self.changed:
                self.watching[page] += streams

    def wait_past(self, generation: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.generation != generation or self.closing, timeout)
            return self.generation

    def close(self) -> None:
        with self.changed:
            self.closing = True
            self.changed.notify_all()


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewHTTPServer
    server_version = "focue-preview"
    timeout = CLIENT_TIMEOUT_SECONDS  # a client that stalls frees its thread after this

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not news; the terminal shows builds."""

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def respond(self, send_body: bool) -> None:
        url = urlsplit(self.path)
        if url.path == EVENTS_PATH:
            query = parse_qs(url.query)
            page = self.output_path(query.get("page", [""])[0])
            self.stream_events(query.get("since", ["-1"])[0], page)
            return
        root, generation, problems, base = self.server.state.snapshot()
        if root is None:
            self.send_page(
                HTTPStatus.SERVICE_UNAVAILABLE,
                b"<!DOCTYPE html><title>Build failed</title><body></body>",
                ".html",
                generation,
                problems,
                send_body,
            )
            return
        if url.path == "/" and base != "/":
            self.redirect(base)
            return
        if not url.path.startswith(base):
            self.not_found(root, generation, problems, send_body)
            return
        target = resolve_inside(root, url.path[len(base) :])
        if target is not None and is_dir(target):
            if not url.path.endswith("/"):
                self.redirect(url.path + "/")
                return
            target = target / "index.html"
        if target is None or not is_file(target):
            self.not_found(root, generation, problems, send_body)
            return
        if content_type(target).startswith("text/html"):
            body = target.read_bytes()
            self.send_page(HTTPStatus.OK, body, target.suffix, generation, problems, send_body)
        else:
            self.send_file(target, send_body)

    def send_file(self, target: Path, send_body: bool) -> None:
        """A file as it is, or the byte range asked of it (the search page reads one
        record of a file this way), a block at a time: a story may show a video larger
        than the machine's memory."""
        with open(target, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            wanted = byte_range(self.headers["Range"], size)
            first, last = wanted or (0, size - 1)
            status, headers = HTTPStatus.OK, {}
            if wanted is not None:
                status = HTTPStatus.PARTIAL_CONTENT
                headers = {"Content-Range": f"bytes {first}-{last}/{size}"}
            self.send_head(status, content_type(target), last - first + 1, headers)
            if send_body:
                handle.seek(first)
                _copy(handle, self.wfile, last - first + 1)

    def not_found(self, root: Path, generation: int, problems, send_body: bool) -> None:
        page = root / "404.html"
        body = (
            page.read_bytes()
            if page.is_file()
            else b"<!DOCTYPE html><title>Not found</title><body></body>"
        )
        self.send_page(HTTPStatus.NOT_FOUND, body, ".html", generation, problems, send_body)

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_page(
        self,
        status: HTTPStatus,
        body: bytes,
        suffix: str,
        generation: int,
        problems: tuple[Diagnostic, ...],
        send_body: bool,
        headers: dict[str, str] | None = None,
    ) -> None:
        kind = content_type(Path("x" + suffix))
        if kind.startswith("text/html"):
            body = inject(body, generation, problems)
        self.send_head(status, kind, len(body), headers or {})
        if send_body:
            self.wfile.write(body)

    def send_head(self, status: HTTPStatus, kind: str, length: int, headers: dict) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def output_path(self, url_path: str) -> str | None:
        """The output file a page's URL path shows ('/2023/x/' -> '2023/x/index.html')."""
        base = self.server.state.snapshot()[3]
        if not url_path.startswith(base):
            return None
        rel = unquote(url_path[len(base) :])
        return rel + "index.html" if rel == "" or rel.endswith("/") else rel

    def stream_events(self, since: str, page: str | None) -> None:
        """Server-Sent Events: a `reload` event when a build since `since` changed `page`
        (see PreviewState.affects). The page counts as open while its stream is."""
        state = self.server.state
        try:
            seen = int(since)
        except ValueError:
            seen = -1
        state.watch(page, 1)
        try:
            self._stream(state, seen, page)
        finally:
            state.watch(page, -1)

    def _stream(self, state: PreviewState, seen: int, page: str | None) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            quiet = 0.0
            while not state.closing:
                current = state.wait_past(seen, GONE_CHECK_SECONDS)
                if current != seen and state.affects(seen, page):
                    self.wfile.write(f"event: reload\ndata: {current}\n\n".encode())
                    seen, quiet = current, 0.0
                elif current != seen:
                    seen = current  # built, but nothing this page shows changed
                elif self._gone():
                    return  # the page was closed: its thread ends now, not at a write
                elif (quiet := quiet + GONE_CHECK_SECONDS) >= KEEPALIVE_SECONDS:
                    self.wfile.write(b": keep-alive\n\n")
                    quiet = 0.0
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return

    def _gone(self) -> bool:
        """Whether the client has closed its end (it sends nothing on this stream)."""
        try:
            ready, _, _ = select.select([self.connection], [], [], 0)
            return bool(ready) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True


class PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: PreviewState):
        self.state = state
        self.address_family = _family(*address)
        super().__init__(address, PreviewHandler)


def _family(host: str, port: int) -> socket.AddressFamily:
    """IPv6 for an IPv6 address or a name that has only such (`--host ::1`); IPv4
    otherwise, and for '' (every address). An unknown name raises OSError."""
    if not host:
        return socket.AF_INET
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    families = [family for family, *_ in found]
    return socket.AF_INET if socket.AF_INET in families else families[0]


class CannotListen(OSError):
    """The preview cannot listen where it was asked to; the message says why."""


class PortInUse(CannotListen):
    """The port is taken; the message says what to do."""
