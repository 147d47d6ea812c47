"""Search: the /search/ page and the index its script reads, in files a query fetches
only as it needs them.

- `search/meta.json`: where each part of the index begins, and each records file's
  first day (for recency without fetching records).
- `search/parts/<name>.json`: a range of sorted keys, each a term with its stories
  (numbers as gaps from the one before, and features), or a written form naming the
  term it stands for.
- `search/tails/<name>.json`: the words of five letters or more, sorted by their
  reversed spelling, where a query word that is not in the index looks for the word
  it may be a typo of (see model/search.py's `_tails`).
- `search/records/<n>.json`: what a result shows of 200 stories, each in a slot of
  its own at a fixed place in the file (see `records_context`).

Each file is a page whose recipe is its own slice of the index, so an edit rewrites
only the files whose slice changed (model/search.py keeps the slices stable).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from markupsafe import Markup

from ...core.digests import digest
from ...core.text import compact_json, text_key
from ...model.inversion import NUMBER
from ...model.search import BLOCK, Index, build_index
from ..frame import Frame, page_block
from ..kind import Kind, PageSpec
from ..parts import Parts
from ..recipe import Recipe, Source, Value

FOLDER = "search"
DATA = "search data"  # the label of the index's files in counts
FORMAT = 4
HALF_LIFE_DAYS = 30  # a story this old counts half as much as one from today, all else equal
SUMMARY_CHARS = 160
MAX_TAGS = 4  # a result links to this many of a story's tags
MAX_NAME = 64  # characters of a part's file name, before the extension
SLOT = 768  # bytes of a record in its file: a story's record is fetched by a byte range
EPOCH = date(2000, 1, 1)


def search_page_context(frame: Frame, sections: tuple[dict[str, str], ...]) -> dict[str, Any]:
    context = page_block(frame, "search", f"/{FOLDER}/", "Search")
    context["search"] = {"meta_url": frame.urls.link(f"/{FOLDER}/meta.json"), "sections": sections}
    return context


def data_context(data: Any) -> dict[str, Any]:
    return {"data": data}


def part_context(keys: tuple[str, ...], entries: tuple) -> dict[str, Any]:
    """A part of the index: each key's stories as gaps (and features), or the term a
    written form stands for."""
    return {"data": {"keys": list(keys), "entries": [_entry(e) for e in entries]}}


def tail_context(keys: tuple[str, ...]) -> dict[str, Any]:
    return {"data": list(keys)}


def starts(parts: tuple[tuple[str, ...], ...], spelt=lambda key: key) -> list[str]:
    """Where each part begins: its first key (as `spelt`), which names its file. A
    new key goes into the part whose range holds it, so it renames no part: only a
    key whose digest starts a part of its own makes a new file (see model/search.py)."""
    return [spelt(keys[0]) for keys in parts]


def _reversed(key: str) -> str:
    return key[::-1]


def _file_name(start: str) -> str:
    """A part's file name: its start's UTF-8 in hex (search.js works it out), or a
    digest where that would be too long for a file name."""
    name = start.encode().hex()
    return name if len(name) <= MAX_NAME else "~" + digest(start.encode()).hex()[:16]


def _listed(start: str) -> str | list[str]:
    """A part's start in meta.json, with its file's name where search.js cannot work it out."""
    name = _file_name(start)
    return start if not name.startswith("~") else [start, name]


def _path(folder: str, start: str) -> str:
    return f"{FOLDER}/{folder}/{_file_name(start)}.json"


def _entry(entry: str | tuple[int, tuple[int, ...]]) -> str | list:
    if isinstance(entry, str):
        return entry
    count, packed = entry
    ids = [p & NUMBER for p in packed]
    gaps = [b - a for a, b in zip((-1, *ids), ids, strict=False)]
    features = [p >> 24 & 127 for p in packed]
    sections = [p >> 31 for p in packed]
    return [count, gaps, features if any(features) else 0, sections if any(sections) else 0]


def _part(index: Index, keys: tuple[str, ...]) -> Source:
    """What a part is made of, known by a digest of its keys and their lists' bytes (a
    build takes it of every part: repr of the lists would take longer)."""
    postings, forms = index.postings, index.forms
    entries = tuple(
        (postings[key].count, postings[key].packed) if key in postings else forms[key]
        for key in keys
    )
    made = b"".join(
        b"%s\0%s\0" % (key.encode(), entry.encode())
        if isinstance(entry, str)
        else b"%s\0%d\0%d\0%s" % (key.encode(), entry[0], len(entry[1]), bytes(entry[1]))
        for key, entry in zip(keys, entries, strict=True)
    )
    return Source(entries, digest(made))


def _record(card: dict[str, Any]) -> list:
    summary = card["summary"] or ""
    if len(summary) > SUMMARY_CHARS:
        summary = summary[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"
    tags = [[t["name"], text_key(t["name"])] for t in card["tags"]][:MAX_TAGS]
    shown = card["authors"][: SLOT // 8]  # more never fit: each takes 8 bytes or more
    authors = [[a["name"], text_key(a["name"])] for a in shown]
    return [card["title"], card["url"], card["date_iso"], card["section"], summary, tags, authors]


def _shorter(record: list) -> list:
    """The record with less to show: the summary first, then tags, authors, headline."""
    title, url, date_iso, section, summary, tags, authors = record
    if summary:
        summary = summary[: len(summary) // 2].rsplit(" ", 1)[0] if len(summary) > 8 else ""
    elif tags or authors:
        tags, authors = (tags[:-1], authors) if tags else (tags, authors[:-1])
    else:
        title = title[: len(title) // 2]
    return [title, url, date_iso, section, summary, tags, authors]


def slotted(record: list) -> str:
    """The record as JSON, shortened to fit and padded to fill SLOT - 1 bytes."""
    text = compact_json(record)
    while len(text.encode()) >= SLOT:
        record = _shorter(record)
        text = compact_json(record)
    return text + " " * (SLOT - 1 - len(text.encode()))


def records_context(cards: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    """A JSON list whose n-th record takes bytes 1 + n * SLOT to 1 + (n + 1) * SLOT, its
    separator included: a result fetches only its own record, by a byte range."""
    slots = [slotted(_record(card)) for card in cards]
    return {"data": Markup("[" + ",".join(slots) + "]")}


def _meta(index: Index, frame: Frame) -> dict[str, Any]:
    days = [
        (index.stories[i].date.date() - EPOCH).days for i in range(0, len(index.stories), BLOCK)
    ]
    return {
        "format": FORMAT,
        "stories": len(index.stories),
        "block": BLOCK,
        "slot": SLOT,
        "epoch": EPOCH.isoformat(),
        "halfLife": HALF_LIFE_DAYS,
        "base": frame.urls.link(f"/{FOLDER}/"),
        "parts": [_listed(start) for start in starts(index.parts)],
        "tails": [_listed(start) for start in starts(index.tails, _reversed)],
        "days": days,
        "sections": [list(section) for section in index.sections],
        "years": [list(year) for year in index.years],
    }


def search_index(parts: Parts) -> Index:
    """The index the build made (with the last one's help), or one made here."""
    return parts.site.search or parts.shared("search index", _index_of, parts.site.articles)


def _index_of(articles: tuple) -> Index:
    return build_index(articles)[0]


class SearchKind(Kind):
    name = "search"

    def pages(self, parts: Parts, earlier: Sequence[PageSpec]) -> list[PageSpec]:
        if not parts.site.config.search:
            return []
        index = search_index(parts)
        specs = [
            self.spec(f"{FOLDER}/index.html", "search.html"),
            self.spec(f"{FOLDER}/meta.json", "search.json", ("meta",), label=DATA),
        ]
        specs += [
            self.spec(_path("parts", start), "search.json", ("part", n), label=DATA)
            for n, start in enumerate(starts(index.parts))
        ]
        specs += [
            self.spec(_path("tails", start), "search.json", ("tail", n), label=DATA)
            for n, start in enumerate(starts(index.tails, _reversed))
        ]
        specs += [
            self.spec(
                f"{FOLDER}/records/{n}.json", "search-records.json", ("records", n), label=DATA
            )
            for n in range(-(-len(index.stories) // BLOCK))
        ]
        return specs

    def shows_body_of(self, spec: PageSpec, parts: Parts, paths: frozenset[str]) -> bool:
        """The index's terms are made from the stories' bodies; its records (cards, one
        file per 200 stories) and its page are not."""
        return bool(paths) and bool(spec.params) and spec.params[0] != "records"

    def recipe(self, spec: PageSpec, parts: Parts) -> Recipe:
        if not spec.params:
            terms = parts.site.sections.terms
            sections = tuple({"name": t.name, "key": t.key} for t in terms)
            return Recipe(search_page_context, parts.frame, sections)
        index = search_index(parts)
        what = spec.params[0]
        if what == "meta":
            return Recipe(data_context, Value(_meta(index, parts.frame.value)))
        if what == "part":
            keys = index.parts[spec.params[1]]
            return Recipe(part_context, keys, _part(index, keys))
        if what == "tail":
            return Recipe(tail_context, index.tails[spec.params[1]])
        first = spec.params[1] * BLOCK
        stories = index.stories[first : first + BLOCK]
        return Recipe(records_context, parts.cards([story.path for story in stories]))
