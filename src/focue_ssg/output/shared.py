"""A cache shared between machines (`--cache-dir URL`): CI runners, previews and a
cluster's builds reuse each other's parsed articles and photo variants.

The URL names any file system fsspec knows: a shared folder (`/mnt/team/focue` or
`file://...`), or object storage where the user installs its backend (`s3://`
with s3fs, `gs://` with gcsfs, ...). It is a second level below the site's own
`.focue-cache/`, which a build still reads first.

Entries are content-addressed and immutable: a parsed article under a digest of
all its parse is a function of (the code and library versions, by the contents of
their files; the parse settings; the path; the source's bytes), a photo variant
under its own name, which is a digest of the photo and the variant. An entry is
written under a temporary name and moved into place (a rename on a folder; on an
object store the final put is atomic by itself), and begins with a digest of the
rest: a reader never takes a partial or damaged entry, it is a miss. Two builds
that write one entry at once write the same bytes, so neither can spoil it.
"""

from __future__ import annotations

import pickle
import sys
import uuid
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.digests import SIZE, digest, digest_parts
from .bodies import inline, stored
from .parsing import Parsed, ParseTask, read_source
from .state import SourceStat

PARSED, VARIANTS = "parsed", "variants"


def portable_code(packages: Iterable[Path | None]) -> bytes:
    """The code and libraries by the contents of their files (not their paths or
    times, as the local cache's signature): the same on every machine."""
    parts = [__version__.encode(), sys.version.encode()]
    for folder in packages:
        for path in sorted(folder.rglob("*.py")) if folder is not None else ():
            parts += [path.relative_to(folder).as_posix().encode(), path.read_bytes()]
    return digest_parts(parts)


class SharedCache:
    """Get and put entries by kind and name; every failure to read is a miss."""

    def __init__(self, url: str, code: bytes):
        import fsspec

        self.fs, root = fsspec.core.url_to_fs(url)
        self.root = root.rstrip("/")
        self.code = code

    def _path(self, kind: str, name: str) -> str:
        return f"{self.root}/{kind}/{name[:2]}/{name}"

    def parsed_name(self, settings: Any, path: str, source_digest: bytes) -> str:
        parts = [self.code, repr(settings).encode(), path.encode(), source_digest]
        return digest_parts(parts).hex()

    def get(self, kind: str, names: Iterable[str]) -> dict[str, bytes]:
        """The entries found whole, by name."""
        wanted = {self._path(kind, name): name for name in names}
        if not wanted:
            return {}
        try:
            found = self.fs.cat(list(wanted), on_error="omit")
        except (OSError, ValueError):
            return {}
        whole = {}
        for path, entry in found.items():
            name = wanted.get(path) or wanted.get(self.fs._strip_protocol(path))
            if (
                name is not None
                and isinstance(entry, bytes)
                and entry[:SIZE] == digest(entry[SIZE:])
            ):
                whole[name] = entry[SIZE:]
        return whole

    def put(self, kind: str, entries: dict[str, bytes]) -> None:
        """Write the entries not there yet; another writer's identical entry may win.
        A shared cache that cannot be written is a miss for other builds, not an error
        of this one."""
        for name, data in sorted(entries.items()):
            path = self._path(kind, name)
            try:
                if not self.fs.exists(path):
                    temporary = f"{path}.{uuid.uuid4().hex}.tmp"
                    self.fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
                    self.fs.pipe_file(temporary, digest(data) + data)
                    self.fs.mv(temporary, path)
            except (OSError, ValueError):
                return

    def get_parsed(self, names: Iterable[str]) -> dict[str, Any]:
        loaded = {}
        for name, data in self.get(PARSED, names).items():
            try:
                loaded[name] = pickle.loads(data)
            except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
                continue
        return loaded

    def put_parsed(self, results: dict[str, Any]) -> None:
        self.put(PARSED, {n: pickle.dumps(r, pickle.HIGHEST_PROTOCOL) for n, r in results.items()})


Hit = tuple[str, SourceStat, Any]  # a source's path, its stats and what its parse gave


def lookup(shared: SharedCache, tasks: list[ParseTask]) -> tuple[list[Hit], list[ParseTask]]:
    """The parses the shared cache holds, and the tasks left, their bytes read (a
    source's digest names its entry; its worker then need not read it again)."""
    read = [replace(task, read=read_source(task.file)) for task in tasks]
    digests = {t.path: digest(t.read.data) for t in read if t.read and t.read.problem is None}
    names = {
        t.path: shared.parsed_name(t.settings, t.path, digests[t.path])
        for t in read
        if t.path in digests
    }
    found = shared.get_parsed(names.values())
    hits, left = [], []
    for task in read:
        result = found.get(names.get(task.path, ""))
        if result is None or task.read is None:
            left.append(task)
        else:
            stat = SourceStat(task.read.size, task.read.mtime_ns, digests[task.path])
            hits.append((task.path, stat, result))
    folder = read[0].bodies if read else None
    if folder is not None and hits:
        documents = stored(folder, [document for _, _, (document, _) in hits])
        hits = [(p, s, (d, r[1])) for (p, s, r), d in zip(hits, documents, strict=True)]
    return hits, left


def share(shared: SharedCache, tasks: list[ParseTask], parsed: list[Parsed]) -> None:
    """Put what was parsed in the shared cache: the articles and pages that parsed (a
    file stopped by its time budget depends on the machine, not only its bytes)."""
    settings = {task.path: task.settings for task in tasks}
    entries = {
        shared.parsed_name(settings[p.path], p.path, p.stat.digest): (
            inline(p.document),
            p.diagnostics,
        )
        for p in parsed
        if p.document is not None and p.stat is not None and p.path in settings
    }
    shared.put_parsed(entries)
