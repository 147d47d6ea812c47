"""The site model kept between builds, so that a body edit need not make it again.

The model is made from each document's fields, never its body (see shape.py), so
when the shape is the one a kept model was made from, and this build's time is in
that model's validity window, the model is the same: only the documents in it are
new objects (an edited one holds its new body's reference). The model is kept in the
build cache pickled with each document as a reference by path, and taken over with
this build's documents put in: 0.6 s at 100,000 stories, where making it takes 6 to
8 s. The one thing that depends on where a body writes its references, the linker's
warnings with their lines, is made again for the documents whose bytes changed; if
their references resolve differently from the kept model's (which the shape rules
out), the model is made anew.
"""

from __future__ import annotations

import copyreg
import io
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..config.settings import SiteConfig
from ..core.digests import SIZE, digest
from ..core.errors import Diagnostic, has_errors
from ..core.layout import shown
from ..model.article import Article
from ..model.authors import AuthorInfo
from ..model.links import Linker, Resolver, by_file
from ..model.page import Page
from ..model.site import Selection, Site, model_site
from ..pages.parts import Parts
from .cache import BuildCache
from .manifest import UNREADABLE
from .reuse import CachedRelated

NAME = "site-model"  # the cache's file: site-model.pickle
Document = Article | Page


@dataclass(frozen=True)
class Kept:
    shape: bytes  # what the model was made from (shape.py)
    valid_from: float  # the build's time (POSIX) ...
    valid_until: float  # ... to the moment its output changes by itself
    origins: bytes  # each document's source digest, in the order of their paths
    data: bytes  # the model, its resolver and its problems, documents by reference

    def holds(self, shape: bytes, now: float) -> bool:
        return self.shape == shape and self.valid_from <= now < self.valid_until


class _Foreign(Exception):
    """The model holds a document that is not one of the build's (a copy of one)."""


def _document(path: str) -> Document:
    """Stands for a document in a kept model; loading puts the build's own in its place."""
    raise LookupError(path)


class _Pickler(pickle.Pickler):
    """Documents by path, through a dispatch table: other objects cost no Python call."""

    def __init__(self, file: io.BytesIO, documents: dict[str, Document]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.documents = documents
        by_path = {Article: self._by_path, Page: self._by_path}
        self.dispatch_table = {**copyreg.dispatch_table, **by_path}

    def _by_path(self, document: Document) -> tuple:
        if self.documents.get(document.path) is not document:
            raise _Foreign(document.path)
        return _document, (document.path,)


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, documents: dict[str, Document]):
        super().__init__(file)
        self.documents = documents

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == _document.__name__:
            return self.documents.__getitem__
        return super().find_class(module, name)


Model = tuple[Site, tuple[Diagnostic, ...]]


def site_model(
    cache: BuildCache,
    shape: bytes,
    config: SiteConfig,
    selection: Selection,
    authors: dict[str, AuthorInfo],
    documents: Sequence[Document],
) -> Model:
    """The site model and its problems: the kept one where it holds, else made (and
    kept, when the build has a cache, a shape and no error in the model)."""
    kept = cache.kept(NAME, taken=True) if shape else None
    if isinstance(kept, Kept) and kept.holds(shape, selection.now.timestamp()):
        taken = _taken_over(kept, documents)
        if taken is not None:
            site = replace(taken[0], config=config, now=selection.now, author_info=authors)
            return site, taken[1]
    articles = [d for d in documents if isinstance(d, Article)]
    pages = [d for d in documents if isinstance(d, Page)]
    related = CachedRelated(cache)
    site, problems, linker = model_site(articles, config, selection, related, authors, pages)
    found = linker.found()
    if cache.enabled and shape and not has_errors(problems + found):
        _keep(cache, shape, selection, site, (linker.resolver, problems, found), documents)
    return site, problems + found


def _keep(
    cache: BuildCache,
    shape: bytes,
    selection: Selection,
    site: Site,
    rest: tuple[Resolver, tuple[Diagnostic, ...], tuple[Diagnostic, ...]],
    documents: Sequence[Document],
) -> None:
    """Pickled here, not in a forked child beside the build: pickling holds a reference
    to every object, so a child copied each page of the memory it pickled (0.8 GB at
    100,000 stories, the peak of a build that changed the model)."""
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, {d.path: d for d in documents}).dump((site, *rest))
    except _Foreign:
        return
    digests = b"".join(d.source_digest for d in _by_path_order(documents))
    since = selection.now.timestamp()
    cache.keep(NAME, Kept(shape, since, site.valid_until, digests, buffer.getvalue()))


def _taken_over(kept: Kept, documents: Sequence[Document]) -> Model | None:
    """The kept model with these documents in it, and its problems with the linker's
    made again for the documents whose bytes changed."""
    by_path = {d.path: d for d in documents}
    try:
        site, resolver, problems, found = _Unpickler(io.BytesIO(kept.data), by_path).load()
    except (KeyError, *UNREADABLE):  # a document it names is gone: the shape would differ
        return None
    seen, ordered = kept.origins, _by_path_order(documents)  # the shape's: the same paths
    if len(seen) != SIZE * len(ordered):
        return None
    changed = [
        d for i, d in enumerate(ordered) if seen[i * SIZE : (i + 1) * SIZE] != d.source_digest
    ]
    relinked = _relinked(site, resolver, changed)
    if relinked is None:
        return None
    gone = {shown(d.path) for d in changed}
    found = by_file([*(d for d in found if d.path not in gone), *relinked])
    return site, problems + found


def _relinked(
    site: Site, resolver: Resolver, changed: Sequence[Document]
) -> list[Diagnostic] | None:
    """The linker's problems in the changed documents; None if one of their references
    now leads elsewhere than the kept model says (then the model is made anew)."""
    linker = Linker(resolver)
    for document in changed:
        path = document.path
        if path not in site.by_path and path not in site.page_by_path:
            continue  # not published: the linker never reads it
        inline, links = linker.inline(document), linker.links(document)
        if site.inline_targets.get(path) != inline or site.link_targets.get(path) != links:
            return None
        if isinstance(document, Article):
            linker.explicit(document)
    return linker.problems


def _by_path_order(documents: Sequence[Document]) -> list[Document]:
    return sorted(documents, key=lambda d: d.path)


# -- what a plan makes of the model ----------------------------------------------

PLAN = "site-plan"  # the cache's file: site-plan.pickle


@dataclass(frozen=True)
class KeptPlan:
    """A plan's portable values (pages/parts.py: its lists, the sitemap's lines), which
    are plain data made from the site model and the theme's assets alone, so they hold
    wherever the model does."""

    shape: bytes
    assets: bytes  # a digest of the assets' URLs
    valid_from: float
    valid_until: float
    values: dict[Any, Any]

    def holds(self, shape: bytes, assets: bytes, now: float) -> bool:
        same = self.shape == shape and self.assets == assets
        return same and self.valid_from <= now < self.valid_until


def carried_values(cache: BuildCache, shape: bytes, assets: dict[str, str], now: float) -> dict:
    """The portable values of the last plan of this same site model; {} if none hold."""
    kept = cache.kept(PLAN, taken=True) if shape else None
    if isinstance(kept, KeptPlan) and kept.holds(shape, _assets(assets), now):
        return kept.values
    return {}


def keep_values(
    cache: BuildCache, shape: bytes, assets: dict[str, str], now: float, site: Site, parts: Parts
) -> None:
    """Keep this plan's portable values, unless it took them all over (they still hold).
    Here, not by a child: they pickle quickly, and a child alive while the page workers
    run would add what it copies to the build's peak memory."""
    values, carried = parts.portable, parts.carried
    if shape and values and not values.keys() <= carried.keys():
        cache.keep(PLAN, KeptPlan(shape, _assets(assets), now, site.valid_until, dict(values)))


def _assets(assets: dict[str, str]) -> bytes:
    return digest(repr(sorted(assets.items())).encode())
