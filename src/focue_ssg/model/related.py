"""Related articles: shared tags weighted by rarity, same section, closeness in time.

All pairs would be quadratic (a popular tag has thousands of articles), so an
article only meets its WINDOW nearest neighbours in time within each of its
tags and its section, and a shared tag counts when the two stories are such
neighbours in it. A rare tag's articles all fall inside the window, so rare
matches are exact; within a popular tag, time decides anyway. The cost is
linear: articles x groups per article x window.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

WINDOW = 8
SECTION_WEIGHT = 0.5
TIME_WEIGHT = 0.3
TIME_SCALE_DAYS = 7.0
_TAG, _SECTION = 0, 1  # what a group of neighbours shares


@dataclass(frozen=True)
class Entry:
    """What the score needs to know of an article."""

    id: str
    timestamp: float
    tags: tuple[str, ...]  # keys, in a fixed order
    section: str | None


def _groups(entries: Sequence[Entry]) -> tuple[dict[Hashable, list[int]], list[list[tuple]]]:
    """Each group's members in time order, and where each entry sits in its groups.

    Groups are visited in a fixed order so that float sums, and so ties, do not
    depend on hash seeds.
    """
    order = sorted(range(len(entries)), key=lambda i: (entries[i].timestamp, entries[i].id))
    members: dict[Hashable, list[int]] = {}
    places: list[list[tuple]] = [[] for _ in entries]
    for i in order:
        entry = entries[i]
        groups = [(_TAG, t) for t in entry.tags]
        if entry.section is not None:
            groups.append((_SECTION, entry.section))
        for group in groups:
            bucket = members.setdefault(group, [])
            places[i].append((group, len(bucket)))
            bucket.append(i)
    return members, places


def _weights(members: dict[Hashable, list[int]], total: int) -> dict[Hashable, float]:
    return {
        group: SECTION_WEIGHT if group[0] == _SECTION else math.log(1 + total / len(ids))
        for group, ids in members.items()
    }


def related(entries: Sequence[Entry], count: int) -> dict[str, tuple[str, ...]]:
    """Up to `count` related ids per entry, best first; ties go to the newer, then by id."""
    if count <= 0 or not entries:
        return {}
    members, places = _groups(entries)
    weight = _weights(members, len(entries))
    stamps = [e.timestamp for e in entries]
    scale = 86400 * TIME_SCALE_DAYS
    result: dict[str, tuple[str, ...]] = {}
    for i, entry in enumerate(entries):
        scores: dict[int, float] = {}
        for group, place in places[i]:
            w = weight[group]
            for j in members[group][max(0, place - WINDOW) : place + WINDOW + 1]:
                scores[j] = scores.get(j, 0.0) + w
        scores.pop(i, None)
        here = stamps[i]
        ranked = (
            (-(s + TIME_WEIGHT / (1 + abs(here - stamps[j]) / scale)), -stamps[j], entries[j].id)
            for j, s in scores.items()
        )
        result[entry.id] = tuple(item[2] for item in heapq.nsmallest(count, ranked))
    return result
