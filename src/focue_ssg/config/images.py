"""How photos are resized and encoded, from the [images] table of focue.toml.

    [images]
    widths = [320, 640, 960, 1280, 1920]
    formats = ["avif", "webp", "jpeg"]

Every local photo is made in each width it is wider than (never upscaled), in each
format; `jpeg` is the fallback every browser shows (PNG for photos with
transparency), so it cannot be left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.errors import Diagnostic
from .tables import parse_table

FORMATS = ("avif", "webp", "jpeg")  # best first: browsers take the first they support
FALLBACK = "jpeg"


@dataclass(frozen=True)
class ImageSettings:
    widths: tuple[int, ...] = (320, 640, 960, 1280, 1920)
    formats: tuple[str, ...] = FORMATS
    avif_quality: int = 50
    webp_quality: int = 75
    jpeg_quality: int = 80
    max_megapixels: int = 120  # more than any camera makes: a decompression bomb
    lines: tuple[tuple[str, int], ...] = ()

    def quality(self, kind: str) -> int:
        return {"avif": self.avif_quality, "webp": self.webp_quality}.get(kind, self.jpeg_quality)


HELP = {
    "widths": "the widths, in pixels, each photo is made in (never wider than it is)",
    "formats": 'the formats each width is made in: "avif", "webp", "jpeg" (the fallback)',
    "avif_quality": "AVIF quality, 1 to 100",
    "webp_quality": "WebP quality, 1 to 100",
    "jpeg_quality": "JPEG quality, 1 to 100",
    "max_megapixels": "a photo with more pixels, all frames counted, is a decompression bomb",
}


def _widths(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, list) and value and all(type(v) is int and 16 <= v <= 8192 for v in value):
        return tuple(sorted(set(value))), None
    return None, "must be a list of widths from 16 to 8192 pixels"


def _formats(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, list) or any(v not in FORMATS for v in value):
        return None, 'must be a list of "avif", "webp" and "jpeg"'
    if FALLBACK not in value:
        return None, 'must include "jpeg", the format every browser shows'
    return tuple(kind for kind in FORMATS if kind in value), None


def _value(name: str, value: Any) -> tuple[Any, str | None]:
    if name == "widths":
        return _widths(value)
    if name == "formats":
        return _formats(value)
    least, most = (1, 1000) if name == "max_megapixels" else (1, 100)
    if type(value) is not int or not least <= value <= most:
        return None, f"must be an integer from {least} to {most}"
    return value, None


def parse_images(raw: Any, text: str, path: str) -> tuple[ImageSettings, list[Diagnostic]]:
    """The [images] table's settings, and what is wrong with them."""
    return parse_table("images", ImageSettings, _value, raw, text, path)
