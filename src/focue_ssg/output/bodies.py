"""Bodies kept in the build cache's folder, out of the main process.

A parse worker writes the bodies it makes to `.focue-cache/bodies/`, each followed by
its story's search terms, in one file for the stories it was given at once (at most
PACK), named by a digest of its bytes, and sends back references instead
(model/article.py's StoredBody and StoredTerms): the main process, which holds every
story of a big site at once, then holds no bodies and no terms (half of what a parsed
story weighs), and the cache of parsed stories stays small enough to load quickly.
The page workers read the bodies of the pages they render; the index reads the terms
of the stories it inverts. A file per story made a cold build create 100,000 files
more at 100,000 stories, a tenth of its work at 1,000. Files are written under a
temporary name and renamed, so a reader never sees half of one; a file no cached story
refers to any more is removed when the cache is saved whole (one that some still
refer to keeps the older bodies of the others: at most one old body per story it
was written with).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import accumulate, chain
from typing import Any, TypeVar

from ..core.digests import digest
from ..model.article import SearchTerms, StoredBody, StoredTerms
from .write import write_whole

FOLDER = "bodies"  # under the cache folder
PACK = 64  # stories per file at most
D = TypeVar("D")


def stored(folder: str, documents: Sequence[D]) -> list[D]:
    """The documents with their bodies, and stories' search terms after them, in files
    of the folder, PACK documents to a file (written once per distinct content)."""
    done = list(documents)
    holding = [i for i, d in enumerate(done) if isinstance(getattr(d, "body", None), bytes)]
    for first in range(0, len(holding), PACK):
        group = holding[first : first + PACK]
        for i, document in zip(group, _packed(folder, [done[i] for i in group]), strict=True):
            done[i] = document
    return done


def _pieces(document: Any) -> list[bytes]:
    terms = getattr(document, "search_terms", None)
    if isinstance(terms, SearchTerms) and terms.stems:
        return [document.body, terms.stems.encode(), terms.features, terms.forms.encode()]
    return [document.body]


def _packed(folder: str, documents: list[D]) -> list[D]:
    pieces = [_pieces(d) for d in documents]
    data = b"".join(chain.from_iterable(pieces))
    file = os.path.join(folder, digest(data).hex())
    if not os.path.exists(file):
        os.makedirs(folder, exist_ok=True)
        write_whole(file, data)
    starts = accumulate((sum(map(len, p)) for p in pieces), initial=0)  # and the end
    return [_referring(d, file, at, p) for d, at, p in zip(documents, starts, pieces, strict=False)]


def _referring(document: D, file: str, at: int, pieces: list[bytes]) -> D:
    changes: dict[str, Any] = {"body": StoredBody(file, at, len(pieces[0]))}
    if len(pieces) > 1:
        sizes = map(len, pieces[1:])
        changes["search_terms"] = StoredTerms(file, at + len(pieces[0]), *sizes)
    return replace(document, **changes)  # type: ignore[type-var]


def present(document: Any) -> bool:
    """Whether the document's body can be read (a cache whose body files went is stale);
    for many documents at once, see `gone`."""
    body = getattr(document, "body", None)
    return not isinstance(body, StoredBody) or os.path.exists(body.file)


def gone(documents: Iterable[Any], files: set[str]) -> set[str]:
    """The paths of the documents whose body file is not among `files` (`listed`): one
    set difference in the common case that none went."""
    kept = [(body.file, d.path) for d in documents if type(body := d.body) is StoredBody]
    lost = {file for file, _ in kept} - files
    return {path for file, path in kept if file in lost} if lost else set()


def listed(folder: str) -> set[str]:
    """The files in the folder, named as `stored` names them: one listing of it, not
    a check for each of 100,000 stories."""
    with contextlib.suppress(FileNotFoundError):
        return {entry.path for entry in os.scandir(folder) if entry.is_file()}
    return set()


def inline(document: D) -> D:
    """The document with its body and terms read back in (for other machines)."""
    changes: dict[str, Any] = {}
    body = getattr(document, "body", None)
    if isinstance(body, StoredBody):
        changes["body"] = body.read()
    terms = getattr(document, "search_terms", None)
    if isinstance(terms, StoredTerms):
        changes["search_terms"] = terms.load()
    return replace(document, **changes) if changes else document  # type: ignore[type-var]


def prune(folder: str, kept: set[str]) -> None:
    """Remove the files no cached document refers to (`kept`: their paths, under the
    same absolute `folder` that `stored` was given)."""
    for entry in os.scandir(folder) if os.path.isdir(folder) else ():
        if entry.path not in kept and entry.is_file():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
