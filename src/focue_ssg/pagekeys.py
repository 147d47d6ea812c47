"""A page's key: a digest of what its context is made from, far cheaper than the context.

Building every context and fingerprinting it costs most of a rebuild after a
one-article edit. A key digests the arguments of a context builder in plan.py
instead: the site-wide part (templates, code, config, the shared site dict),
the page's own parameters, and, for each article the page shows, a digest of
that article. An article is a function of its source file's bytes and the
settings (see load.py), so its source digest stands for everything parsed from
it; what the site model adds (its permalink, its card, the targets of its Read
More lines and links) is digested beside it. A page whose key equals the one
its last build recorded has the same context and is left alone. A page without
a key (the `_redirects` rules, or any page of an article whose source is not
known) is made and compared by its context's fingerprint.

Card digests are the one part made for every article on every build; they are
remembered between builds (`CardMemo`) and reused for an article whose path,
source digest and permalink are as they were, when no term and nothing
site-wide changed either, since that is all a card is made of.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from . import sitemaps
from .plan import PageSpec, Planner
from .sitemaps import SITEMAP


def _hash(*parts: Any) -> bytes:
    """Digests are taken as they are; other parts are plain data (as contexts are),
    whose `repr` is exact and runs in C. Each part is length-prefixed."""
    chunks = []
    for part in parts:
        data = part if type(part) is bytes else repr(part).encode("utf-8", "surrogatepass")
        chunks += (len(data).to_bytes(8, "little"), data)
    return hashlib.blake2b(b"".join(chunks), digest_size=16).digest()


# what the card digests were made with, and per article path: (source digest,
# permalink, card digest)
CardMemo = tuple[bytes, dict[str, tuple[bytes, str, bytes]]]


def _card_digests(planner: Planner, site: bytes, memo: CardMemo | None) -> CardMemo:
    """Every card's digest, reusing the memo's where its article is unchanged."""
    terms = planner.site.tags, planner.site.sections, planner.site.authors
    refs = [(t.kind, term.key, planner.term_ref(t, term)) for t in terms for term in t.terms]
    context = _hash(site, refs)
    known = memo[1] if memo is not None and memo[0] == context else {}
    permalinks = planner.site.permalinks
    made = {}
    for a in planner.site.articles:
        seen, link = known.get(a.path), permalinks[a.path]
        if seen is not None and a.source_digest and seen[:2] == (a.source_digest, link):
            made[a.path] = seen
        else:
            made[a.path] = (a.source_digest, link, _hash(planner.card_facts(a)))
    return context, made


class PageKeys:
    """Keys of the pages of one plan; article and listing digests are made once each."""

    def __init__(self, planner: Planner, salt: bytes, memo: CardMemo | None = None):
        self.planner = planner
        self.site = _hash(salt, planner.site.config, planner.common, planner.site_feeds)
        # every article's page shows its card, so every card is needed: made up front
        self.card_memo = _card_digests(planner, self.site, memo)
        self.cards = {path: known[2] for path, known in self.card_memo[1].items()}
        self.articles: dict[str, bytes | None] = {}
        self.listings: dict[tuple, bytes] = {}
        self.feed_links: dict[tuple, bytes] = {}
        self.sections: dict[str, bytes] = {}
        self.sitemap_shares: dict[tuple[str, int], bytes | None] = {}
        self.parts = {
            "article": self._article_page,
            "list": self._list_page,
            "feed": self._feed,
            "redirect": self._redirect,
            "terms": lambda spec: (planner.terms(spec.key[0]),),
            "sitemap": self._sitemap,
            "404": lambda spec: (),  # made of the site's own data only (in self.site)
            "robots": lambda spec: (),
        }

    def cards_of(self, paths: Sequence[str]) -> bytes:
        """The cards of these articles, in order. Digests are of one fixed size, and
        each card holds its article's own URL, so no two articles share one."""
        return b"".join(map(self.cards.__getitem__, paths))

    def article(self, path: str) -> bytes | None:
        """The article as any page shows it: card, body (with its links resolved) and
        everything else parsed from its file. None if its source is unknown."""
        known = self.articles.get(path, b"")  # b"": not made yet; None: no source digest
        if known != b"":
            return known
        site = self.planner.site
        a = site.by_path[path]
        targets = [(t.path, t.fragment) for t in site.inline_targets[path]]
        targets += [(t.path, t.fragment) for t in site.link_targets[path]]
        linked = [target for target, _ in targets if target is not None]
        made = (
            _hash(
                a.source_digest,
                site.permalinks[path],
                self.cards[path],
                targets,
                self.cards_of(linked),
            )
            if a.source_digest
            else None
        )
        self.articles[path] = made
        return made

    def listing(self, list_key: tuple) -> bytes:
        """What every page of a listing shares: its subject, title, size and feed links."""
        if list_key not in self.listings:
            planner = self.planner
            listing = planner.lists[list_key]
            about = planner.about(list_key, listing)
            self.listings[list_key] = _hash(
                list_key,
                listing.first,
                listing.title,
                len(listing.paths),
                about,
                self.feeds_of(list_key),
            )
        return self.listings[list_key]

    def feeds_of(self, list_key: tuple) -> bytes:
        if list_key not in self.feed_links:
            self.feed_links[list_key] = _hash(self.planner.feeds_of(list_key))
        return self.feed_links[list_key]

    def all(self, specs: Sequence[PageSpec]) -> tuple[bytes | None, ...]:
        return tuple(map(self.key, specs))

    def key(self, spec: PageSpec) -> bytes | None:
        parts_of = self.parts.get(spec.kind)
        parts = parts_of(spec) if parts_of is not None else None
        if parts is None:
            return None
        return _hash(self.site, (spec.output, spec.template, spec.key), *parts)

    def _article_page(self, spec: PageSpec) -> tuple | None:
        site, path = self.planner.site, spec.key[0]
        own = self.article(path)
        if own is None:
            return None
        section = site.by_path[path].section
        return (
            own,
            self.cards_of(site.read_more.get(path, ())),
            self.cards_of(site.backlinks.get(path, ())),
            self.section_feeds(section) if section else b"",
        )

    def section_feeds(self, name: str) -> bytes:
        if name not in self.sections:
            key = self.planner.site.sections.of(name).key
            self.sections[name] = self.feeds_of(("section", key))
        return self.sections[name]

    def _sitemap(self, spec: PageSpec) -> tuple | None:
        """A sitemap file shows its share of the entries; an index, every share's."""
        name, part = spec.key
        shares = range(1, -part + 1) if part < 0 else (max(part, 1),)
        digests = [self._sitemap_share(name, n) for n in shares]
        return None if None in digests else tuple(digests)

    def _sitemap_share(self, name: str, n: int) -> bytes | None:
        """What file n of a sitemap lists, digested once however many files there are:
        (link, last changed) of pages, or the news sitemap's articles."""
        if (name, n) not in self.sitemap_shares:
            items = sitemaps.share(self.planner, name, n)
            if name == SITEMAP:
                made: bytes | None = _hash(items)
            else:
                entries = [self.article(path) for path in items]
                made = None if None in entries else _hash(tuple(items), *entries)
            self.sitemap_shares[name, n] = made
        return self.sitemap_shares[name, n]

    def _redirect(self, spec: PageSpec) -> tuple:
        path = spec.key[0]
        return self.cards[path], self.planner.site.permalinks[path]

    def _list_page(self, spec: PageSpec) -> tuple:
        list_key, number = spec.key
        size = self.planner.site.config.page_size
        shown = self.planner.lists[list_key].paths[(number - 1) * size : number * size]
        return self.listing(list_key), self.cards_of(shown)

    def _feed(self, spec: PageSpec) -> tuple | None:
        list_key, _ = spec.key
        paths = self.planner.lists[list_key].paths
        shown = [*paths[: self.planner.site.config.feed_limit], *paths[:1]]
        entries = [self.article(p) for p in shown]
        if None in entries:
            return None
        return self.listing(list_key), *entries


def page_keys(planner: Planner, specs: Sequence[PageSpec], salt: bytes) -> tuple[bytes | None, ...]:
    keys = PageKeys(planner, salt)
    return keys.all(specs)
