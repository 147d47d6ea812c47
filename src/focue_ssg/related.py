"""Related articles: shared tags weighted by rarity, same section, closeness in time.

All pairs would be quadratic (a popular tag has thousands of articles), so the
candidates for an article are its WINDOW nearest neighbours in time within each
of its tags and its section. A rare tag's articles all fall inside the window,
so rare-tag matches are exact; within a popular tag, time decides anyway.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

WINDOW = 20
SECTION_WEIGHT = 0.5
TIME_WEIGHT = 0.3
TIME_SCALE_DAYS = 7.0


@dataclass(frozen=True)
class Entry:
    """What the score needs to know of an article."""

    id: str
    timestamp: float
    groups: frozenset[Hashable]  # tag keys and ("section", name)
    section: Hashable | None


def _groups_by_time(entries: Sequence[Entry]) -> tuple[dict, list[list[tuple]]]:
    """Each group's members in time order, and where each entry sits in its groups."""
    order = sorted(range(len(entries)), key=lambda i: (entries[i].timestamp, entries[i].id))
    members: dict[Hashable, list[int]] = {}
    places: list[list[tuple]] = [[] for _ in entries]
    for i in order:
        for group in entries[i].groups:
            bucket = members.setdefault(group, [])
            places[i].append((group, len(bucket)))
            bucket.append(i)
    return members, places


def _score(a: Entry, b: Entry, weight: Callable[[Hashable], float]) -> float:
    # fsum is exact, so the score does not depend on set iteration order
    shared = math.fsum(weight(g) for g in a.groups & b.groups if g != a.section)
    if not shared and a.section != b.section:
        return 0.0
    if a.section is not None and a.section == b.section:
        shared += SECTION_WEIGHT
    days = abs(a.timestamp - b.timestamp) / 86400
    return shared + TIME_WEIGHT / (1 + days / TIME_SCALE_DAYS)


def related(entries: Sequence[Entry], count: int) -> dict[str, tuple[str, ...]]:
    """Up to `count` related ids per entry, best first; ties go to the newer, then by id."""
    if count <= 0 or not entries:
        return {}
    members, places = _groups_by_time(entries)
    total = len(entries)
    rarity = {g: math.log(1 + total / len(ids)) for g, ids in members.items()}
    result: dict[str, tuple[str, ...]] = {}
    for i, entry in enumerate(entries):
        candidates: set[int] = set()
        for group, place in places[i]:
            bucket = members[group]
            candidates.update(bucket[max(0, place - WINDOW) : place + WINDOW + 1])
        candidates.discard(i)
        scored = []
        for j in candidates:
            score = _score(entry, entries[j], rarity.__getitem__)
            if score > 0:
                scored.append((-score, -entries[j].timestamp, entries[j].id))
        result[entry.id] = tuple(item[2] for item in heapq.nsmallest(count, scored))
    return result
