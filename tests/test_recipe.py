"""pages/recipe.py: digests made from declared inputs, and what they refuse."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from focue_ssg.core.digests import SIZE
from focue_ssg.pages.recipe import (
    Cutoff,
    Memo,
    Recipe,
    Source,
    Transient,
    Value,
    check_plain,
    sources,
)

CALLS: list[str] = []


def greet(name: str, punctuation: str) -> str:
    CALLS.append(name)
    return f"Hello, {name}{punctuation}"


def shout(text: str) -> str:
    return text.upper()


def first_letter(text: str) -> str:
    return text[:1]


def join(parts: tuple[str, ...]) -> str:
    return " ".join(parts)


@dataclass(frozen=True)
class Plain:
    name: str
    when: datetime


@dataclass(frozen=True)
class Hidden:
    name: str
    secret: str = field(repr=False)


@dataclass
class Mutable:
    name: str


def test_a_recipe_digest_is_known_before_its_value_is_made():
    CALLS.clear()
    node = Recipe(greet, "Ada", "!")
    assert len(node.digest) == 16 and CALLS == []
    assert node.value == "Hello, Ada!" and node.value == "Hello, Ada!"
    assert CALLS == ["Ada"]  # made once


def test_a_transient_recipe_is_made_for_each_page_that_shows_it_and_not_kept():
    """A story's body: the pages that show it each make it, and none keeps it, so a
    worker's memory does not grow with the bodies it has rendered."""
    CALLS.clear()
    body = Transient(greet, Value("Ada"), "!")
    assert body.digest == Recipe(greet, Value("Ada"), "!").digest  # the same key as a kept one
    pages = [Recipe(join, (body, Value(str(n)))) for n in range(2)]
    assert [page.value for page in pages] == ["Hello, Ada! 0", "Hello, Ada! 1"]
    assert CALLS == ["Ada", "Ada"]
    assert sorted(node.value for node in sources(pages[0])) == ["0", "Ada"]


def test_the_digest_changes_with_every_input_and_with_the_function():
    base = Recipe(greet, "Ada", "!").digest
    assert Recipe(greet, "Ada", "!").digest == base
    others = {
        Recipe(greet, "Bea", "!").digest,
        Recipe(greet, "Ada", "?").digest,
        Recipe(shout, "Ada").digest,
        Recipe(greet, "Ada!", "").digest,  # the parts do not run together
    }
    assert base not in others and len(others) == 4


def test_nodes_enter_a_digest_by_their_own_digest_and_are_resolved_to_values():
    inner = Recipe(greet, "Ada", "!")
    outer = Recipe(shout, inner)
    assert outer.value == "HELLO, ADA!"
    assert outer.digest != Recipe(shout, Recipe(greet, "Ada", "?")).digest
    words = Recipe(join, (Value("a"), Recipe(shout, "b")))
    assert words.value == "a B"
    assert words.digest != Recipe(join, (Value("a"), Recipe(shout, "c"))).digest


def test_a_cutoff_is_known_by_its_value_so_equal_values_have_equal_digests():
    memo = Memo()
    ada = Cutoff(Recipe(first_letter, "Ada"), memo)
    alan = Cutoff(Recipe(first_letter, "Alan"), memo)
    bea = Cutoff(Recipe(first_letter, "Bea"), memo)
    assert ada.digest == alan.digest != bea.digest
    # a recipe made from either has one digest: the edit stops at the cutoff
    assert Recipe(shout, ada).digest == Recipe(shout, alan).digest
    assert len(memo.kept) == 3


def test_the_memo_gives_a_cutoff_its_digest_without_making_its_value():
    first = Memo()
    known = Cutoff(Recipe(greet, "Ada", "!"), first).digest
    CALLS.clear()
    again = Cutoff(Recipe(greet, "Ada", "!"), Memo(first.kept))
    assert again.digest == known and CALLS == []
    assert again.value == "Hello, Ada!" and CALLS == ["Ada"]


def test_the_memo_keeps_only_what_this_build_used():
    old = Memo({b"a" * 16: b"x" * 16, b"b" * 16: b"y" * 16})
    assert old.get(b"a" * 16) == b"x" * 16 and old.get(b"c" * 16) is None
    old.put(b"d" * 16, b"z" * 16)
    assert old.kept == {b"a" * 16: b"x" * 16, b"d" * 16: b"z" * 16}


def test_a_source_is_known_by_the_digest_of_what_it_was_made_from():
    made_from = b"0123456789abcdef"
    assert Source({"any": "value"}, made_from).digest == made_from
    with pytest.raises(TypeError):
        Source("value", b"short")


def test_values_are_digested_by_content():
    when = datetime(2023, 10, 17, 7, 45, tzinfo=UTC)
    assert Value(Plain("a", when)).digest == Value(Plain("a", when)).digest
    assert Value(Plain("a", when)).digest != Value(Plain("b", when)).digest
    assert Value([1, 2]).digest != Value((1, 2)).digest != Value("(1, 2)").digest


class Greeter:
    def hello(self, name: str) -> str:
        return name

    @staticmethod
    def static(name: str) -> str:
        return name


def test_only_module_level_functions_make_recipes():
    prefix = "Hi "

    def closure(name: str) -> str:
        return prefix + name

    def nested(name: str) -> str:
        return name

    refused = [lambda name: name, closure, nested, Greeter().hello, Greeter.static, str.upper]
    for make in refused:
        with pytest.raises(TypeError):
            Recipe(make, "Ada")
    assert len(refused) == 6


def test_inputs_must_be_plain_data_whose_repr_says_everything():
    refused = [object(), Hidden("a", "b"), Mutable("a"), {"k": object()}, [1, {2, 3}]]
    for value in refused:
        with pytest.raises(TypeError):
            check_plain(value)
        with pytest.raises(TypeError):
            _ = Recipe(shout, value).digest
    assert len(refused) == 5
    check_plain({"a": [1, 2.5, None, True, b"x", (datetime(2020, 1, 1),)]})


def test_nodes_survive_pickling_with_their_digests_and_values():
    node = Recipe(shout, Recipe(greet, "Ada", "!"))
    digest = node.digest
    fresh = pickle.loads(pickle.dumps(Recipe(shout, "x")))
    assert fresh.value == "X"  # not made before pickling: made after
    made = pickle.loads(pickle.dumps(node))
    assert made.digest == digest and made.value == "HELLO, ADA!"


def test_a_recipe_from_another_process_is_checked_and_digested_there():
    """Workers started without fork get recipes by pickle, made in a process whose
    registry of checked functions they do not share."""
    from focue_ssg.pages import recipe

    node = Recipe(greet, "Ada", "!")
    sent = pickle.dumps(node)
    digest = node.digest
    recipe._PURE.pop(greet)
    assert pickle.loads(sent).digest == digest
    assert greet in recipe._PURE


def test_the_sources_of_a_node_are_found_through_recipes_but_not_past_a_cutoff():
    """What a page is made from, as a cluster's worker must be sent it: the sources
    and values its recipes take, but not those a cutoff made its value from."""
    a, b, c = (Source(name, bytes([n]) * SIZE) for n, name in enumerate("abc", 1))
    card = Cutoff(Recipe(shout, c), Memo())
    page = Recipe(join, (a, Recipe(greet, b, Value("!")), card))
    assert sorted(node.value for node in sources(page)) == ["!", "a", "b"]
    assert page.value == "a Hello, b! C"
