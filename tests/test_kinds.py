"""Every registered kind of page: its key and its context cannot disagree.

A page's key is the digest of its recipe (pages/recipe.py): the function that
makes its context and the inputs it is given. These tests hold every kind to it,
generically, without knowing any kind:

- change any input of any page's recipe (and of the recipes of the parts it is
  made of) and the page's key changes; and every input slot of every recipe
  function changes the context for some page, so no kind declares inputs it does
  not read;
- change the site in ways a page does not read, and its key stays, and so does
  its context: a context that read anything outside its inputs would show here,
  as a context that changed under an unchanged key.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import NOW, every_kind_files, write_files
from markupsafe import Markup

from focue_ssg.core.digests import digest
from focue_ssg.model.article import Article
from focue_ssg.output.cache import BuildCache
from focue_ssg.pages import registry
from focue_ssg.pages.plan import plan_site
from focue_ssg.pages.recipe import Cutoff, Memo, Node, Recipe, Source, Value
from focue_ssg.pipeline import BuildOptions, load_site
from focue_ssg.render.theme import template_salt

Path_ = tuple  # steps from a page's recipe down to one input


def plan_of(root: Path):
    cache = BuildCache(root, enabled=False)
    loaded = load_site(BuildOptions(root, now=NOW), cache)
    assert loaded.diagnostics == () or all(not d.is_error for d in loaded.diagnostics)
    return plan_site(loaded.site, {"focue.css": "/static/focue.css?v=1"}, Memo())


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> list:
    """Plans of two sites that between them have a page of every registered kind."""
    found = []
    for rules in (False, True):
        root = write_files(tmp_path_factory.mktemp(f"site-{rules}"), every_kind_files(rules))
        found.append(plan_of(root))
    return found


def test_the_fixture_sites_have_a_page_of_every_registered_kind(plans):
    names = {spec.kind.name for plan in plans for spec in plan.specs}
    assert names == {kind.name for kind in registry.KINDS}
    assert len(registry.KINDS) == 12


# -- walking a recipe's inputs ----------------------------------------------------


def inputs(node: Node, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """(path, input) for every input of a recipe and of the recipes it is made from:
    plain data, Values and Sources."""
    if isinstance(node, Cutoff):
        yield from inputs(node.recipe, (*path, "recipe"))
    elif isinstance(node, Recipe):
        for i, arg in enumerate(node.args):
            here = (*path, (node.make, i))
            if isinstance(arg, Node):
                yield from inputs(arg, here)
            elif type(arg) is tuple and arg and isinstance(arg[0], Node):
                for j, item in enumerate(arg):
                    yield from inputs(item, (*here, j))
            else:
                yield here, arg
    else:
        yield path, node


def arities(node: Node) -> dict:
    """Every recipe function in a recipe tree, with the number of its inputs."""
    if isinstance(node, Cutoff):
        return arities(node.recipe)
    if not isinstance(node, Recipe):
        return {}
    found = {node.make: len(node.args)}
    for arg in node.args:
        for item in arg if type(arg) is tuple else (arg,):
            if isinstance(item, Node):
                found.update(arities(item))
    return found


def replaced(node: Any, path: Path_, new: Any) -> Any:
    """The recipe tree with the input at `path` replaced (made anew: no value is kept)."""
    if not path:
        return new
    step, rest = path[0], path[1:]
    if step == "recipe":
        return Cutoff(replaced(node.recipe, rest, new), Memo())
    _, i = step
    args = list(node.args)
    if rest and type(rest[0]) is int:
        items = list(args[i])
        items[rest[0]] = replaced(items[rest[0]], rest[1:], new)
        args[i] = tuple(items)
    else:
        args[i] = replaced(args[i], rest, new)
    return Recipe(node.make, *args)


def perturbed(value: Any) -> Any:
    """The same shape with every scalar in it changed; None and empty stay as they are."""
    kind = type(value)
    if isinstance(value, Article):
        return dataclasses.replace(value, title=value.title + "†", body=value.body + b"<!--x-->")
    if kind is bool:
        return not value
    if kind in (int, float):
        return value + 1
    if kind is Markup:
        return Markup(str(value) + "†")
    if kind is str:
        return value + "†"
    if kind is datetime:
        return value + timedelta(hours=1, minutes=7)
    if kind is date:
        return value + timedelta(days=1)
    if kind in (tuple, list):
        return kind(perturbed(item) for item in value)
    if kind is dict:
        return {key: perturbed(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value):
        changes = {f.name: perturbed(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


def changed_input(leaf: Any) -> Any:
    if isinstance(leaf, Source):
        return Source(perturbed(leaf.value), digest(leaf.digest))
    if isinstance(leaf, Value):
        return Value(perturbed(leaf.value))
    return perturbed(leaf)


def test_every_input_of_every_page_changes_its_key_and_every_slot_its_context(plans):
    slots_seen: set = set()
    slots_that_mattered: set = set()
    checked = unchanged_keys = 0
    kinds_checked: set[str] = set()
    functions: dict = {}  # every recipe function met, with how many inputs it takes
    for plan in plans:
        for index, spec in enumerate(plan.specs):
            page = plan.node(index)
            context = page.value
            functions.update(arities(page))
            for path, leaf in list(inputs(page)):
                new = changed_input(leaf)
                if new == leaf or (isinstance(leaf, Node) and new.value == leaf.value):
                    continue  # None or empty: nothing to change
                other = replaced(page, path, new)
                checked += 1
                unchanged_keys += other.digest == page.digest
                slots = {step for step in path if type(step) is tuple}  # (function, arg)
                slots_seen |= slots
                if other.value != context:
                    slots_that_mattered |= slots
            kinds_checked.add(spec.kind.name)
    assert kinds_checked == {kind.name for kind in registry.KINDS}
    assert checked > 1000
    assert unchanged_keys == 0
    unread = {(make.__qualname__, i) for make, i in slots_seen - slots_that_mattered}
    assert unread == set()
    every_slot = {(make, i) for make, arity in functions.items() for i in range(arity)}
    assert slots_seen == every_slot  # each input of each function was changed somewhere
    assert len(every_slot) > 45


# -- site edits: what a page does not read leaves its key and its context -------


def keys_and_contexts(root: Path) -> dict[str, tuple[bytes, dict]]:
    cache = BuildCache(root, enabled=False)
    loaded = load_site(BuildOptions(root, now=NOW), cache)
    plan = plan_site(loaded.site, {"focue.css": "/static/focue.css?v=1"}, Memo())
    salt = template_salt(loaded.theme, cache.code)
    return {
        spec.output: (plan.key(i, salt), plan.page(i).context) for i, spec in enumerate(plan.specs)
    }


EDITS = [
    ("body", "content/2023/c.md", "Gamma body.", "Gamma body, longer now."),
    ("headline", "content/2023/b.md", "Beta Story", "Beta Story Retold"),
    ("summary", "content/2023/c.md", "A summary of gamma.", "Another summary."),
    ("tag", "content/2023/c.md", 'tags: ["Trade"]', 'tags: ["Trade", "Energy"]'),
    ("author", "data/authors.toml", "Covers trade.", "Covers energy."),
    ("config", "focue.toml", 'title = "Every Kind"', 'title = "Every Kind Daily"'),
    ("date", "content/2023/a.md", "2023-10-17 07:45", "2023-10-17 06:45"),
    ("alias", "content/2023/a.md", "/old/alpha/", "/older/alpha/"),
]


@pytest.mark.parametrize("rules", [False, True])
def test_keys_change_exactly_when_contexts_change(tmp_path, rules):
    root = write_files(tmp_path / "site", every_kind_files(rules))
    rng = random.Random(7)
    compared = same = different = 0
    before = keys_and_contexts(root)
    for name, rel, old, new in [*EDITS, *rng.sample(EDITS, len(EDITS))]:
        path = root / rel
        text = path.read_text()
        path.write_text(text.replace(old, new) if old in text else text.replace(new, old))
        after = keys_and_contexts(root)
        for output in before.keys() & after.keys():
            (key, context), (new_key, new_context) = before[output], after[output]
            compared += 1
            if key == new_key:
                same += 1
                assert context == new_context, (name, output)
            else:
                different += 1
        before = after
    assert compared > 600 and same > 300 and different > 100
