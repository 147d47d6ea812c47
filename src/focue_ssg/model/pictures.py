"""Photos as pages show them: each local photo in several widths and formats, and
cropped for sharing and search.

Everything here is worked out from what a probe of the file said (its size, and
the digest of its bytes) and the settings, never from the pixels, so pages can be
planned before any photo is encoded. A variant's file name holds a digest of the
photo's bytes and of every parameter it is made with: a name is made once, ever,
and an edited photo gets new names (so caches and CDNs never serve a stale one).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import MappingProxyType

from ..config.images import FALLBACK, ImageSettings
from ..core.digests import digest
from ..core.layout import STATIC_DIR
from ..core.text import slugify

MEDIA_DIR = "media"  # where variants go in the output folder
SOCIAL = (1200, 630)  # og:image and Twitter cards
SEARCH_ASPECTS = ((16, 9), (4, 3), (1, 1))  # Google's article images
CROP_WIDTH = 1200
MIN_CROP_PIXELS = 50_000  # Google's least, for each of its aspects
EXTENSIONS = MappingProxyType(
    {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png", "gif": "gif", "svg": "svg"}
)
TYPES = MappingProxyType(
    {
        "avif": "image/avif",
        "webp": "image/webp",
        "jpeg": "image/jpeg",
        "png": "image/png",
        "gif": "image/gif",
    }
)
CENTRE = (0.5, 0.5)
Box = tuple[int, int, int, int]  # left, top, right, bottom, in the photo as shown


@dataclass(frozen=True)
class Photo:
    """A local image as a probe of its file found it."""

    file: str  # relative to the site folder: content/2023/10/x.jpg, static/images/y.png
    digest: str  # of the file's bytes, in hex
    width: int  # as shown: after the EXIF orientation is applied
    height: int
    alpha: bool = False  # has transparency: PNG, not JPEG, is its fallback
    svg: bool = False  # copied as it is
    animated: str = ""  # an animation's format (gif, webp, png): kept, at its own size


@dataclass(frozen=True)
class Variant:
    output: str  # relative to the output folder
    width: int
    height: int
    format: str  # a key of EXTENSIONS
    quality: int
    box: Box | None = None  # the crop, before resizing; None: the whole photo


@dataclass(frozen=True)
class Rendition:
    """One photo as pages show it: every width in every format, and its crops."""

    photo: Photo
    variants: tuple[Variant, ...]  # by format (best first), then width
    social: Variant | None = None  # 1200x630, or as near as the photo allows
    search: tuple[Variant, ...] = ()  # 16:9, 4:3 and 1:1, each of 50,000 pixels or more

    @property
    def fallback(self) -> Variant:
        """The widest variant every browser shows."""
        return self.variants[-1]

    @property
    def made(self) -> tuple[Variant, ...]:
        """Every file this rendition needs."""
        social = (self.social,) if self.social else ()
        return (*self.variants, *social, *self.search)


@functools.lru_cache(maxsize=4096)
def _stem(file: str) -> str:
    return slugify(file.rsplit("/", 1)[-1].rsplit(".", 1)[0], 40) or "image"


def _name(photo: Photo, size: tuple[int, int], kind: str, quality: int, box: Box | None) -> str:
    stem = _stem(photo.file)
    params = repr((photo.digest, size, kind, quality, box)).encode()
    mark = digest(params).hex()[:12]
    width, height = size
    shape = f"{width}w" if box is None else f"{width}x{height}"
    return f"{MEDIA_DIR}/{stem}-{shape}-{mark}.{EXTENSIONS[kind]}"


def variant(photo: Photo, size: tuple[int, int], kind: str, quality: int, box: Box | None = None):
    return Variant(_name(photo, size, kind, quality, box), *size, kind, quality, box)


def _svg(photo: Photo) -> Variant:
    """An SVG as it is: at its own path when under static/ (copied there anyway)."""
    static = f"{STATIC_DIR}/"
    if photo.file.startswith(static):
        return Variant(photo.file.removeprefix(static), photo.width, photo.height, "svg", 0)
    return variant(photo, (photo.width, photo.height), "svg", 0)


def widths(photo: Photo, settings: ImageSettings) -> tuple[int, ...]:
    """The configured widths narrower than the photo, and the photo's own width when it
    is narrower than the widest: never upscaled."""
    chosen = [w for w in settings.widths if w < photo.width]
    if photo.width <= settings.widths[-1]:
        chosen.append(photo.width)
    return tuple(chosen) or (photo.width,)


def crop_box(photo: Photo, aspect: tuple[int, int], focus: tuple[float, float]) -> Box:
    """The largest box of this aspect in the photo, as near to centred on the focus as
    the photo's edges allow."""
    w, h = photo.width, photo.height
    aw, ah = aspect
    if w * ah > h * aw:  # wider than the aspect: full height
        bw, bh = max(1, round(h * aw / ah)), h
    else:
        bw, bh = w, max(1, round(w * ah / aw))
    left = min(max(round(focus[0] * w - bw / 2), 0), w - bw)
    top = min(max(round(focus[1] * h - bh / 2), 0), h - bh)
    return left, top, left + bw, top + bh


def _crop(
    photo: Photo, aspect: tuple[int, int], width: int, focus: tuple[float, float], q: int, kind: str
) -> Variant:
    box = crop_box(photo, aspect, focus)
    out_w = min(width, box[2] - box[0])
    out_h = max(1, round(out_w * aspect[1] / aspect[0]))
    return variant(photo, (out_w, out_h), kind, q, box)


def render(photo: Photo, settings: ImageSettings, focus: tuple[float, float] = CENTRE) -> Rendition:
    """Every file a photo is shown through (SVG: itself, as it is; an animation: all its
    frames at its own size, and its crops from the first)."""
    if photo.svg:
        return Rendition(photo, (_svg(photo),))
    fallback = "png" if photo.alpha else FALLBACK
    q = settings.quality(fallback)
    if photo.animated:
        variants: tuple[Variant, ...] = (
            variant(photo, (photo.width, photo.height), photo.animated, 0),
        )
    else:
        kinds = [fallback if kind == FALLBACK else kind for kind in settings.formats]
        sizes = [
            (w, max(1, round(photo.height * w / photo.width))) for w in widths(photo, settings)
        ]
        variants = tuple(
            variant(photo, size, kind, settings.quality(kind)) for kind in kinds for size in sizes
        )
    social = _crop(photo, SOCIAL, SOCIAL[0], focus, q, fallback)
    crops = [_crop(photo, aspect, CROP_WIDTH, focus, q, fallback) for aspect in SEARCH_ASPECTS]
    search = tuple(v for v in crops if v.width * v.height >= MIN_CROP_PIXELS)
    return Rendition(photo, variants, social, search)


@dataclass(frozen=True)
class Pictures:
    """Which photo each document, author and the logo is shown with."""

    lead: dict[str, Rendition] = field(default_factory=dict)  # by document path
    body: dict[str, tuple[Rendition | None, ...]] = field(default_factory=dict)  # by token
    people: dict[str, Rendition] = field(default_factory=dict)  # by author name key
    logo: Rendition | None = None
    # photo file -> where it is first named: (file, line, column), for diagnostics
    origins: dict[str, tuple[str, int | None, int | None]] = field(default_factory=dict)

    def used_by(self, documents: Iterable[str]) -> list[Rendition]:
        """The renditions these documents, the authors and the logo show, each once."""
        found: dict[int, Rendition] = {}
        for path in documents:
            lead = self.lead.get(path)
            for rendition in (lead, *self.body.get(path, ())):
                if rendition is not None:
                    found.setdefault(id(rendition), rendition)
        for rendition in (*self.people.values(), self.logo):
            if rendition is not None:
                found.setdefault(id(rendition), rendition)
        return list(found.values())
