"""Find templates and static files: the site's theme first, then the packaged default.

A site's `themes/<name>/templates/x.html` replaces the default's `x.html`, and
can still extend it as `default/x.html`. Static files merge the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.digests import digest_parts, file_digest
from ..core.errors import Diagnostic, error, warning
from ..core.files import DEEPEST, files_below, is_dir
from ..core.layout import CONFIG_FILE, STATIC_DIR, THEMES_DIR
from ..core.text import clipped

DEFAULT_THEME = "focue"
THEME_STATIC_PREFIX = "static/"


def default_theme_dir() -> Path:
    """Installed: inside the package. From a source checkout: the repository's themes/."""
    packaged = Path(__file__).parents[1] / "default_theme"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / THEMES_DIR / DEFAULT_THEME


@dataclass(frozen=True)
class Theme:
    template_dirs: tuple[Path, ...]  # searched in order
    default_templates: Path
    static_dirs: tuple[Path, ...]  # later ones override earlier ones


def find_theme(
    site_dir: Path, name: str, line: int | None = None
) -> tuple[Theme, tuple[Diagnostic, ...]]:
    """`line`: where focue.toml names the theme, for the error if it is not found."""
    default = default_theme_dir()
    own = site_dir / THEMES_DIR / name
    problems: tuple[Diagnostic, ...] = ()
    if not is_dir(own):
        if name != DEFAULT_THEME:
            problems = (
                error(
                    CONFIG_FILE,
                    f"theme '{clipped(name)}' not found: no folder {THEMES_DIR}/{clipped(name)}/",
                    line,
                ),
            )
        own_dirs: tuple[Path, ...] = ()
    else:
        own_dirs = (own,)
    folders = (*own_dirs, default) if own.resolve() != default.resolve() else (default,)
    theme = Theme(
        template_dirs=tuple(f / "templates" for f in folders),
        default_templates=default / "templates",
        static_dirs=tuple(f / "static" for f in reversed(folders)),
    )
    return theme, problems


TOO_DEEP = f"folders nested more than {DEEPEST} deep are not published"


def _files_under(folder: Path, inside: Path | None = None) -> tuple[dict[str, Path], list[Path]]:
    """Files below `folder`, hidden ones skipped; with `inside`, links out of it too.
    And the folders too deep to go into."""
    files, deep = files_below(folder)
    found = {}
    for path in files:
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if inside is not None and not path.resolve().is_relative_to(inside):
            continue
        found[rel.as_posix()] = path
    return found, deep


def static_files(site_dir: Path, theme: Theme) -> tuple[dict[str, Path], list[Diagnostic]]:
    """Output path -> source file: theme assets under static/, the site's static/ at the
    root; and a warning for each folder left out."""
    files: dict[str, Path] = {}
    left_out: list[Path] = []
    for folder in theme.static_dirs:
        found, deep = _files_under(folder)
        files.update((THEME_STATIC_PREFIX + rel, path) for rel, path in found.items())
        left_out += deep
    found, deep = _files_under(site_dir / STATIC_DIR, site_dir.resolve())
    files.update(found)
    problems = [warning(_named(site_dir, path), TOO_DEEP) for path in left_out + deep]
    return files, problems


def _named(site_dir: Path, path: Path) -> str:
    return path.relative_to(site_dir).as_posix() if path.is_relative_to(site_dir) else str(path)


def static_sources(site_dir: Path, files: dict[str, Path]) -> dict[str, str]:
    """Output path -> the static file, as a diagnostic names it (relative to the site).
    Path arithmetic only: static_files builds each path from the site folder, and this
    runs on every build."""
    return {rel: _named(site_dir, path) for rel, path in files.items()}


def fingerprint(path: Path) -> str:
    return file_digest(path, size=6).hex()  # a block at a time: a theme may carry a video


def files_of(theme: Theme) -> list[Path]:
    """Every template and static file of the theme, its default included."""
    folders = (*theme.template_dirs, *theme.static_dirs)
    return [path for folder in folders for path in files_below(folder)[0]]


@dataclass(frozen=True)
class TemplateFiles:
    """The theme's templates as text, for workers that cannot read the site's folders:
    (name, source, file) in name order, by the name the theme resolves them to (its own
    first), and the default theme's, which templates reach as `default/<name>`."""

    chain: tuple[tuple[str, str, str], ...]
    default: tuple[tuple[str, str, str], ...]


def _templates_in(folders: tuple[Path, ...]) -> tuple[tuple[str, str, str], ...]:
    found: dict[str, tuple[str, str, str]] = {}
    for folder in folders:
        for name, path in _files_under(folder)[0].items():
            found.setdefault(name, (name, path.read_text("utf-8"), str(path)))
    return tuple(found[name] for name in sorted(found))


def template_files(theme: Theme) -> TemplateFiles:
    return TemplateFiles(
        _templates_in(theme.template_dirs), _templates_in((theme.default_templates,))
    )


def template_salt(theme: Theme, code: str) -> bytes:
    """Any template change re-renders every page (templates include one another), and
    so does any change to the code."""
    parts = [code.encode()]
    for folder in theme.template_dirs:
        for path in files_below(folder)[0]:
            parts.append(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest_parts(parts)


def asset_urls(files: dict[str, Path]) -> dict[str, str]:
    """Theme asset name -> '/static/name?v=hash', so browsers and CDNs never serve stale CSS."""
    return {
        out.removeprefix(THEME_STATIC_PREFIX): f"/{out}?v={fingerprint(path)}"
        for out, path in files.items()
        if out.startswith(THEME_STATIC_PREFIX)
    }
