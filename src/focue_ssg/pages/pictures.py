"""Photos in pages: what templates get of an image, and the `<picture>` element.

A local photo is offered in every width and format it was made in; the browser
picks by the `sizes` the template gives (how wide the image is drawn there). The
`<img>` always has `width` and `height`, so nothing moves as it loads; images
below the fold load lazily, the lead image early. A remote image is shown as
written, sized when the writer gave `image_width` and `image_height`.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..model.article import Image
from ..model.pictures import TYPES, Rendition, Variant
from .urls import Urls

# how wide the default theme draws an image, by where it sits
ARTICLE_SIZES = "(min-width: 45rem) 42rem, calc(100vw - 2.5rem)"


def _srcset(urls: Urls, variants: list[Variant]) -> str:
    return ", ".join(f"{urls.link(v.output)} {v.width}w" for v in variants)


def _crop(urls: Urls, crop: Variant) -> dict[str, Any]:
    return {"url": urls.absolute(crop.output), "width": crop.width, "height": crop.height}


def made_image(urls: Urls, alt: str, rendition: Rendition) -> dict[str, Any]:
    """A local photo: every format's srcset, the fallback's size, and its crops."""
    fallback = rendition.fallback
    by_format: dict[str, list[Variant]] = {}
    for v in rendition.variants:
        by_format.setdefault(v.format, []).append(v)
    sources = [
        {"type": TYPES.get(kind, f"image/{kind}"), "srcset": _srcset(urls, variants)}
        for kind, variants in by_format.items()
        if kind != fallback.format
    ]
    social = rendition.social or fallback
    return {
        "url": urls.link(fallback.output),
        "absolute_url": urls.absolute(fallback.output),
        "width": fallback.width or None,
        "height": fallback.height or None,
        "alt": alt,
        "srcset": _srcset(urls, by_format[fallback.format]) if fallback.format in TYPES else "",
        "sources": sources,
        "social": _crop(urls, social),
        "search": [_crop(urls, crop) for crop in rendition.search] or [_crop(urls, social)],
    }


def image_dict(urls: Urls, image: Image | None, rendition: Rendition | None) -> dict | None:
    """What templates get of a lead image (None: the story has none)."""
    if image is None:
        return None
    alt = image.alt or image.caption or ""
    if rendition is not None:
        made = made_image(urls, alt, rendition)
    else:
        absolute = {"url": urls.absolute_media(image.src), "width": None, "height": None}
        made = {
            "url": urls.media(image.src),
            "absolute_url": absolute["url"],
            "width": image.width,
            "height": image.height,
            "alt": alt,
            "srcset": "",
            "sources": [],
            "social": absolute,
            "search": [absolute],
        }
    return {**made, "caption": image.caption, "credit": image.credit}


def _attributes(pairs: dict[str, Any]) -> Markup:
    return Markup("").join(
        Markup(' {}="{}"').format(name, value) for name, value in pairs.items() if value
    )


def picture(image: dict[str, Any], sizes: str, lead: bool = False, css_class: str = "") -> Markup:
    """The `<picture>` for an image dict; `lead`: the first thing a reader sees, fetched
    early, never lazily."""
    timing = {"fetchpriority": "high"} if lead else {"loading": "lazy", "decoding": "async"}
    srcset = image.get("srcset")
    attributes = {
        "class": css_class,
        "src": image["url"],
        "srcset": srcset,
        "sizes": sizes if srcset else None,
        "width": image.get("width"),
        "height": image.get("height"),
        **timing,
    }
    img = Markup('<img alt="{}"{}>').format(image.get("alt") or "", _attributes(attributes))
    if not image.get("sources"):
        return img
    sources = Markup("").join(
        Markup("<source{}>").format(_attributes({**source, "sizes": sizes}))
        for source in image["sources"]
    )
    return Markup("<picture>{}{}</picture>").format(sources, img)
