"""Find the photos documents name and read what pages need of each: its size as
shown, whether it has transparency, and a digest of its bytes.

Only the file's header is decoded here (Pillow opens lazily); the pixels are
decoded once, in a worker, when a variant is first encoded. A photo's file may
sit beside the document that names it (`image: photo.jpg`, or a folder per
story) or under static/ (a path that starts with `/`, or one not found beside).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.digests import digest, file_digest
from ..core.files import is_file
from ..core.layout import CONTENT_DIR, STATIC_DIR
from ..core.text import clipped, is_external
from ..model.pictures import Photo

READABLE = frozenset({"JPEG", "MPO", "PNG", "WEBP", "AVIF", "GIF", "TIFF", "BMP"})
_SWAPPED = frozenset({5, 6, 7, 8})  # EXIF orientations that turn the photo a quarter
_ORIENTATION = 0x0112
_ANIMATED = {"GIF": "gif", "WEBP": "webp", "PNG": "png"}  # kept in their own format
_SVG_SIZE = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """Why a photo cannot be used, said of the file."""

    message: str


def is_remote(src: str) -> bool:
    """A URL elsewhere (left as it is: nothing is fetched at build time) or inline data."""
    return is_external(src) or src.startswith("data:")


def locate(src: str, document: str, site_dir: Path) -> str | Problem:
    """The site-relative file a document's image reference names."""
    if "{{" in src or "{%" in src:
        return Problem(
            f"image '{clipped(src)}' is another generator's template syntax; left as written"
        )
    clean = src.split("#", 1)[0].split("?", 1)[0]
    if clean.startswith("/"):
        candidates = [posixpath.normpath(f"{STATIC_DIR}/{clean.lstrip('/')}")]
    else:
        folder = posixpath.dirname(f"{CONTENT_DIR}/{document}")
        beside = posixpath.normpath(f"{folder}/{clean}")
        candidates = [beside, posixpath.normpath(f"{STATIC_DIR}/{clean}")]
    inside = (f"{CONTENT_DIR}/", f"{STATIC_DIR}/")
    candidates = [c for c in candidates if c.startswith(inside)]
    if not candidates:
        return Problem(f"image '{clipped(src)}' points outside the site")
    for candidate in candidates:
        if is_file(site_dir / candidate):
            return candidate
    looked = " and ".join(map(clipped, candidates))
    return Problem(f"image '{clipped(src)}' not found (looked for {looked})")


def probe(site_dir: Path, file: str, max_megapixels: int) -> Photo | Problem:
    """What pages need of a photo, or why it cannot be shown. A raster photo's header
    is read, and its bytes digested a block at a time: a scan may be a 2 GB TIFF, which
    the pixel limit refuses without its bytes in memory."""
    try:
        if file.lower().endswith(".svg"):
            return _svg(file, (site_dir / file).read_bytes())
        found = file_digest(site_dir / file)
    except OSError as exc:
        return Problem(f"cannot read image {file}: {exc.strerror}")
    return _raster(file, site_dir / file, found, max_megapixels)


def _raster(file: str, path: Path, found: bytes, max_megapixels: int) -> Photo | Problem:
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = None  # our own limit is checked below, with a better message
    try:
        with Image.open(path) as image:
            if image.format not in READABLE:
                return Problem(f"image {file} is {image.format}, which focue cannot process")
            width, height = image.size
            frames = getattr(image, "n_frames", 1)  # each variant encodes every frame
            if width * height * frames > max_megapixels * 1_000_000:
                return _bomb(file, (width, height, frames), max_megapixels)
            orientation = image.getexif().get(_ORIENTATION, 1)
            alpha = image.has_transparency_data
            animated = _ANIMATED.get(image.format, "") if frames > 1 else ""
    except UnidentifiedImageError:
        return Problem(f"image {file} is corrupt or not an image format focue can process")
    except (OSError, ValueError, SyntaxError) as exc:
        return Problem(f"image {file} is corrupt: {exc}")
    if orientation in _SWAPPED and not animated:
        width, height = height, width
    return Photo(file, found.hex(), width, height, alpha, animated=animated)


def _bomb(file: str, size: tuple[int, int, int], most: int) -> Problem:
    width, height, frames = size
    pixels = width * height * frames / 1_000_000
    shape = f"{width}×{height}" if frames == 1 else f"{frames:,} frames of {width}×{height}"
    return Problem(
        f"image {file} is {shape} ({pixels:,.0f} megapixels{' in all' * (frames > 1)}), "
        f"more than max_megapixels = {most}: refused as a decompression bomb"
    )


def _svg(file: str, data: bytes) -> Photo:
    """Its size from the root element's width and height, else its viewBox."""
    tag = _SVG_SIZE.search(data[:4096])
    text = tag.group(0).decode("utf-8", "replace") if tag else ""
    size = [_number(text, name) for name in ("width", "height")]
    if not all(size):
        box = re.search(r'viewBox="[\d.\-]+[ ,]+[\d.\-]+[ ,]+([\d.]+)[ ,]+([\d.]+)"', text)
        size = [round(float(box.group(1))), round(float(box.group(2)))] if box else [0, 0]
    return Photo(file, digest(data).hex(), size[0] or 0, size[1] or 0, svg=True)


def _number(text: str, name: str) -> int | None:
    match = re.search(rf'\b{name}="([\d.]+)(?:px)?"', text)
    return round(float(match.group(1))) if match else None
