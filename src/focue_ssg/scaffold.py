"""`focue init` and `focue new`: a new site, and a new article from a template.

New articles come from `archetypes/article.md` in the site (or its theme, or the
default theme): a Jinja template whose variables are the headline, date, slug,
section, tags, authors and draft flag. Nothing existing is ever overwritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, StrictUndefined, TemplateError

from .config.settings import SiteConfig, load_config, settings
from .core.errors import Diagnostic, error
from .core.files import exists
from .core.layout import CACHE_DIR, CONFIG_FILE, CONTENT_DIR, OUTPUT_DIR, PREVIEW_DIR, THEMES_DIR
from .core.text import slugify
from .render.theme import default_theme_dir
from .source.parse import ParseSettings, SourceFile, parse_source

ARCHETYPE = "archetypes/article.md"
GITIGNORE = f"{OUTPUT_DIR}/\n{CACHE_DIR}/\n{PREVIEW_DIR}/\n"
THEME_README = """# Your theme overrides

Files here replace the default theme's files of the same name:

- `templates/article.html` replaces the article page; it can extend the default with
  `{% extends "default/article.html" %}` and override just a block.
- `static/focue.css` replaces the stylesheet; other files in `static/` are served
  under `/static/`.

See the default theme's templates (in the focue_ssg package, `default_theme/`) and the
README's "Themes" section for every template and variable.
"""


class Refused(Exception):
    """Nothing was written: the reasons are the diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return json.dumps(list(value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def config_template() -> str:
    """focue.toml with every key, commented out at its default, and what it does."""
    lines = ["# focue_ssg site settings. Every key is optional: uncomment to change one.", ""]
    # tables last: in TOML, every key after a table's header belongs to the table
    ordered = sorted(settings().values(), key=lambda item: "example" in item.metadata)
    for item in ordered:
        lines.append(f"# {item.metadata['help']}")
        example = item.metadata.get("example")
        if example:
            lines += [f"# {line}" for line in example.splitlines()]
        else:
            lines.append(f"# {item.name} = {_toml_value(item.default)}")
        lines.append("")
    return "\n".join(lines)


def _yaml(value: object) -> str:
    """A front-matter value: JSON is valid YAML, and quotes whatever needs quoting."""
    return json.dumps(value, ensure_ascii=False)


def _environment() -> Environment:
    env = Environment(
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["yaml"] = _yaml
    return env


def archetype(site_dir: Path, config: SiteConfig) -> Path:
    """The article template: the site's own, its theme's, or the default."""
    for folder in (site_dir, site_dir / THEMES_DIR / config.theme, default_theme_dir()):
        if (folder / ARCHETYPE).is_file():
            return folder / ARCHETYPE
    raise FileNotFoundError(ARCHETYPE)


@dataclass(frozen=True)
class Story:
    title: str
    section: str | None = None
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    draft: bool = False


def _render(template: Path, story: Story, local: datetime, slug: str) -> str:
    try:
        return (
            _environment()
            .from_string(template.read_text(encoding="utf-8"))
            .render(
                title=story.title,
                date=local.strftime("%Y-%m-%d %H:%M"),
                slug=slug,
                section=story.section,
                tags=list(story.tags),
                authors=list(story.authors),
                draft=story.draft,
                year=f"{local.year:04d}",
                month=f"{local.month:02d}",
            )
        )
    except TemplateError as exc:
        raise Refused(
            [error(str(template), f"template error: {exc}", getattr(exc, "lineno", None))]
        ) from None


def new_article(site_dir: Path, story: Story, now: datetime) -> Path:
    """Write content/YYYY/MM/<slug>.md for a new story and return its path."""
    config, problems = load_config(site_dir)
    if problems:
        raise Refused(list(problems))
    local = now.astimezone(config.zone)
    slug = slugify(story.title) or "article"
    relative = f"{local.year:04d}/{local.month:02d}/{slug}.md"
    target = site_dir / CONTENT_DIR / relative
    if target.exists():
        raise Refused(
            [
                error(
                    f"{CONTENT_DIR}/{relative}",
                    "already exists; choose another headline or edit it",
                )
            ]
        )
    text = _render(archetype(site_dir, config), story, local, slug)
    article, found = parse_source(
        SourceFile(relative, text.encode()), ParseSettings(config.timezone)
    )
    if article is None:
        raise Refused(
            [
                error(
                    str(archetype(site_dir, config)),
                    "makes an article that does not parse: " + d.message,
                )
                for d in found
            ]
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # never overwrite, even in a race
        handle.write(text)
    return target


def init_site(folder: Path, now: datetime) -> list[Path]:
    """A new site: config, an example article, a theme override folder, an archetype."""
    example = Story("Welcome to your newsroom", "World", ("Newsroom",), ("The Editors",))
    local = now.astimezone(SiteConfig().zone)
    files = {
        CONFIG_FILE: config_template(),
        ".gitignore": GITIGNORE,
        f"{THEMES_DIR}/focue/README.md": THEME_README,
        ARCHETYPE: (default_theme_dir() / ARCHETYPE).read_text(encoding="utf-8"),
        f"{CONTENT_DIR}/{local.year:04d}/{local.month:02d}/welcome-to-your-newsroom.md": _render(
            default_theme_dir() / ARCHETYPE, example, local, "welcome-to-your-newsroom"
        ),
    }
    existing = [name for name in files if exists(folder / name)]
    if existing:
        raise Refused(
            [error(name, "already exists; focue init never overwrites") for name in existing]
        )
    created = []
    for name, text in files.items():
        path = folder / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:  # a name too long, a folder not ours to write in
            raise Refused([error(str(path), f"cannot write: {exc.strerror or exc}")]) from None
        created.append(path)
    return created
