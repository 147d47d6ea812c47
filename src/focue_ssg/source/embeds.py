"""Embeds that cost nothing until clicked.

A paragraph holding only a YouTube, Vimeo, X, Instagram or Datawrapper URL becomes
a facade: the provider's name, a plain link to the original URL (all a reader
without JavaScript needs) and a button with which the theme's script swaps in the
provider's iframe. A player or widget weighs hundreds of kilobytes and tells the
provider who reads the page, so nothing is asked of the provider before the click.

URLs are parsed strictly and only validated ids reach the iframe address, so
nothing a writer types ends up in an attribute other than the link's own href.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qs, urlsplit

from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString


@dataclass(frozen=True)
class Provider:
    key: str  # the facade's class is `embed-{key}`
    name: str
    thing: str  # what the URL shows: "video", "post", "chart"
    verb: str  # what the reader does with it on the provider's site


@dataclass(frozen=True)
class Embed:
    provider: Provider
    url: str  # as the writer gave it: the link to the original
    frame: str  # the iframe's address; "" when the provider has none without its script


YOUTUBE = Provider("youtube", "YouTube", "video", "Watch")
VIMEO = Provider("vimeo", "Vimeo", "video", "Watch")
X = Provider("x", "X", "post", "View")
INSTAGRAM = Provider("instagram", "Instagram", "post", "View")
DATAWRAPPER = Provider("datawrapper", "Datawrapper", "chart", "View")

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_SECONDS = re.compile(r"(\d{1,6})s?")
_VIMEO_ID = re.compile(r"\d{1,12}")
_VIMEO_HASH = re.compile(r"[0-9a-f]{6,20}")
_X_USER = re.compile(r"[A-Za-z0-9_]{1,15}")
_X_ID = re.compile(r"\d{1,20}")
_INSTAGRAM_ID = re.compile(r"[A-Za-z0-9_-]{5,40}")
_DATAWRAPPER_ID = re.compile(r"[A-Za-z0-9]{5}")
_DATAWRAPPER_VERSION = re.compile(r"\d{1,4}")
# printable ASCII without spaces, quotes or angle brackets: anything else is not a bare URL
_URL_CHARACTERS = re.compile(r"https?://[!#-&(-;=?-~]+", re.IGNORECASE)


def _fits(pattern: re.Pattern[str], value: str | None) -> bool:
    return value is not None and pattern.fullmatch(value) is not None


def _one(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name, [])
    return values[0] if len(values) == 1 else None


def _youtube(host: str, path: list[str], query: dict[str, list[str]]) -> str | None:
    """youtu.be/ID, youtube.com/watch?v=ID, /shorts/ID, /live/ID or /embed/ID; a `t`
    of seconds becomes the start. youtube-nocookie.com sets no cookie until playback."""
    if host == "youtu.be":
        video = path[0] if len(path) == 1 else None
    elif path == ["watch"]:
        video = _one(query, "v")
    elif len(path) == 2 and path[0] in ("shorts", "live", "embed"):
        video = path[1]
    else:
        video = None
    if not _fits(_YOUTUBE_ID, video):
        return None
    start = _SECONDS.fullmatch(_one(query, "t") or "")
    suffix = f"&start={int(start.group(1))}" if start else ""
    return f"https://www.youtube-nocookie.com/embed/{video}?autoplay=1{suffix}"


def _vimeo(host: str, path: list[str], query: dict[str, list[str]]) -> str | None:
    """vimeo.com/ID, an unlisted vimeo.com/ID/HASH, or player.vimeo.com/video/ID.
    `dnt=1` asks the player not to track the reader."""
    if host == "player.vimeo.com":
        path = path[1:] if path[:1] == ["video"] and len(path) == 2 else []
    if not path or len(path) > 2 or not _fits(_VIMEO_ID, path[0]):
        return None
    unlisted = path[1] if len(path) == 2 else _one(query, "h")
    if unlisted is not None and not _fits(_VIMEO_HASH, unlisted):
        return None
    suffix = f"&h={unlisted}" if unlisted else ""
    return f"https://player.vimeo.com/video/{path[0]}?autoplay=1&dnt=1{suffix}"


def _x(host: str, path: list[str], query: dict[str, list[str]]) -> str | None:
    """x.com or twitter.com /user/status/ID. X serves a post only through its own
    script, which tracks the reader, so the facade stays a link: no frame."""
    status = len(path) == 3 and path[1] == "status"
    return "" if status and _fits(_X_USER, path[0]) and _fits(_X_ID, path[2]) else None


def _instagram(host: str, path: list[str], query: dict[str, list[str]]) -> str | None:
    """instagram.com/p/ID or /reel/ID; Instagram's /embed/ page works without its script."""
    if len(path) == 2 and path[0] in ("p", "reel") and _fits(_INSTAGRAM_ID, path[1]):
        return f"https://www.instagram.com/{path[0]}/{path[1]}/embed/"
    return None


def _datawrapper(host: str, path: list[str], query: dict[str, list[str]]) -> str | None:
    """datawrapper.dwcdn.net/ID/ or /ID/VERSION/, or the share link datawrapper.de/_/ID/;
    without a version the chart's address serves its latest one."""
    if host.endswith("datawrapper.de"):
        path = path[1:] if len(path) == 2 and path[0] == "_" else []
    if not path or len(path) > 2 or not _fits(_DATAWRAPPER_ID, path[0]):
        return None
    if len(path) == 2 and not _fits(_DATAWRAPPER_VERSION, path[1]):
        return None
    return "https://datawrapper.dwcdn.net/" + "".join(f"{part}/" for part in path)


_Recogniser = Callable[[str, list[str], dict[str, list[str]]], str | None]
_HOSTS: dict[str, tuple[Provider, _Recogniser]] = {
    **dict.fromkeys(("youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"),
                    (YOUTUBE, _youtube)),
    **dict.fromkeys(("vimeo.com", "www.vimeo.com", "player.vimeo.com"), (VIMEO, _vimeo)),
    **dict.fromkeys(("x.com", "www.x.com", "twitter.com", "www.twitter.com",
                     "mobile.twitter.com", "mobile.x.com"), (X, _x)),
    **dict.fromkeys(("instagram.com", "www.instagram.com"), (INSTAGRAM, _instagram)),
    **dict.fromkeys(("datawrapper.dwcdn.net", "datawrapper.de", "www.datawrapper.de"),
                    (DATAWRAPPER, _datawrapper)),
}  # fmt: skip


def _split(url: str) -> SplitResult | None:
    """The URL's parts when it is a plain http(s) address: no credentials, no port."""
    if _URL_CHARACTERS.fullmatch(url) is None:
        return None
    try:
        parts = urlsplit(url)
        plain = parts.port is None and parts.username is None and parts.password is None
    except ValueError:  # a port that is not a number
        return None
    return parts if plain else None


def parse_embed(url: str) -> Embed | None:
    """The embed a URL names, or None for any other URL (or text)."""
    parts = _split(url)
    if parts is None or parts.hostname not in _HOSTS:
        return None
    provider, recognise = _HOSTS[parts.hostname]
    path = parts.path.removesuffix("/").split("/")[1:]
    if any(segment == "" for segment in path):
        return None
    frame = recognise(parts.hostname, path, parse_qs(parts.query))
    return None if frame is None else Embed(provider, url, frame)


def facade(embed: Embed) -> etree.Element:
    """The figure that stands in for the embed. The button is hidden until the script
    runs, so readers without JavaScript (and feed readers) see only the link."""
    provider = embed.provider
    figure = etree.Element("figure", {"class": f"embed embed-{provider.key}"})
    figure.text = "\n"
    parts = [("p", {"class": "embed-provider"}, provider.name)]
    if embed.frame:
        figure.set("data-embed", embed.frame)
        figure.set("data-title", f"{provider.name} {provider.thing}")
        button = {"type": "button", "class": "embed-load", "hidden": "hidden"}
        parts.append(("button", button, f"Load the {provider.thing} from {provider.name}"))
    link = f"{provider.verb} the {provider.thing} on {provider.name}"
    parts.append(("a", {"class": "embed-link", "href": embed.url}, link))
    for tag, attributes, text in parts:
        element = etree.SubElement(figure, tag, attributes)
        element.text, element.tail = AtomicString(text), "\n"
    return figure


def _lone_url(paragraph: etree.Element) -> str | None:
    """The URL a paragraph holds and nothing else: as text, as an autolink, or as a
    link whose text is its own address."""
    text = (paragraph.text or "").strip()
    if len(paragraph) == 0:
        return text
    link = paragraph[0]
    if text or len(paragraph) > 1 or link.tag != "a" or len(link) or (link.tail or "").strip():
        return None
    href = link.get("href", "")
    return href if (link.text or "").strip() == href else None


class EmbedTreeprocessor(Treeprocessor):
    """Replaces each top-level paragraph that holds only an embeddable URL with its facade.

    It runs after the inline patterns (so autolinks and links are elements) and before
    smarty (which would stash the dashes of an id) and the link pass (which marks the
    facade's link sponsored in paid content). Its own texts are atomic, so smarty
    leaves them alone.
    """

    def run(self, root: etree.Element) -> None:
        for index, element in enumerate(list(root)):
            url = _lone_url(element) if element.tag == "p" else None
            embed = parse_embed(url) if url else None
            if embed is not None:
                figure = facade(embed)
                figure.tail = element.tail
                root[index] = figure
