"""Bodies kept in the build cache's folder, out of the main process.

A parse worker writes each body it makes to `.focue-cache/bodies/`, with the
story's search terms after it, in a file named by a digest of its bytes, and sends
back references instead (model/article.py's StoredBody and StoredTerms): the main
process, which holds every story of a big site at once, then holds no bodies and
no terms (half of what a parsed story weighs), and the cache of parsed stories
stays small enough to load quickly. The page workers read the bodies of the pages
they render; the index reads the terms of the stories it inverts. Files are
written under a temporary name and renamed, so a reader never sees half of one;
files no cached story refers to are removed when the cache is saved whole.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from ..core.digests import digest
from ..model.article import SearchTerms, StoredBody, StoredTerms
from .write import write_whole

FOLDER = "bodies"  # under the cache folder
D = TypeVar("D")


def stored(folder: str, document: D) -> D:
    """The document with its body, and a story's search terms after it, in one file of
    the folder (written once per distinct content)."""
    body = getattr(document, "body", None)
    if not isinstance(body, bytes):
        return document
    terms = getattr(document, "search_terms", None)
    pieces = [body]
    if isinstance(terms, SearchTerms) and terms.stems:
        pieces += [terms.stems.encode(), terms.features, terms.forms.encode()]
    data = b"".join(pieces)
    name = digest(data).hex()
    target = os.path.join(folder, name[:2], name)
    if not os.path.exists(target):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        write_whole(target, data)
    changes: dict[str, Any] = {"body": StoredBody(target, len(body))}
    if len(pieces) > 1:
        changes["search_terms"] = StoredTerms(target, len(body), len(pieces[1]), len(pieces[2]))
    return replace(document, **changes)  # type: ignore[type-var]


def present(document: Any) -> bool:
    """Whether the document's body can be read (a cache whose body files went is stale);
    for many documents at once, see `gone`."""
    body = getattr(document, "body", None)
    return not isinstance(body, StoredBody) or os.path.exists(body.file)


def gone(documents: Iterable[Any], files: set[str]) -> set[str]:
    """The paths of the documents whose body file is not among `files` (`listed`): one
    set difference in the common case that none went."""
    used = {body.file: d.path for d in documents if type(body := d.body) is StoredBody}
    return {used[file] for file in used.keys() - files}


def listed(folder: str) -> set[str]:
    """The files in the folder, named as `stored` names them: one listing of it, not
    a check for each of 100,000 stories."""
    files: set[str] = set()
    with contextlib.suppress(FileNotFoundError):
        for sub in os.scandir(folder):
            if sub.is_dir():
                files.update(entry.path for entry in os.scandir(sub.path))
    return files


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
    """Remove the body files no cached document refers to (`kept`: their paths, under
    the same absolute `folder` that `stored` was given)."""
    for sub in Path(folder).glob("??") if os.path.isdir(folder) else ():
        for entry in os.scandir(sub):
            if entry.path not in kept:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
