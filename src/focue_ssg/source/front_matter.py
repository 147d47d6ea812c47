"""Split a source text into front matter and body, and parse the front matter.

python-frontmatter detects and splits the `---` (YAML) or `+++` (TOML) block;
the parsing is ours because writers need to be told *where* a value is wrong,
so the YAML loader records the line, column and source text of every
top-level value.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import BaseHandler, YAMLHandler

from ..core.errors import Diagnostic, error
from ..core.textpos import LONG_NUMBER, line_of_key, long_number, toml_problem
from .dates import InvalidTimestamp

_SAFE_LOADER_BASE: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Pos:
    """Where a front-matter value is written; `raw` is its scalar text as typed."""

    line: int
    column: int | None = None
    raw: str | None = None
    items: tuple[Pos, ...] = ()


@dataclass(frozen=True)
class FrontMatter:
    values: dict[str, Any]
    positions: dict[str, Pos] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    duplicate_keys: tuple[tuple[str, int], ...] = ()


class _TomlHandler(BaseHandler):
    """TOML between `+++` lines, read with the standard library's tomllib."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"


_YAML = YAMLHandler()
_TOML = _TomlHandler()


def _timestamp_or_marker(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        return InvalidTimestamp(node.value, str(exc))


MAX_DEPTH = 32  # front matter nests a few levels at most; deeper is refused
MAX_VALUES = 10_000  # values that aliases may expand to, beyond those written ...
ALIAS_FACTOR = 10  # ... or beyond this many times those written, whichever is more


class Refused(Exception):
    """Front matter that would take out of proportion work to read: a diagnostic."""

    def __init__(self, message: str, node: yaml.Node):
        super().__init__(message)
        self.node = node


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _measure(root: yaml.Node) -> None:
    """Refuse a document whose aliases expand out of proportion to what is written (a
    "billion laughs"), that refers to itself, or that nests too deep. Each node is
    measured once, without recursion: a node an alias repeats is shared."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_.discard(key)
            children = _children(node)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            if depth[key] > MAX_DEPTH:
                raise Refused(f"front matter nests deeper than {MAX_DEPTH} levels", node)
            continue
        if key in size:
            continue
        if key in open_:
            raise Refused("front matter refers to itself (an alias inside its own anchor)", node)
        open_.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in size)
    written = len(size)
    if size[id(root)] > max(MAX_VALUES, ALIAS_FACTOR * written):
        raise Refused(
            f"front matter aliases expand to {size[id(root)]:,} values from {written:,} "
            "written; repeat less, or write the values out",
            root,
        )


class _PositionRecorder:
    """Mixed into a safe YAML loader: remembers where each top-level value was written,
    after refusing a document out of proportion to its size (see `_measure`)."""

    def construct_document(self, node: yaml.Node) -> Any:
        _measure(node)
        self.positions: dict[str, Pos] = {}
        self.duplicates: list[tuple[str, int]] = []
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                if key_node.value in self.positions:
                    self.duplicates.append((key_node.value, key_node.start_mark.line + 1))
                self.positions[key_node.value] = _node_pos(value_node)
        return super().construct_document(node)  # type: ignore[misc]


class _StrictLoader(_PositionRecorder, yaml.SafeLoader):
    pass


class _FastLoader(_PositionRecorder, _SAFE_LOADER_BASE):  # type: ignore[misc, valid-type]
    pass


for _loader in (_StrictLoader, _FastLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_marker)


def _loader_for(text: str) -> type:
    """libyaml is much faster but lets tabs through where PyYAML's own parser
    (and the YAML most writers learnt) rejects them; both agree on everything else,
    so tabs decide, and a site builds the same with or without libyaml."""
    return _StrictLoader if "\t" in text else _FastLoader


def _node_pos(node: yaml.Node) -> Pos:
    """Positions are 1-based file lines: the front matter starts on the `---` line."""
    line = node.start_mark.line + 1
    column = node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode):
        return Pos(line, column, node.value)
    if isinstance(node, yaml.SequenceNode):
        return Pos(line, column, None, tuple(_node_pos(item) for item in node.value))
    return Pos(line, column)


def _tab_hint(text: str, mark: Any) -> str:
    """PyYAML reports tabs obscurely; say what to change."""
    lines = text.split("\n")
    if mark is None or mark.line >= len(lines):
        return ""
    line = lines[mark.line]
    if line[mark.column : mark.column + 1] != "\t":
        return ""
    if not line[: mark.column].strip():
        return "; indent with spaces, not tabs"
    return "; remove the tab character (YAML allows spaces only here)"


def _yaml_error(path: str, text: str, exc: yaml.YAMLError) -> Diagnostic:
    if not isinstance(exc, yaml.MarkedYAMLError):
        return error(path, f"invalid YAML front matter: {exc}")
    # An unclosed quote or bracket is reported at the end of the block; where it
    # was opened (the context) is where the writer has to look.
    at_end = "end of stream" in (exc.problem or "")
    mark = (exc.context_mark if at_end else None) or exc.problem_mark or exc.context_mark
    parts = [p for p in (exc.problem, exc.context) if p]
    message = "invalid YAML front matter: " + " ".join(parts)
    if mark is exc.context_mark and exc.problem_mark and mark.line != exc.problem_mark.line:
        message += f" (still open at line {exc.problem_mark.line + 1})"
    message += _tab_hint(text, exc.problem_mark)
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    return error(path, message, line, column)


def _load_yaml(path: str, text: str) -> tuple[Any, dict[str, Pos], list, Diagnostic | None]:
    loader = _loader_for(text)(text)
    try:
        data = loader.get_single_data()
        return data, getattr(loader, "positions", {}), getattr(loader, "duplicates", []), None
    except yaml.YAMLError as exc:
        return None, {}, [], _yaml_error(path, text, exc)
    except Refused as exc:
        mark = exc.node.start_mark
        return None, {}, [], error(path, str(exc), mark.line + 1, mark.column + 1)
    except RecursionError:  # a parser nesting past Python's limit, before _measure ran
        return None, {}, [], error(path, f"front matter nests deeper than {MAX_DEPTH} levels", 1)
    except ValueError:  # int()'s limit, met while the loader makes a number
        return None, {}, [], error(path, f"front matter holds {LONG_NUMBER}", *long_number(text))
    finally:
        loader.dispose()


def _load_toml(path: str, text: str) -> tuple[Any, dict[str, Pos], list, Diagnostic | None]:
    try:
        data = tomllib.loads(text)
    except ValueError as exc:  # a TOMLDecodeError, or int()'s limit
        message, line, column = toml_problem(exc, text)
        return None, {}, [], error(path, f"invalid TOML front matter: {message}", line, column)
    positions = {key: Pos(line_of_key(text, key) or 1) for key in data}
    return data, positions, [], None


def parse_front_matter(path: str, text: str) -> FrontMatter | Diagnostic:
    """Front matter values with positions, or the one diagnostic that stops this file."""
    handler = frontmatter.detect_format(text, (_YAML, _TOML))
    if handler is None:
        return error(
            path,
            "no front matter: an article starts with a '---' line, then 'title:' and "
            "'date:', then a closing '---' line",
            1,
        )
    try:
        head, body = handler.split(text)
    except ValueError:
        return error(
            path,
            f"front matter opened with '{handler.START_DELIMITER}' on line 1 is never closed; "
            f"add a '{handler.END_DELIMITER}' line after the last field",
            1,
        )
    load = _load_toml if handler is _TOML else _load_yaml
    data, positions, duplicates, problem = load(path, head)
    if problem is not None:
        return problem
    if data is None:
        data = {}
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        return error(
            path,
            f"front matter is {kind}, not a set of 'field: value' lines "
            "(remove the leading '- ' from each line)",
            2,
        )
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    return FrontMatter(
        values={str(k): v for k, v in data.items()},
        positions=positions,
        body=body,
        body_line=body_line,
        duplicate_keys=tuple(duplicates),
    )
