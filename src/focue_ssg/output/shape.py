"""The body-edit shortcut for page keys.

A site model is made from what a build reads besides content/ (config, theme,
data, static files, the code, the options), the images beside the stories, and
each document's fields; not from bodies, which only the pages showing them read.
So when all of that is as the last build into the same folder had it, and that
build's output is still valid at this build's time, the model is the same but
for the documents whose bytes changed, and only the pages that show those
documents' own parse (their page, the feeds, the search index: see
`Kind.shows_body_of`) can have new keys. Every other page keeps its record's key,
and the 200,000 keys of a 100,000-story site are not made again for one edit.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.digests import SIZE, digest_parts
from ..model.article import Article
from ..model.page import Page
from .manifest import Manifest
from .unchanged import Scan, stat_lines


def site_shape(around: list[str], scan: Scan, documents: Sequence[Article | Page]) -> bytes:
    """Everything the site model is made from, digested (`around`: as the no-change
    shortcut takes it); b"" if a document has no shape to go by."""
    if any(not d.shape for d in documents):
        return b""
    outside = "\n".join([*around, *stat_lines(scan[2])]).encode()
    inside = sorted((d.path.encode(), d.shape) for d in documents)
    return digest_parts((outside, b"".join(b"%s\0%s" % pair for pair in inside)))


def origins(documents: Sequence[Article | Page]) -> bytes:
    """Each document's source_digest, sorted and joined: one object to keep, not 100,000."""
    return b"".join(sorted(d.source_digest for d in documents))


def bodies_changed(
    manifest: Manifest | None, shape: bytes, documents: Sequence[Article | Page], now: float
) -> frozenset[str] | None:
    """The documents whose bytes changed since the build that wrote `manifest` when
    nothing the site model is made from did, nor the time passed what that build's
    output holds for; None otherwise, when every page's key must be made."""
    if manifest is None or not shape or manifest.shape != shape:
        return None
    if not manifest.valid_from <= now < manifest.valid_until:
        return None
    known = manifest.origins
    seen = {known[i : i + SIZE] for i in range(0, len(known), SIZE)}
    return frozenset(d.path for d in documents if d.source_digest not in seen)
