"""Encode a photo's variants with Pillow: turned upright, colours in sRGB, every
other piece of metadata (GPS position, camera serial, author) left behind.

A photo is decoded once for all its missing variants, at the smallest scale that
still serves the widest (JPEG decodes at 1/2, 1/4 or 1/8 directly), and each
variant is resized from the full decode. Files are written under a temporary
name and renamed, so a store never holds half a variant.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..model.pictures import Photo, Variant

_PILLOW_FORMATS = {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG", "png": "PNG", "gif": "GIF"}
_SRGB: bytes | None = None


@dataclass(frozen=True)
class EncodeTask:
    file: str  # the photo, absolute
    photo: Photo
    variants: tuple[Variant, ...]  # those the store lacks
    store: str  # folder the variants go to, by file name


@contextlib.contextmanager
def _written(target: Path) -> Iterator[Path]:
    """A temporary name to write to, renamed to `target` once written: a store never
    holds half a variant."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    yield temporary
    os.replace(temporary, target)


def _srgb() -> bytes:
    """A small sRGB profile, embedded where the source had a profile of its own."""
    global _SRGB
    if _SRGB is None:
        from PIL import ImageCms

        _SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return _SRGB


def _least_scale(photo: Photo, variants: Sequence[Variant]) -> float:
    """The smallest share of the photo's size every variant can be made from."""
    needed = 0.0
    for v in variants:
        across = (v.box[2] - v.box[0]) if v.box else photo.width
        needed = max(needed, v.width / across)
    return min(1.0, needed)


def _decode(task: EncodeTask):
    """The photo upright and in sRGB (RGB or RGBA), and its scale to the probed size."""
    from PIL import Image, ImageCms, ImageOps

    Image.MAX_IMAGE_PIXELS = None  # the probe checked the size against our own limit
    image = Image.open(task.file)
    raw_w, raw_h = image.size
    if {raw_w, raw_h} != {task.photo.width, task.photo.height}:
        raise ValueError("the file changed while the site was building; build again")
    scale = _least_scale(task.photo, task.variants)
    image.draft("RGB", (math.ceil(raw_w * scale), math.ceil(raw_h * scale)))
    image.load()
    upright = ImageOps.exif_transpose(image) or image
    profile = image.info.get("icc_profile")
    mode = "RGBA" if task.photo.alpha else "RGB"
    if profile:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        upright = ImageCms.profileToProfile(
            upright.convert(mode), source, ImageCms.createProfile("sRGB"), outputMode=mode
        )
    else:
        upright = upright.convert(mode)
    return upright, upright.width / task.photo.width, bool(profile)


def _save(image, v: Variant, target: Path, profile: bool) -> None:
    options: dict = {"quality": v.quality}
    if v.format == "jpeg":
        options.update(optimize=True, progressive=True)
    elif v.format == "webp":
        options.update(method=4)
    elif v.format == "avif":
        options.update(speed=8)
    elif v.format == "png":
        options = {"optimize": True}
    if profile:
        options["icc_profile"] = _srgb()
    with _written(target) as temporary:
        image.save(temporary, _PILLOW_FORMATS[v.format], **options)


def _one(image, v: Variant, scale: float, target: Path, profile: bool) -> None:
    from PIL import Image

    if v.box is not None:
        box = tuple(round(edge * scale) for edge in v.box)
        image = image.crop(box)
    if image.size != (v.width, v.height):
        image = image.resize((v.width, v.height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    _save(image, v, target, profile)


def encode(task: EncodeTask) -> None:
    """Every variant of the task into the store; raises what Pillow raises."""
    store = Path(task.store)
    store.mkdir(parents=True, exist_ok=True)
    if task.photo.svg:
        data = Path(task.file).read_bytes()
        for v in task.variants:
            target = store / v.output.rsplit("/", 1)[-1]
            with _written(target) as temporary:
                temporary.write_bytes(data)
        return
    frames = [v for v in task.variants if v.format == task.photo.animated and v.box is None]
    for v in frames:
        _animation(task.file, v, store / v.output.rsplit("/", 1)[-1])
    stills = [v for v in task.variants if v not in frames]
    if not stills:
        return
    image, scale, profile = _decode(task)
    for v in sorted(stills, key=lambda v: -v.width):
        _one(image, v, scale, store / v.output.rsplit("/", 1)[-1], profile)


def _animation(file: str, v: Variant, target: Path) -> None:
    """Every frame, in its own format, with no metadata (Pillow writes only what it is
    given)."""
    from PIL import Image

    with Image.open(file) as image:
        for name in ("exif", "xmp", "comment", "icc_profile"):
            image.info.pop(name, None)
        with _written(target) as temporary:
            image.save(temporary, _PILLOW_FORMATS[v.format], save_all=True)
