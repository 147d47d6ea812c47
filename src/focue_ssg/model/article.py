"""Articles: plain frozen dataclasses, referenced by their source path.

A parsed body is HTML with placeholders where only the whole site can say what
goes (the page a `Read More:` line or a link to a `.md` file points at); the
patterns below are the contract between the parser that writes them and the
pages that fill them in.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import repeat
from operator import attrgetter
from types import MappingProxyType
from typing import Any, Literal

# Where a body's references go, by number; a writer may type the same in raw HTML, so
# the pages take a number they do not know (or one too long for int()) as plain text.
READ_MORE_PLACEHOLDER = "<!--focue:read-more:{}-->"
READ_MORE_PATTERN = re.compile(r"<!--focue:read-more:(\d{1,9})-->")
LINK_TOKEN = "focue:link:{}"
LINK_TOKEN_PATTERN = re.compile(r'href="focue:link:(\d{1,9})"')
IMAGE_TOKEN = "focue:image:{}"
IMAGE_TOKEN_PATTERN = re.compile(r'<img [^>]*?src="focue:image:(\d{1,9})"[^>]*>')

RefKind = Literal["link", "title", "href", "src"]


@dataclass(frozen=True)
class Genre:
    """What kind of journalism a story is: its label on cards and its page, and its
    schema.org type."""

    label: str | None  # None: plain news carries no label
    schema_type: str


GENRES = MappingProxyType(
    {
        "news": Genre(None, "NewsArticle"),
        "opinion": Genre("Opinion", "OpinionNewsArticle"),
        "analysis": Genre("Analysis", "AnalysisNewsArticle"),
        "review": Genre("Review", "ReviewNewsArticle"),
        "explainer": Genre("Explainer", "BackgroundNewsArticle"),
        "live": Genre("Live", "LiveBlogPosting"),
        "sponsored": Genre("Sponsored", "AdvertiserContentArticle"),
    }
)
SPONSORED = "sponsored"  # paid content: labelled, and its outbound links say so


@dataclass(frozen=True)
class BodyRef:
    """A reference written in a body: a Read More line, a link or an image."""

    kind: RefKind
    target: str
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class FieldRef:
    """A reference written in front matter (`read_more:` entries): path, slug or title."""

    target: str
    line: int | None
    column: int | None


@dataclass(frozen=True)
class Revision:
    """A correction or an update to a published story: when, and what changed."""

    date: datetime
    text: str
    line: int | None = None  # where it is written, for diagnostics


@dataclass(frozen=True)
class Image:
    src: str
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None
    focus: tuple[float, float] | None = None  # the point crops keep, as fractions of the photo
    width: int | None = None  # of a remote image, which is not read
    height: int | None = None


@dataclass(frozen=True)
class SearchTerms:
    """A story's terms for the search index (source/terms.py): its stems, those of the
    headline and standfirst first, then the body's as they come, space-separated; a
    byte of features for each; the written forms that differ from their stem, as
    space-separated "form stem" pairs. Three objects, not thousands: the cache of
    parsed stories stays quick to load."""

    stems: str = ""
    features: bytes = b""
    forms: str = ""


@dataclass(frozen=True)
class Outlet:
    """The outlet a republished story comes from (`source:` in front matter)."""

    name: str
    url: str | None = None


_SENT = threading.local()  # bodies sent with the pages this thread renders (see `bodies_sent`)


@contextlib.contextmanager
def bodies_sent(bodies: dict[StoredBody, bytes]) -> Iterator[None]:
    """Stored bodies read from `bodies` instead of the disk, in this thread: a
    cluster's worker on another machine is sent those of each chunk of pages it renders."""
    _SENT.bodies = bodies
    try:
        yield
    finally:
        _SENT.bodies = None


@dataclass(frozen=True)
class StoredBody:
    """A body kept in a file of the build cache (output/bodies.py), among those of the
    stories parsed with it, each followed by its story's terms: the process that plans a
    big site holds no bodies, and the workers that render the pages read theirs."""

    file: str
    start: int  # where in the file the body's bytes begin
    size: int

    def read(self) -> bytes:
        sent = getattr(_SENT, "bodies", None)
        if sent is not None and self in sent:
            return sent[self]
        with open(self.file, "rb") as handle:
            handle.seek(self.start)
            return handle.read(self.size)


@dataclass(frozen=True)
class StoredTerms:
    """A story's search terms, kept after its body in the same file: they are half of
    what a parsed story weighs, and only the index needs them, story by story."""

    file: str
    start: int  # where the stems begin; the features and the forms follow
    stems: int  # bytes of the stems, of the features and of the forms
    features: int
    forms: int

    def load(self) -> SearchTerms:
        with open(self.file, "rb") as handle:
            handle.seek(self.start)
            data = handle.read(self.stems + self.features + self.forms)
        stems, features = self.stems, self.stems + self.features
        return SearchTerms(data[:stems].decode(), data[stems:features], data[features:].decode())


def loaded(terms: SearchTerms | StoredTerms) -> SearchTerms:
    return terms if type(terms) is SearchTerms else terms.load()  # type: ignore[union-attr]


_GETTERS: dict[type, attrgetter] = {}


def slots_state(document: Any) -> tuple:
    """A slotted document's fields, for pickle, in one C call: the dataclass's own
    state functions loop in Python, and the cache unpickles 100,000 stories at once."""
    kind = type(document)
    getter = _GETTERS.get(kind) or _GETTERS.setdefault(kind, attrgetter(*kind.__slots__))
    return getter(document)


def set_slots_state(document: Any, state: tuple) -> None:
    any(map(object.__setattr__, repeat(document), type(document).__slots__, state))


class Document:
    """What articles and pages share: a body in UTF-8, the lines of their front matter,
    and whether search engines may index them."""

    __slots__ = ()
    body: bytes | StoredBody
    lines: tuple[str | int, ...]  # name, line, name, line... (a dict weighs four times more)
    noindex: bool
    canonical: str | None

    @property
    def body_html(self) -> str:
        """Decoded when a page shows it; most builds show only a few bodies."""
        body = self.body
        data = body if isinstance(body, bytes) else body.read()
        return data.decode("utf-8", "surrogatepass")

    def line_of(self, name: str) -> int | None:
        """The front-matter line of a field, for diagnostics about it."""
        lines = self.lines
        try:
            return lines[lines.index(name, 0, len(lines) - 1) + 1]  # type: ignore[return-value]
        except ValueError:
            return None

    @property
    def indexable(self) -> bool:
        """For search engines: not syndicated copy (`canonical:`), not `noindex: true`."""
        return not self.noindex and self.canonical is None


@dataclass(frozen=True, slots=True)  # slots: a third less memory per story, as fast to load
class Article(Document):
    """One parsed source file. `path` is relative to `content/` and is the article's id."""

    path: str
    title: str
    date: datetime
    slug: str
    summary: str
    body: bytes | StoredBody  # the body's HTML in UTF-8 (cached: without decoding it)
    updated: datetime | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    contributors: tuple[str, ...] = ()
    draft: bool = False
    image: Image | None = None
    source: Outlet | None = None
    aliases: tuple[str, ...] = ()
    canonical: str | None = None  # the original's URL, for syndicated copy
    noindex: bool = False  # keep out of search engines and sitemaps
    expires: datetime | None = None  # taken down at this time
    genre: str = "news"  # a key of GENRES
    corrections: tuple[Revision, ...] = ()  # oldest first
    updates: tuple[Revision, ...] = ()  # oldest first
    featured: bool = False  # a top story: it may lead the front page and its section's
    pinned_until: datetime | None = None  # leads the front page until then
    read_more: tuple[FieldRef, ...] = ()
    inline_read_more: tuple[BodyRef, ...] = ()
    body_links: tuple[BodyRef, ...] = ()
    body_urls: tuple[BodyRef, ...] = ()  # other links within the site, for checks
    body_images: tuple[BodyRef, ...] = ()  # local images, by their token in the body
    extra: dict[str, Any] = field(default_factory=dict)
    lines: tuple[str | int, ...] = ()  # see Document
    # of everything the article was parsed from (path, bytes, parse settings): pages
    # that show the article are keyed by it
    source_digest: bytes = b""
    search_terms: SearchTerms | StoredTerms = SearchTerms()  # see `terms`
    shape: bytes = b""  # of all it holds but the body and terms (output/shape.py)

    __getstate__ = slots_state  # in the class body, or the dataclass adds its own
    __setstate__ = set_slots_state

    @property
    def terms(self) -> SearchTerms:
        """Read from the build cache when they are kept there (output/bodies.py)."""
        return loaded(self.search_terms)

    @property
    def revised(self) -> datetime | None:
        """When it was last changed after publication: the latest of `updated:`, its
        corrections and its updates; None if never."""
        times = [r.date for r in (*self.corrections, *self.updates)]
        if self.updated is not None:
            times.append(self.updated)
        return max(times, key=lambda t: t.timestamp()) if times else None

    @property
    def changed(self) -> datetime:
        """When its content last changed, as sitemaps and feeds say it."""
        return self.revised or self.date
