"""A page's context to bytes through Jinja2, template errors mapped to template:line.

Templates autoescape and use StrictUndefined: a misspelt variable is a build
error naming the template and line, not an empty string on a live page.
"""

from __future__ import annotations

import pickle
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.bccache import Bucket
from markupsafe import Markup

from ..core.errors import Diagnostic, error
from ..core.text import clipped, isoformat
from ..core.text import compact_json as json_text
from ..pages.kind import PagePlan
from ..pages.pictures import ARTICLE_SIZES, picture
from .structured import news_article_json
from .theme import TemplateFiles, Theme, default_theme_dir


def format_date(value: datetime, style: str = "date") -> str:
    """'17 October 2023' or, with style='datetime', '17 October 2023, 07:45 CST'."""
    if value is None:
        return ""
    text = f"{value.day} {value:%B %Y}"
    if style == "datetime":
        text += f", {value:%H:%M %Z}".rstrip()
    return text


def join_names(names: list[str]) -> str:
    """['A', 'B', 'C'] -> 'A, B and C', as a byline reads."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _NewsEnvironment(Environment):
    """Contexts are dicts, so `card.title` is an item. Jinja looks for an attribute
    first and reaches the item through a caught AttributeError, millions of times a
    build; a name no dict has as an attribute is looked up as an item straight away.
    The result is the same: such a name never is an attribute of a dict."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's own store of compiled templates, checked against each template's source:
    a build that renders a few pages skips compiling the whole theme. A damaged entry
    is compiled again, never an error."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()


class _Snapshot(BaseLoader):
    """Templates from their text, named by their files for error messages."""

    def __init__(self, files: tuple[tuple[str, str, str], ...]):
        self.files = {name: (source, file) for name, source, file in files}

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        if template not in self.files:
            raise TemplateNotFound(template)
        source, file = self.files[template]
        return source, file, lambda: True


def make_environment(
    theme: Theme, compiled: Path | None = None, files: TemplateFiles | None = None
) -> Environment:
    """`compiled`: a folder for compiled templates (in the build cache), if any;
    `files`: the templates as text, read by another machine (a cluster's workers)."""
    own: BaseLoader = FileSystemLoader([str(d) for d in theme.template_dirs])
    default: BaseLoader = FileSystemLoader(str(theme.default_templates))
    if files is not None:
        own, default = _Snapshot(files.chain), _Snapshot(files.default)
    loader = ChoiceLoader([own, PrefixLoader({"default": default})])
    env = _NewsEnvironment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=CompiledTemplates(str(compiled)) if compiled is not None else None,
    )
    env.filters["format_date"] = format_date
    env.filters["isoformat"] = isoformat
    env.filters["join_names"] = join_names
    env.globals["news_article_json"] = news_article_json
    env.filters["compact_json"] = compact_json
    env.globals["picture"] = picture
    env.globals["article_sizes"] = ARTICLE_SIZES
    return env


def compact_json(value: Any) -> Markup:
    """JSON for data files the browser fetches (safe in HTML too)."""
    return Markup(json_text(value))


DEFAULT_SHOWN = "<default theme>"  # where focue is installed is no concern of the reader's


def _shown_path(filename: str | None, site_dir: Path) -> str:
    """A template as the site's developers know it: within the site, or the default
    theme's (as a theme's own templates extend it: `default/base.html`)."""
    if not filename:
        return "templates"
    path = Path(filename).resolve()
    for root, shown in ((site_dir.resolve(), ""), (default_theme_dir().resolve(), DEFAULT_SHOWN)):
        if path.is_relative_to(root):
            return "/".join(filter(None, (shown, path.relative_to(root).as_posix())))
    return str(path)


def template_diagnostic(
    exc: Exception, plan: PagePlan, site_dir: Path, why: str | None = None
) -> Diagnostic:
    """Where in which template the error is, found from Jinja's rewritten traceback.
    A theme is code: whatever a template raises is an error at its line (`why`, if
    given, says what happened), never an internal error of focue's."""
    if isinstance(exc, TemplateSyntaxError):
        where = _shown_path(exc.filename, site_dir)
        return error(where, f"template syntax error: {exc.message}", exc.lineno)
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if not f.filename.endswith(".py") and not f.filename.startswith("<")
    ]
    if isinstance(exc, TemplateNotFound):  # at the include, import or extends naming it
        if not frames:  # the page's own template
            return error(_shown_path(None, site_dir), f"template '{exc.name}' not found")
        why = f"template '{clipped(str(exc.name))}' not found"
    if isinstance(exc, RecursionError):  # blame the site's own template in the loop
        why = why or RECURSION
        site = site_dir.resolve()
        frames = [f for f in frames if Path(f.filename).resolve().is_relative_to(site)] or frames
    where, line = (frames[-1].filename, frames[-1].lineno) if frames else (None, None)
    why = why or f"{type(exc).__name__}: {exc}"
    return error(
        _shown_path(where, site_dir), f"{clipped(why, 300)} (while rendering {plan.output})", line
    )


RECURSION = (
    "templates went deeper than Python's recursion limit: a template extends, includes "
    "or calls itself, directly or through others"
)


def render_page(env: Environment, plan: PagePlan) -> bytes:
    """Raises what the template raised; see template_diagnostic."""
    html = env.get_template(plan.template).render(plan.context)
    return html.encode("utf-8")
