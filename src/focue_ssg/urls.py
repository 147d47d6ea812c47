"""Where pages live and how they are linked: the site's URL layout in one place."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from .taxonomy import Term

INDEX_FILE = "index.html"
TERM_FOLDERS = {"tag": "tags", "section": "sections", "author": "authors"}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


def output_file(link: str) -> str:
    """'/2023/10/17/slug/' -> '2023/10/17/slug/index.html' (pretty URLs)."""
    path = link.lstrip("/")
    return path + INDEX_FILE if path.endswith("/") or not path else path


def page_count(items: int, size: int) -> int:
    """A list has at least one page, even when empty."""
    return max(1, -(-items // size))


def page_link(first: str, number: int) -> str:
    """Page 1 is the listing itself; later pages live under `page/N/`."""
    return first if number == 1 else f"{first}page/{number}/"


def term_index_link(kind: str) -> str:
    return f"/{TERM_FOLDERS[kind]}/"


def term_link(kind: str, term: Term) -> str:
    return f"/{TERM_FOLDERS[kind]}/{term.slug}/"


def archive_link(year: int, month: int | None = None) -> str:
    return f"/{year:04d}/" if month is None else f"/{year:04d}/{month:02d}/"


class Urls:
    """Every URL the site prints: under the base path, absolute when the host is known."""

    def __init__(self, base_url: str, base_path: str):
        self.base_url = base_url
        self.base_path = base_path
        parts = urlsplit(base_url)
        self.has_host = bool(parts.netloc)
        self.origin = f"{parts.scheme}://{parts.netloc}" if self.has_host else ""

    def link(self, path: str) -> str:
        """A site path ('/tags/') as a link from any page ('/news/tags/')."""
        return self.base_path + path.lstrip("/")

    def absolute(self, path: str) -> str:
        link = self.link(path)
        return urljoin(self.base_url, link) if self.has_host else link

    def media(self, src: str) -> str:
        """An image path from front matter: URLs as they are, site paths under the base."""
        return src if _SCHEME.match(src) else self.link(src)

    def absolute_media(self, src: str) -> str:
        return src if _SCHEME.match(src) else self.absolute(src)

    def absolutize(self, html: str) -> str:
        """Root-relative links in HTML made absolute, for feeds read away from the site."""
        if not self.has_host:
            return html
        return re.sub(r'(\s(?:href|src)=")/(?!/)', rf"\1{self.origin}/", html)
