"""Where pages live and how they are linked: the site's URL layout in one place."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

from ..core.text import is_external

INDEX_FILE = "index.html"
T = TypeVar("T")


def output_file(link: str) -> str:
    """'/2023/10/17/slug/' -> '2023/10/17/slug/index.html' (pretty URLs)."""
    path = link.lstrip("/")
    return path + INDEX_FILE if path.endswith("/") or not path else path


def page_path(output: str) -> str:
    """The site path a page is reached at: '2023/10/17/slug/index.html' -> '/2023/10/17/slug/'."""
    return "/" + output.removesuffix(INDEX_FILE)


def page_count(items: int, size: int) -> int:
    """A list has at least one page, even when empty."""
    return max(1, -(-items // size))


def page_slice(items: Sequence[T], number: int, size: int) -> Sequence[T]:
    """What page `number` of a list shows, `size` items a page."""
    return items[(number - 1) * size : number * size]


def page_link(first: str, number: int) -> str:
    """Page 1 is the listing itself; later pages live under `page/N/`."""
    return first if number == 1 else f"{first}page/{number}/"


def archive_link(year: int, month: int | None = None) -> str:
    return f"/{year:04d}/" if month is None else f"/{year:04d}/{month:02d}/"


@dataclass(frozen=True)
class Urls:
    """Every URL the site prints: under the base path, absolute when the host is known."""

    base_url: str
    base_path: str
    has_host: bool
    origin: str

    @classmethod
    def of(cls, base_url: str, base_path: str) -> Urls:
        parts = urlsplit(base_url)
        origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
        return cls(base_url, base_path, bool(parts.netloc), origin)

    def link(self, path: str) -> str:
        """A site path ('/tags/') as a link from any page ('/news/tags/')."""
        return self.base_path + path.lstrip("/")

    def absolute(self, path: str) -> str:
        link = self.link(path)
        return urljoin(self.base_url, link) if self.has_host else link

    def media(self, src: str) -> str:
        """An image path from front matter: URLs as they are, site paths under the base."""
        return src if is_external(src) else self.link(src)

    def absolute_media(self, src: str) -> str:
        return src if is_external(src) else self.absolute(src)

    def absolutize(self, html: str) -> str:
        """Root-relative links in HTML made absolute, for feeds read away from the site."""
        if not self.has_host:
            return html
        return re.sub(r'(\s(?:href|src)=")/(?!/)', rf"\1{self.origin}/", html)
