"""What became of each Markdown file under content/: every file ends as exactly one
of model/site.py's FATES (published, draft, scheduled, expired) or "error", and the
counts add up to the files found. A file that was neither built nor named by an error
gets one, so none is lost without a word."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..core.errors import Diagnostic, error
from ..core.layout import CONTENT_DIR, shown
from ..model.article import Article
from ..model.page import Page
from ..model.site import FATES, Selection, fate
from .scan import Found


def unexplained(
    scanned: Sequence[Found], documents: Sequence[Article | Page], found: Sequence[Diagnostic]
) -> tuple[Diagnostic, ...]:
    """An error for a file that was neither built nor given an error: none is lost
    without a word, whatever the reason."""
    built = {d.path for d in documents}
    named = {d.path for d in found if d.is_error}
    return tuple(
        error(
            shown(f.path), "this file was not built and no reason was found (a bug: report it)", 1
        )
        for f in scanned
        if f.path not in built and shown(f.path) not in named
    )


def account(
    scanned: Sequence[Found],
    documents: Sequence[Article | Page],
    found: Sequence[Diagnostic],
    selection: Selection,
) -> dict[str, int]:
    """What became of each Markdown file under content/: one of model/site.py's FATES,
    or "error" (a file some error names). The counts add up to "found"."""
    failed = {d.path for d in found if d.is_error}
    counts = dict.fromkeys(("found", *FATES, "error"), 0)
    kept = [d for d in documents if shown(d.path) not in failed] if failed else documents
    counts.update(Counter(fate(d, selection) for d in kept))
    counts["found"] = len(scanned)
    counts["error"] = len(scanned) - len(kept)
    return counts


def with_failed_pages(sources: dict[str, int], found: Sequence[Diagnostic]) -> dict[str, int]:
    """The counts once page errors are in: a story whose page failed is an error too."""
    named = {d.path for d in found if d.is_error and d.path.startswith(f"{CONTENT_DIR}/")}
    if not sources or not named:
        return sources
    moved = min(len(named), sources["published"])
    return {**sources, "published": sources["published"] - moved, "error": sources["error"] + moved}
