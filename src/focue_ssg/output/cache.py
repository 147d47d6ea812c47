"""What an incremental build may reuse, kept in `SITE_DIR/.focue-cache/`.

- Parsed articles, keyed by path and content hash; the whole store belongs to
  one set of parse settings and library versions, and is dropped when they change.
  New parses go to a small second file, so one edit does not rewrite the store.
  Their bodies are files of their own (bodies.py).
- The size, mtime and hash of every source, so unchanged files are not re-read
  (as git does: a file whose mtime is not older than the moment it was hashed,
  by the file system's own clock, is hashed again, since a later edit in the same
  clock tick would leave its mtime unchanged).
- Per output folder, a manifest: each page's key (pages/recipe.py) and the hash of
  the bytes written, so unchanged pages are neither rendered nor written, and pages
  no longer planned can be removed. The memo of cutoff recipes (pages/recipe.py).
- Parts of the site model (reuse.py: related articles, the search index), the model
  and its plan's lists (kept_site.py): read only by builds that have work to do.
- Jinja's compiled templates, in a folder per version of the code (running.py).

A corrupt, truncated or other-version cache is discarded with a one-line note.
Saves are atomic (write, then rename) and builds of one site take a lock, so two
builds at once cannot corrupt it.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from ..core.digests import file_digest
from ..core.errors import Diagnostic, note
from ..core.layout import CACHE_DIR
from ..core.memory import no_gc_pauses
from ..model.article import StoredBody
from ..source.scan import Found
from . import running
from .bodies import FOLDER as BODIES
from .bodies import present, prune
from .manifest import UNREADABLE, Manifest
from .state import Seen, SourceStat, State

FORMAT = 13  # 13: out-of-band buffers after the payload, mapped when read
ARTICLES_FILE = "articles.pickle"
NEW_ARTICLES_FILE = "articles-new.pickle"
COMPACT_SHARE = 0.25  # rewrite the whole store once a quarter of it is new or stale
STATE_FILE = "state.pickle"
LOCK_FILE = "lock"
COMMITTING_FILE = "committing"
SCAN_FILE = "scan"
TEMPLATES_PREFIX = "templates-"


class BuildCache:
    """Loaded once per build (or kept by the preview between builds), saved at the end."""

    def __init__(self, site_dir: Path, enabled: bool = True):
        self.folder = site_dir / CACHE_DIR
        self.enabled = enabled
        self.code = running.signature()
        self.settings_key: Any = None
        self.articles: dict[tuple[str, bytes], Any] = {}
        self.replaced: dict[tuple[str, bytes], Any] = {}  # documents this build dropped
        self.state = State()
        self.on_disk: set[tuple[str, bytes]] = set()  # keys in the main store file
        self.in_new_file: set[tuple[str, bytes]] = set()  # and in the one of later parses
        self.articles_loaded = False
        self.state_loaded = False
        self.scan_ns = 0
        self.deferred = False  # the preview saves once, at the end, not after every build
        self.derived: dict[str, Any] = {}  # see `kept`
        self.derived_changed: set[str] = set()

    def _read(self, name: str, expect_settings: bool) -> tuple[Any, str | None]:
        path = self.folder / name
        if not path.is_file():
            return None, None
        try:
            with path.open("rb") as handle:
                header = pickle.load(handle)
                if not isinstance(header, dict) or header.get("format") != FORMAT:
                    return None, "was written by another version of focue"
                if header.get("code") != self.code:
                    return None, "was written by another version of focue or its libraries"
                if expect_settings and header.get("settings") != self.settings_key:
                    return None, None  # settings changed: a normal edit, no note
                buffers = _mapped_buffers(handle)
                with no_gc_pauses():
                    return pickle.load(handle, buffers=buffers), None
        except (OSError, *UNREADABLE) as exc:
            return None, f"was unreadable ({type(exc).__name__})"

    def prepare_state(self) -> tuple[Diagnostic, ...]:
        """Read the small state file once (the preview keeps it between builds)."""
        if not self.enabled:
            return ()
        self.scan_ns = self._file_system_now()
        if self.state_loaded:
            return ()
        self.state_loaded = True
        notes = []
        state, problem = self._read(STATE_FILE, expect_settings=False)
        if problem:
            notes.append(note(CACHE_DIR, f"the build state {problem}; rebuilding every page"))
        self.state = state if isinstance(state, State) else State()
        if (self.folder / COMMITTING_FILE).exists():
            notes.append(note(CACHE_DIR, "the last build was interrupted; checking every page"))
            self.state.manifests = {}
        return tuple(notes)

    def prepare(self, settings_key: Any) -> tuple[Diagnostic, ...]:
        """Read the parsed articles for these settings; other settings start empty."""
        if self.articles_loaded and settings_key == self.settings_key:
            return ()
        first = not self.articles_loaded
        self.settings_key = settings_key
        self.articles_loaded = True
        self.articles, self.on_disk, self.in_new_file = {}, set(), set()
        if not (first and self.enabled):
            return ()
        notes = []
        for name in (ARTICLES_FILE, NEW_ARTICLES_FILE):
            found, problem = self._read(name, expect_settings=True)
            if problem:
                notes.append(note(CACHE_DIR, f"the cache of parsed articles {problem}; re-parsing"))
                self.articles, self.on_disk, self.in_new_file = {}, set(), set()
                break
            if isinstance(found, dict):
                self.articles.update(found)
                if name == ARTICLES_FILE:
                    self.on_disk = set(found)
                else:
                    self.in_new_file = set(found)
        return tuple(notes)

    def _file_system_now(self) -> int:
        """The file system's clock (what mtimes are measured in), not the computer's."""
        self.folder.mkdir(parents=True, exist_ok=True)
        marker = self.folder / SCAN_FILE
        marker.touch()
        return marker.stat().st_mtime_ns

    def _write(self, name: str, payload: Any, settings: Any = None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{name}.{os.getpid()}.tmp"
        header = {"format": FORMAT, "code": self.code, "settings": settings}
        buffers: list[pickle.PickleBuffer] = []
        with temporary.open("wb") as handle:
            pickle.dump(header, handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(payload, handle, pickle.HIGHEST_PROTOCOL, buffer_callback=buffers.append)
            start = handle.tell()
            for buffer in buffers:
                handle.write(buffer.raw())
            tail = pickle.dumps((start, [buffer.raw().nbytes for buffer in buffers]))
            handle.write(tail + len(tail).to_bytes(8, "big"))
        os.replace(temporary, self.folder / name)

    def save(self) -> None:
        if not self.enabled or self.deferred:
            return
        self.flush()

    def flush(self) -> None:
        if not self.enabled:
            return
        self._save_articles()
        for name in sorted(self.derived_changed):
            self._write(f"{name}.pickle", self.derived[name])
        self.derived_changed.clear()
        self._write(STATE_FILE, self.state)
        _ignore_in_git(self.folder)

    def _save_articles(self) -> None:
        """The parses since the main file was written go to a small file of their own,
        rewritten whenever they differ from what it holds (a parse dropped since must
        not come back with the next load); the main file is rewritten when they are
        many, or many of its own are stale."""
        new = {key: value for key, value in self.articles.items() if key not in self.on_disk}
        stale = len(self.on_disk) - (len(self.articles) - len(new))
        if not new and not stale and not self.in_new_file:
            return
        if (len(new) + stale) > COMPACT_SHARE * len(self.on_disk) or not self.on_disk:
            self._write(ARTICLES_FILE, self.articles, self.settings_key)
            self.on_disk, new = set(self.articles), {}
            kept = {getattr(doc, "body", None) for doc, _ in self.articles.values()}
            prune(self._bodies(), {b.file for b in kept if isinstance(b, StoredBody)})
        elif new.keys() == self.in_new_file:
            return
        if new:
            self._write(NEW_ARTICLES_FILE, new, self.settings_key)
        else:  # also one this build could not read (another version's, say)
            with contextlib.suppress(FileNotFoundError):
                (self.folder / NEW_ARTICLES_FILE).unlink()
        self.in_new_file = set(new)

    # -- parsed articles -------------------------------------------------

    def source(self, path: str) -> SourceStat | None:
        seen = self.state.sources.get(path)
        return SourceStat(*seen) if seen is not None else None

    def trusted_digest(self, path: str, size: int, mtime_ns: int) -> bytes | None:
        """The content hash of a source known not to have changed, without reading it."""
        seen = self.state.sources.get(path)
        return seen[2] if _trusted(seen, size, mtime_ns) else None  # type: ignore[index]

    def reused(self, scanned: Sequence[Found]) -> tuple[dict[str, Any], list[Found]]:
        """The cached parses of the sources whose stats prove them unchanged, in one pass
        (there may be 100,000), and the sources left to `reuse` or parse."""
        sources, articles = self.state.sources, self.articles
        hits: dict[str, Any] = {}
        left = []
        for found in scanned:
            path, size, mtime_ns = found
            seen = sources.get(path)
            hit = articles.get((path, seen[2])) if _trusted(seen, size, mtime_ns) else None
            if hit is None:
                left.append(found)
            else:
                hits[path] = hit
        return hits, left

    def reuse(self, path: str, size: int, mtime: int, file: str) -> Any:
        """The cached parse of a source, when its content is known to be the same."""
        known = self.trusted_digest(path, size, mtime)
        if known is None and path in self.state.sources:
            try:  # touched or recent: its bytes decide, not its mtime
                known = file_digest(file)  # a block at a time: it may be a 3 GB dump now
            except OSError:
                return None
            hit = self.parsed(path, known)
            if hit is not None:
                self.remember(path, SourceStat(size, mtime, known), hit)
            return hit
        return self.parsed(path, known) if known is not None else None

    def parsed(self, path: str, source_digest: bytes) -> Any:
        return self.articles.get((path, source_digest))

    def remember(self, path: str, stat: SourceStat, result: Any) -> None:
        if self.enabled and not stat.checked_ns:
            stat = replace(stat, checked_ns=self.scan_ns)
        self.state.sources[path] = (stat.size, stat.mtime_ns, stat.digest, stat.checked_ns)
        self.articles.setdefault((path, stat.digest), result)

    def forget_missing(self, present: set[str]) -> None:
        """Drop sources (and their parses) that are gone, so the cache does not grow forever."""
        for path in set(self.state.sources) - present:
            del self.state.sources[path]
        current = {(p, seen[2]) for p, seen in self.state.sources.items()}
        stale = [key for key in self.articles if key not in current]
        dropped = (self.articles.pop(key)[0] for key in stale)
        self.replaced = {(doc.path, doc.source_digest): doc for doc in dropped if doc is not None}

    def earlier(self, path: str, origin: bytes) -> Any:
        """A document as an earlier build parsed it, before this build replaced or
        dropped it (the search index compares a changed story with itself as it was);
        `origin`: its source_digest then. None if its stored file went meanwhile."""
        found = self.replaced.get((path, origin))
        return found if found is not None and present(found) else None

    # -- what parts of the site model were made from (output/reuse.py) -------

    def kept(self, name: str, taken: bool = False) -> Any:
        """What the last build kept under `name` (the search index's lists) in a file
        of its own: read when first asked for, as most builds of a big site (those
        with nothing to do) never ask. `taken`: not held here after (but by the preview)."""
        if self.enabled and name not in self.derived:
            self.derived[name], _ = self._read(f"{name}.pickle", expect_settings=False)
        return (
            self.derived.pop(name, None) if taken and not self.deferred else self.derived.get(name)
        )

    def keep(self, name: str, value: Any) -> None:
        """Kept for the next build. A build on the command line writes it now and lets
        it go: the search index's full lists are a fifth of what the process would
        otherwise hold while its workers render. The preview keeps it in memory."""
        if not self.enabled:
            return
        if self.deferred:
            self.derived[name] = value
            self.derived_changed.add(name)
        else:
            self._write(f"{name}.pickle", value)
            self.derived.pop(name, None)
            self.derived_changed.discard(name)

    # -- compiled templates -------------------------------------------------

    def bodies(self) -> str | None:
        """Where parsed bodies are kept (output/bodies.py); None without a cache."""
        return self._bodies() if self.enabled else None

    def _bodies(self) -> str:
        """Absolute, so a stored body is found from any working folder a build runs in."""
        return os.path.realpath(self.folder / BODIES)

    def compiled_templates(self) -> Path | None:
        """A folder for Jinja's compiled templates. Jinja checks each against its source
        but not against the environment's options, so each version of the code gets its
        own folder; the others are removed."""
        if not self.enabled:
            return None
        folder = self.folder / f"{TEMPLATES_PREFIX}{self.code[:16]}"
        if not folder.is_dir():
            for old in self.folder.glob(f"{TEMPLATES_PREFIX}*"):
                shutil.rmtree(old, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
        return folder

    # -- output manifests --------------------------------------------------

    def manifest(self, output: Path) -> Manifest | None:
        return self.state.manifests.get(str(output.resolve()))

    def set_manifest(self, output: Path, manifest: Manifest) -> None:
        self.state.manifests[str(output.resolve())] = manifest

    def forget_manifest(self, output: Path) -> None:
        self.state.manifests.pop(str(output.resolve()), None)

    def begin_commit(self) -> None:
        """Mark a commit in progress: if it is cut short, the next build checks every page."""
        if self.enabled:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / COMMITTING_FILE).touch()

    def end_commit(self) -> None:
        self.save()
        with contextlib.suppress(FileNotFoundError):
            (self.folder / COMMITTING_FILE).unlink()

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """One build of a site at a time; others wait. A no-op where fcntl is missing."""
        if not self.enabled:
            yield
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            import fcntl
        except ImportError:  # Windows
            yield
            return
        with (self.folder / LOCK_FILE).open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _mapped_buffers(handle: BinaryIO) -> list[memoryview]:
    """The out-of-band buffers a payload was pickled with (model/term_lists.py), as
    views of the file mapped into memory: only the pages a build uses are read. The
    file ends with their place and sizes; `handle` is left where the payload begins."""
    payload_at = handle.tell()
    end = handle.seek(-8, os.SEEK_END)
    size = int.from_bytes(handle.read(8), "big")
    handle.seek(end - size)
    start, sizes = pickle.loads(handle.read(size))
    if start < payload_at or start + sum(sizes) != end - size:
        raise ValueError("the out-of-band buffers do not fit the file")
    if not sizes:
        handle.seek(payload_at)
        return []
    try:
        mapped = memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
    except OSError:  # a file system that cannot map files: read it
        handle.seek(0)
        mapped = memoryview(handle.read())
    handle.seek(payload_at)
    views = []
    for length in sizes:
        views.append(mapped[start : start + length])
        start += length
    return views


def _trusted(seen: Seen | None, size: int, mtime_ns: int) -> bool:
    """Same size and mtime, and the mtime old enough to mean the content is the same."""
    return seen is not None and seen[0] == size and seen[1] == mtime_ns and mtime_ns < seen[3]


def _ignore_in_git(folder: Path) -> None:
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# focue's build cache; safe to delete\n*\n")
