"""The package's shape (issue 11): stages import only the stages below them, no
cycles, small modules and functions, page kinds named only by page kinds, and
recipe functions whose only state is their arguments."""

from __future__ import annotations

import ast
import dis
import functools
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
from conftest import NOW, REPO, every_kind_files, write_files

from focue_ssg.output.cache import BuildCache
from focue_ssg.pages import registry
from focue_ssg.pages.plan import plan_site
from focue_ssg.pages.recipe import Cutoff, Memo, Node, Recipe
from focue_ssg.pipeline import BuildOptions, load_site

SRC = REPO / "src" / "focue_ssg"
KINDS_DIR = SRC / "pages" / "kinds"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def modules() -> list[Path]:
    found = sorted(SRC.rglob("*.py"))
    assert len(found) > 50
    return found


def test_the_import_contracts_hold():
    """Layers (each stage imports only those below it, the shell on top), page kinds
    above their framework, and no cycles in any package: import-linter, from
    pyproject.toml."""
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"Contracts: 3 kept, 0 broken", result.stdout), result.stdout


def test_no_type_checking_import_hides_an_import_of_our_own():
    hidden = []
    blocks = 0
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                blocks += 1
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and (
                        inner.level > 0 or (inner.module or "").startswith("focue_ssg")
                    ):
                        hidden.append(f"{path.relative_to(SRC)}:{inner.lineno}")
    assert hidden == []
    assert blocks <= 2  # only stdlib types, for annotations


def test_modules_and_functions_are_short():
    long_modules, long_functions, functions = [], [], 0
    for path in modules():
        text = path.read_text()
        if len(text.splitlines()) > MAX_MODULE_LINES:
            long_modules.append(path.relative_to(SRC).as_posix())
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                functions += 1
                if node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES:
                    long_functions.append(f"{path.relative_to(SRC)}:{node.name}")
    assert functions > 300
    assert long_modules == []
    assert long_functions == []


# -- nothing outside the page kinds branches on a kind ----------------------------


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> list:
    found = []
    for rules in (False, True):
        root = write_files(tmp_path_factory.mktemp(f"site-{rules}"), every_kind_files(rules))
        loaded = load_site(BuildOptions(root, now=NOW), BuildCache(root, enabled=False))
        found.append(plan_site(loaded.site, {}, Memo()))
    return found


def kind_names(plans: list) -> set[str]:
    """What kinds are called: their registry names and the labels their pages carry."""
    names = {kind.name for kind in registry.KINDS}
    names |= {spec.label for plan in plans for spec in plan.specs}
    return names


def _branches(tree: ast.AST, dispatch_keys: set[str]) -> list[ast.Constant]:
    """String constants code decides by: in comparisons and match cases, and as keys
    of dict literals that hold `dispatch_keys` (a table of what to do per kind).
    Keys such as a context's "section" are data, not a branch."""
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            found += [node.left, *node.comparators]
        elif isinstance(node, ast.MatchValue):
            found.append(node.value)
        elif isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            if len(set(keys) & dispatch_keys) >= 2:
                found += [k for k in node.keys if k is not None]
    constants = [c for operand in found for c in ast.walk(operand) if isinstance(c, ast.Constant)]
    return [c for c in constants if isinstance(c.value, str)]


def test_no_module_outside_the_page_kinds_branches_on_a_kind(plans):
    names = kind_names(plans)
    registered = {kind.name for kind in registry.KINDS}
    assert {"article", "tag", "feed", "sitemap", "redirect", "rules", "404"} <= names
    offences, looked_at, checked = [], 0, 0
    for path in modules():
        if path.is_relative_to(KINDS_DIR):
            continue
        checked += 1
        for constant in _branches(ast.parse(path.read_text()), registered):
            looked_at += 1
            if constant.value in names:
                offences.append(f"{path.relative_to(SRC)}:{constant.lineno}: {constant.value!r}")
    assert checked > 45 and looked_at > 50
    assert offences == []


def test_the_kind_check_sees_a_branch_on_a_kind():
    code = (
        'if spec.label == "tag":\n    pass\n'
        'match kind:\n    case "feed":\n        pass\n'
        'make = {"article": a, "sitemap": b}[spec.kind]\n'
        'card = {"section": s, "title": t}\n'
    )
    found = sorted(c.value for c in _branches(ast.parse(code), {"article", "sitemap", "feed"}))
    assert found == ["article", "feed", "sitemap", "tag"]


# -- recipe functions: no state but their arguments --------------------------------

_IMMUTABLE = (
    str,
    bytes,
    int,
    float,
    bool,
    type(None),
    tuple,
    frozenset,
    re.Pattern,
    types.MappingProxyType,
)


def recipe_functions(node: Node, found: set) -> None:
    if isinstance(node, Cutoff):
        recipe_functions(node.recipe, found)
    elif isinstance(node, Recipe):
        found.add(node.make)
        for arg in node.args:
            for item in arg if type(arg) is tuple else (arg,):
                if isinstance(item, Node):
                    recipe_functions(item, found)


def _globals_read(code: types.CodeType) -> set[str]:
    names = {i.argval for i in dis.get_instructions(code) if i.opname == "LOAD_GLOBAL"}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _globals_read(const)
    return names


def state_read(function: types.FunctionType, seen: set) -> list[str]:
    """Module-level values a function reads, through the functions of ours it calls,
    that could change while the program runs."""
    if function in seen:
        return []
    seen.add(function)
    found = []
    for name in sorted(_globals_read(function.__code__)):
        if name not in function.__globals__:
            continue  # a builtin
        value = function.__globals__[name]
        if isinstance(value, functools._lru_cache_wrapper):
            value = value.__wrapped__
        if isinstance(value, types.FunctionType):
            if value.__module__.startswith(("focue_ssg", "headlines_kind")):
                found += state_read(value, seen)
        elif not isinstance(value, (*_IMMUTABLE, types.ModuleType, type)) and not _frozen(value):
            found.append(f"{function.__module__}.{function.__qualname__} reads {name}")
    return found


def _frozen(value: object) -> bool:
    params = getattr(type(value), "__dataclass_params__", None)
    return params is not None and params.frozen


def test_recipe_functions_read_no_state_but_their_arguments(plans):
    functions: set = set()
    for plan in plans:
        for index in range(len(plan.specs)):
            recipe_functions(plan.node(index), functions)
    assert len(functions) >= 12
    seen: set = set()
    offences = [
        found for function in sorted(functions, key=repr) for found in state_read(function, seen)
    ]
    assert offences == []
    assert len(seen) > len(functions)  # the helpers they call were looked at too


def reads_a_table(key: str) -> int:
    return TABLE[key]


TABLE = {"a": 1}


def test_the_state_check_sees_a_module_level_table():
    assert state_read(reads_a_table, set()) == ["test_architecture.reads_a_table reads TABLE"]
