"""The photos' variants: encoded once, ever, into a store in the build cache, and
copied to the output folder from there.

A variant's name holds a digest of the photo's bytes and of its parameters, so a
file in the store is never stale: what is there is reused, and only what is
missing is encoded, in worker processes, a photo per task. A photo that cannot
be decoded is an error said where the photo is named. With a shared cache
(`--cache-dir`), what this machine lacks is fetched from there first, and what it
encodes is put there.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..core.errors import Diagnostic, error
from ..core.layout import STATIC_DIR
from ..model.pictures import MEDIA_DIR, Rendition, Variant
from ..model.site import Site
from .cache import BuildCache
from .encode import EncodeTask
from .shared import SharedCache
from .workers import Jobs, Progress, encode_photos
from .write import write_whole

STORE = "media"  # under the cache folder


def store_name() -> str:
    """The store's folder: one per version of Pillow, whose encoders may change bytes."""
    import PIL

    return f"{STORE}-{PIL.__version__}"


@dataclass(frozen=True)
class Media:
    files: dict[str, Path]  # output path -> the variant in the store
    encoded: int  # variants encoded by this build
    problems: tuple[Diagnostic, ...]


def _needed(renditions: Iterable[Rendition], static: dict[str, Path]) -> dict[str, list]:
    """Each photo file's variants, once each, except what static/ already copies."""
    wanted: dict[str, dict[str, Variant]] = {}
    photos = {}
    for rendition in renditions:
        photos[rendition.photo.file] = rendition.photo
        found = wanted.setdefault(rendition.photo.file, {})
        for v in rendition.made:
            if v.output not in static:
                found.setdefault(v.output, v)
    return {file: [photos[file], list(v.values())] for file, v in wanted.items() if v}


def _documents(site: Site) -> list[str]:
    return [*(a.path for a in site.articles), *(p.path for p in site.pages)]


def without_shown_photos(static: dict[str, Path], site: Site) -> dict[str, Path]:
    """static/ without the photos documents show in their sizes, drafts' included: an
    original could carry a camera's GPS position, and no page links to it."""
    pictures = site.pictures
    used = pictures.used_by([*pictures.lead, *pictures.body])
    shown = {r.photo.file for r in used if not r.photo.svg}
    prefix = f"{STATIC_DIR}/"
    return {rel: path for rel, path in static.items() if prefix + rel not in shown}


def _scratch() -> Path:
    """A store for a build without a cache, removed when the process ends."""
    store = Path(tempfile.mkdtemp(prefix="focue-media-"))
    atexit.register(shutil.rmtree, store, True)
    return store


def _variant_name(v: Variant) -> str:
    return v.output.rsplit("/", 1)[-1]


def _from_shared(shared: SharedCache, store: Path, tasks: list[EncodeTask]) -> list[EncodeTask]:
    """Fetch the variants another build encoded into the store; the tasks left."""
    found = shared.get(store.name, [_variant_name(v) for t in tasks for v in t.variants])
    store.mkdir(parents=True, exist_ok=True)
    for name, data in found.items():
        write_whole(store / name, data)
    left = []
    for task in tasks:
        missing = tuple(v for v in task.variants if _variant_name(v) not in found)
        if missing:
            left.append(replace(task, variants=missing))
    return left


def _to_shared(shared: SharedCache, store: Path, tasks: list[EncodeTask], done: list) -> None:
    made = [_variant_name(v) for t, d in zip(tasks, done, strict=True) if d.problem is None
            for v in t.variants]  # fmt: skip
    shared.put(store.name, {name: (store / name).read_bytes() for name in made})


def make_media(
    site_dir: Path,
    site: Site,
    static: dict[str, Path],
    store: Path | None,
    jobs: Jobs,
    progress: Progress | None = None,
    shared: SharedCache | None = None,
) -> Media:
    """Every variant the published documents, the authors and the logo show; `store`:
    where variants are kept (None: a scratch folder)."""
    pictures = site.pictures
    needed = _needed(pictures.used_by(_documents(site)), static)
    if not needed:
        return Media({}, 0, ())
    store = store or _scratch()
    files: dict[str, Path] = {}
    tasks = []
    for file, (photo, variants) in sorted(needed.items()):
        missing = []
        for v in variants:
            files[v.output] = store / v.output.rsplit("/", 1)[-1]
            if not files[v.output].is_file():
                missing.append(v)
        if missing:
            tasks.append(EncodeTask(str(site_dir / file), photo, tuple(missing), str(store)))
    if shared is not None and tasks:
        tasks = _from_shared(shared, store, tasks)
    results = encode_photos(tasks, jobs, progress)
    if shared is not None:
        _to_shared(shared, store, tasks, results)
    problems = []
    encoded = 0
    for task, done in zip(tasks, results, strict=True):
        encoded += done.made
        if done.problem is not None:
            where = pictures.origins.get(task.photo.file, (task.photo.file, None, None))
            message = f"image {task.photo.file} cannot be decoded: {done.problem}"
            problems.append(error(where[0], message, where[1], where[2]))
    return Media(files, encoded, tuple(problems))


def prune_store(cache: BuildCache) -> None:
    """Forget variants no output folder shows any more, and the stores of other versions
    of Pillow, so the cache does not grow with every edit."""
    if not cache.enabled:
        return
    store = cache.folder / store_name()
    for other in cache.folder.glob(f"{STORE}-*"):
        if other != store:
            shutil.rmtree(other, ignore_errors=True)
    prefix = f"{MEDIA_DIR}/"
    shown = {
        rel.removeprefix(prefix)
        for manifest in cache.state.manifests.values()
        for rel in manifest.records
        if rel.startswith(prefix)
    }
    with contextlib.suppress(FileNotFoundError), os.scandir(store) as entries:
        for entry in entries:
            if entry.name not in shown:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
