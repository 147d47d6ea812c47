"""The kinds of page a site has, in the order their pages are planned. A kind that
reads the pages before it (the sitemap lists them) comes after them. Adding a kind
is a module in `kinds/` and a line here."""

from __future__ import annotations

from .kind import Kind
from .kinds.article import ArticleKind
from .kinds.corrections import CorrectionsKind
from .kinds.feed import FeedKind
from .kinds.listing import ListingKind
from .kinds.notfound import NotFoundKind
from .kinds.page import StandalonePageKind
from .kinds.redirect import RedirectKind, RulesKind
from .kinds.robots import RobotsKind
from .kinds.search import SearchKind
from .kinds.sitemap import SitemapKind
from .kinds.terms import TermsKind

KINDS: list[Kind] = [
    ArticleKind(),
    ListingKind(),
    FeedKind(),
    TermsKind(),
    StandalonePageKind(),
    CorrectionsKind(),
    SearchKind(),
    NotFoundKind(),
    RedirectKind(),
    RulesKind(),
    SitemapKind(),
    RobotsKind(),
]
