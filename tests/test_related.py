import random

from focue_ssg.model.related import WINDOW, Entry, related

DAY = 86400.0


def entry(id: str, day: float, tags=(), section=None) -> Entry:
    return Entry(id, day * DAY, tuple(sorted(tags)), section)


def test_rare_shared_tags_beat_common_ones():
    entries = [
        entry("a", 0, {"common", "rare"}),
        entry("b", 1, {"common"}),
        entry("c", 30, {"rare"}),
    ]
    entries += [entry(f"n{i}", 100 + i, {"common"}) for i in range(10)]
    assert related(entries, 1)["a"] == ("c",)


def test_same_section_and_closeness_in_time_break_ties():
    entries = [
        entry("a", 10, {"t"}, "World"),
        entry("far", 200, {"t"}, "World"),
        entry("near", 12, {"t"}, "World"),
        entry("other-section", 11, {"t"}, "Business"),
    ]
    assert related(entries, 3)["a"] == ("near", "far", "other-section")


def test_articles_sharing_nothing_are_not_related():
    entries = [entry("a", 0, {"x"}, "World"), entry("b", 0, {"y"}, "Business")]
    assert related(entries, 5) == {"a": (), "b": ()}


def test_same_section_alone_relates_stories_near_in_time():
    entries = [entry("a", 0, {"x"}, "World"), entry("b", 1, {"y"}, "World")]
    assert related(entries, 5)["a"] == ("b",)


def test_never_the_article_itself_and_ties_are_deterministic():
    entries = [entry(id, 5, {"t"}) for id in ("d", "b", "c", "a")]
    result = related(entries, 5)
    assert result["a"] == ("b", "c", "d")
    shuffled = entries[:]
    random.Random(4).shuffle(shuffled)
    assert related(shuffled, 5) == result


def test_popular_tags_consider_only_neighbours_in_time():
    entries = [entry(f"p{i:04d}", i, {"popular"}) for i in range(1000)]
    result = related(entries, 5)
    assert len(result["p0500"]) == 5
    assert all(abs(int(r[1:]) - 500) <= WINDOW for r in result["p0500"])
    assert len(result) == 1000


def test_zero_count_disables():
    assert related([entry("a", 0, {"t"}), entry("b", 0, {"t"})], 0) == {}
