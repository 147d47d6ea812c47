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
- `search/records/<n>.json`: what a result shows of 200 stories.

Each file is a page whose recipe is its own slice of the index, so an edit rewrites
only the files whose slice changed (model/search.py keeps the slices stable).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ...core.digests import digest
from ...core.text import text_key
from ...model.search import BLOCK, NUMBER, Index, build_index
from ..frame import Frame, page_block
from ..kind import Kind, PageSpec
from ..parts import Parts
from ..recipe import Recipe, Value

FOLDER = "search"
DATA = "search data"  # the label of the index's files in counts
FORMAT = 2
HALF_LIFE_DAYS = 30  # a story this old counts half as much as one from today, all else equal
SUMMARY_CHARS = 160
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


def _part_name(first: str, folder: str = "parts") -> str:
    return f"{FOLDER}/{folder}/{digest(first.encode()).hex()[:12]}.json"


def _entry(entry: str | tuple[int, tuple[int, ...]]) -> str | list:
    if isinstance(entry, str):
        return entry
    count, packed = entry
    ids = [p & NUMBER for p in packed]
    gaps = [b - a for a, b in zip((-1, *ids), ids, strict=False)]
    features = [p >> 24 & 127 for p in packed]
    sections = [p >> 31 for p in packed]
    return [count, gaps, features if any(features) else 0, sections if any(sections) else 0]


def _part(index: Index, keys: tuple[str, ...]) -> tuple:
    """What a part is made of, as plain data: the key's digest is taken of it."""
    postings, forms = index.postings, index.forms
    return tuple(
        (postings[key].count, postings[key].packed) if key in postings else forms[key]
        for key in keys
    )


def _record(card: dict[str, Any]) -> list:
    summary = card["summary"] or ""
    if len(summary) > SUMMARY_CHARS:
        summary = summary[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"
    tags = [[t["name"], text_key(t["name"])] for t in card["tags"]]
    authors = [[a["name"], text_key(a["name"])] for a in card["authors"]]
    return [card["title"], card["url"], card["date_iso"], card["section"], summary, tags, authors]


def records_context(cards: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    return {"data": [_record(card) for card in cards]}


def _meta(index: Index, frame: Frame) -> dict[str, Any]:
    days = [
        (index.stories[i].date.date() - EPOCH).days for i in range(0, len(index.stories), BLOCK)
    ]
    return {
        "format": FORMAT,
        "stories": len(index.stories),
        "block": BLOCK,
        "epoch": EPOCH.isoformat(),
        "halfLife": HALF_LIFE_DAYS,
        "base": frame.urls.link(f"/{FOLDER}/"),
        "parts": [
            [keys[0], _part_name(keys[0]).removeprefix(f"{FOLDER}/")] for keys in index.parts
        ],
        "tails": [
            [keys[0][::-1], _part_name(keys[0], "tails").removeprefix(f"{FOLDER}/")]
            for keys in index.tails
        ],
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
            self.spec(_part_name(keys[0]), "search.json", ("part", n), label=DATA)
            for n, keys in enumerate(index.parts)
        ]
        specs += [
            self.spec(_part_name(keys[0], "tails"), "search.json", ("tail", n), label=DATA)
            for n, keys in enumerate(index.tails)
        ]
        specs += [
            self.spec(f"{FOLDER}/records/{n}.json", "search.json", ("records", n), label=DATA)
            for n in range(-(-len(index.stories) // BLOCK))
        ]
        return specs

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
            return Recipe(part_context, keys, Value(_part(index, keys)))
        if what == "tail":
            return Recipe(tail_context, index.tails[spec.params[1]])
        first = spec.params[1] * BLOCK
        stories = index.stories[first : first + BLOCK]
        return Recipe(records_context, parts.cards([story.path for story in stories]))
