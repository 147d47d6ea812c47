"""Values made from declared inputs, known by a digest before they are made.

A page's context is made by a pure function of its inputs, and the page's key is
the digest of that function and those inputs, taken here, never written by hand:
a key cannot leave out anything its context is made from. This is the idea of
build systems that record inputs (Bazel's action keys, Salsa's queries), at the
size of a page.

An input is plain data (text as itself, anything else through its `repr`, which
for the allowed types is exact), a node (by its own digest) or a tuple of nodes.
Anything else is refused when the digest is taken. A function must be a plain module-level
function, so it has no state but its arguments and the code; the code is in every
page's key through the template salt. The kinds of node:

- `Value`: plain data as it is.
- `Source`: a value made outside the plan, known by the digest of what it was made
  from (an article: its path, its file's bytes and the parse settings).
- `Recipe`: a function applied to inputs; made when first asked for, once.
- `Transient`: a recipe whose value is made each time it is asked for, not kept: a
  story's body, which one or two pages show, would otherwise stay in a worker's
  memory to the end of the build.
- `Cutoff`: a recipe known by the digest of the value it makes rather than of how
  it is made, so an edit that leaves the value as it was goes no further (early
  cutoff). Taking that digest needs the value once; a `Memo` keeps it between
  builds, under the recipe's digest.
"""

from __future__ import annotations

import dataclasses
import functools
import types
from collections.abc import Callable, Iterator
from datetime import date, datetime
from hashlib import blake2b as _blake2b
from itertools import chain
from typing import Any

from markupsafe import Markup

from ..core.digests import SIZE, digest

_SCALARS = frozenset({str, int, float, bool, type(None), bytes, datetime, date, Markup})
_SEQUENCES = frozenset({tuple, list, frozenset})


class _Unset:
    """No value made yet (a class, so that it keeps its identity through pickling)."""


def check_plain(value: Any) -> None:
    """Plain data: scalars, and tuples, lists, dicts and frozen dataclasses of them."""
    kind = type(value)
    if kind in _SCALARS:
        return
    if kind in _SEQUENCES:
        kinds = set(map(type, value))
        if kinds <= _SCALARS:
            return
        if kinds == {tuple} and set(map(type, chain.from_iterable(value))) <= _SCALARS:
            return  # a list of records of scalars, as a sitemap's entries
        for item in value:
            check_plain(item)
    elif kind is dict:
        if not set(map(type, value)) <= _SCALARS:
            for key in value:
                check_plain(key)
        if not set(map(type, value.values())) <= _SCALARS:
            for item in value.values():
                check_plain(item)
    elif _is_plain_dataclass(kind):
        for name in _field_names(kind):
            check_plain(getattr(value, name))
    else:
        raise TypeError(f"a recipe's input must be plain data or a node, not {kind.__name__}")


@functools.cache
def _is_plain_dataclass(kind: type) -> bool:
    """Frozen, and every field in its repr: the repr then says everything it holds."""
    if not dataclasses.is_dataclass(kind) or not kind.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        return False
    return all(f.repr for f in dataclasses.fields(kind))


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


def plain_digest(value: Any) -> bytes:
    check_plain(value)
    return digest(repr(value).encode("utf-8", "surrogatepass"))


class Node:
    """A value and the digest that stands for it."""

    __slots__ = ("_digest", "_value")

    def __init__(self) -> None:
        self._digest: bytes | None = None
        self._value: Any = _Unset

    @property
    def digest(self) -> bytes:
        raise NotImplementedError

    @property
    def value(self) -> Any:
        raise NotImplementedError


class Value(Node):
    """Plain data, digested as it is."""

    __slots__ = ()

    def __init__(self, value: Any):
        super().__init__()
        self._value = value

    @property
    def digest(self) -> bytes:
        if self._digest is None:
            self._digest = plain_digest(self._value)
        return self._digest

    @property
    def value(self) -> Any:
        return self._value


class Source(Node):
    """A value made before planning, known by the digest of what it was made from."""

    __slots__ = ()

    def __init__(self, value: Any, origin: bytes):
        if type(origin) is not bytes or len(origin) != SIZE:
            raise TypeError("a source is known by a digest of what it was made from")
        self._value, self._digest = value, origin

    @property
    def digest(self) -> bytes:
        return self._digest  # type: ignore[return-value]

    @property
    def value(self) -> Any:
        return self._value


_PURE: dict[Callable[..., Any], bytes] = {}  # checked functions, and their names


def _name_of(make: Callable[..., Any]) -> bytes:
    """The function's name, once it is known to be a module-level function: a method,
    closure or lambda could carry state that no digest sees. (A recipe that came from
    another process by pickle is checked here, on first use.)"""
    name = _PURE.get(make)
    if name is None:
        plain = isinstance(make, types.FunctionType) and make.__closure__ is None
        if not plain or "<" in make.__qualname__ or "." in make.__qualname__:
            raise TypeError(f"a recipe needs a module-level function, not {make!r}")
        name = _PURE[make] = f"{make.__module__}.{make.__qualname__}".encode()
    return name


_NODE, _TEXT, _NONE, _NODES_TAG, _PLAIN, _EMPTY = (bytes([tag]) for tag in range(1, 7))
_LENGTHS = [n.to_bytes(8, "little") for n in range(256)]


def _encoded(name: bytes, args: tuple) -> bytes:
    """A recipe's function and inputs as one byte string that no other recipe shares:
    each input tagged with its sort, and fixed in length or prefixed with it. A node
    enters as its digest; plain data as its `repr`, once checked."""
    parts = [name]
    add = parts.append
    lengths = _LENGTHS
    for arg in args:
        kind = type(arg)
        if kind in _NODE_TYPES:
            add(_NODE)
            add(arg._digest or arg.digest)
        elif arg is None:
            add(_NONE)
        elif kind is tuple and arg and type(arg[0]) in _NODE_TYPES:
            add(_NODES_TAG)
            add(lengths[len(arg)] if len(arg) < 256 else len(arg).to_bytes(8, "little"))
            parts += [node._digest or node.digest for node in arg]
        elif kind is tuple and not arg:
            add(_EMPTY)
        else:
            if kind is str:
                tag, data = _TEXT, arg.encode("utf-8", "surrogatepass")
            else:
                if kind is not int:
                    check_plain(arg)
                tag, data = _PLAIN, repr(arg).encode("utf-8", "surrogatepass")
            add(tag)
            add(lengths[len(data)] if len(data) < 256 else len(data).to_bytes(8, "little"))
            add(data)
    return b"".join(parts)


def _resolve(arg: Any) -> Any:
    if isinstance(arg, Node):
        return arg.value
    if type(arg) is tuple and arg and isinstance(arg[0], Node):
        return tuple([node.value for node in arg])
    return arg


class Recipe(Node):
    """`make(*args)`, with nodes among the args replaced by their values."""

    __slots__ = ("args", "make")

    def __init__(self, make: Callable[..., Any], *args: Any):
        if make not in _PURE:
            _name_of(make)
        self.make, self.args = make, args
        self._digest, self._value = None, _Unset

    @property
    def digest(self) -> bytes:
        if self._digest is None:
            self._digest = _blake2b(
                _encoded(_PURE.get(self.make) or _name_of(self.make), self.args), digest_size=SIZE
            ).digest()
        return self._digest

    @property
    def value(self) -> Any:
        if self._value is _Unset:
            self._value = self.make(*[_resolve(arg) for arg in self.args])
        return self._value

    def digest_with(self, prefix: bytes) -> bytes:
        """The digest of `prefix` and this recipe together (a page's key: the template
        set and page names, then the recipe), in one pass."""
        name = _PURE.get(self.make) or _name_of(self.make)
        return _blake2b(prefix + _encoded(name, self.args), digest_size=SIZE).digest()


class Transient(Recipe):
    """A recipe whose value is not kept: each page that shows it makes it again."""

    __slots__ = ()

    @property
    def value(self) -> Any:
        return self.make(*[_resolve(arg) for arg in self.args])


class Memo:
    """What cutoff recipes made, as digests by recipe digest; kept between builds.
    A recipe's digest names its function, not the function's code: the build cache
    drops the memo when the code changes.

    `kept` holds the entries this build used or added, so the memo does not grow
    with entries of articles long gone."""

    def __init__(self, known: dict[bytes, bytes] | None = None):
        self.known = known or {}
        self.kept: dict[bytes, bytes] = {}

    def get(self, key: bytes) -> bytes | None:
        found = self.known.get(key)
        if found is not None:
            self.kept[key] = found
        return found

    def put(self, key: bytes, value: bytes) -> None:
        self.kept[key] = value


class Cutoff(Node):
    """A recipe known by the digest of its value, so a change to its inputs that
    leaves its value as it was does not reach the nodes made from it."""

    __slots__ = ("memo", "recipe")

    def __init__(self, recipe: Recipe, memo: Memo):
        self.recipe, self.memo = recipe, memo
        self._digest, self._value = None, _Unset

    @property
    def digest(self) -> bytes:
        if self._digest is None:
            key = self.recipe.digest
            known = self.memo.get(key)
            if known is None:
                known = plain_digest(self.recipe.value)
                self.memo.put(key, known)
            self._digest = known
        return self._digest

    @property
    def value(self) -> Any:
        return self.recipe.value


def sources(node: Node) -> Iterator[Source | Value]:
    """The sources and plain values a node is made from, through its recipes but not
    past a cutoff (what a cutoff made is all that is used of its inputs)."""
    todo = [node]
    while todo:
        found = todo.pop()
        if type(found) is Source or type(found) is Value:
            yield found
        elif type(found) is Recipe or type(found) is Transient:
            for arg in found.args:
                if isinstance(arg, Node):
                    todo.append(arg)
                elif type(arg) is tuple and arg and isinstance(arg[0], Node):
                    todo += arg


# the kinds of node inputs can be
_NODE_TYPES = frozenset({Value, Source, Recipe, Transient, Cutoff})
