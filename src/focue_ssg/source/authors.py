"""Author details from an optional data file (`data/authors.toml` by default).

    ["Helen Tao"]            # the name as articles write it
    bio = "Covers China's economy from Beijing."
    url = "https://example.org/helen"
    image = "images/authors/helen.jpg"

    [melody]                 # a short name in front matter...
    name = "Melody Kramer"   # ...shown as the full one

Every field is optional, and authors without an entry still get a page.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from ..core.errors import Diagnostic, did_you_mean, error
from ..core.files import NOT_A_FILE, is_file, present
from ..core.text import text_key
from ..core.textpos import line_of_key, toml_problem
from ..model.authors import FIELDS, AuthorInfo


def _read_entry(path: str, text: str, key: str, entry: object) -> tuple[AuthorInfo | None, list]:
    line = line_of_key(text, key) or _table_line(text, key)
    if not isinstance(entry, dict):
        return None, [error(path, f"'{key}' must be a table of fields ({', '.join(FIELDS)})", line)]
    problems = []
    values = {}
    for field, value in entry.items():
        if field not in FIELDS:
            hint = did_you_mean(field, FIELDS)
            problems.append(error(path, f"author '{key}': unknown field '{field}'{hint}", line))
        elif not isinstance(value, str):
            problems.append(error(path, f"author '{key}': '{field}' must be text", line))
        else:
            values[field] = value.strip() or None
    return AuthorInfo(**values), problems


def _table_line(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped in (f"[{key}]", f'["{key}"]', f"['{key}']"):
            return number
    return None


def load_authors(
    site_dir: Path, relative: str
) -> tuple[dict[str, AuthorInfo], tuple[Diagnostic, ...]]:
    """Author details by name key; a missing file means no details."""
    file = site_dir / relative
    if not is_file(file):
        return {}, (error(relative, NOT_A_FILE),) if present(file) else ()
    try:
        text = file.read_bytes().decode("utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        return {}, (error(relative, "not valid UTF-8; save the file as UTF-8"),)
    except ValueError as exc:  # a TOMLDecodeError, or int()'s limit
        message, line, column = toml_problem(exc, text)
        return {}, (error(relative, f"invalid TOML: {message}", line, column),)
    found: dict[str, AuthorInfo] = {}
    problems: list[Diagnostic] = []
    for key, entry in data.items():
        info, trouble = _read_entry(relative, text, key, entry)
        problems += trouble
        if info is not None:
            found[text_key(key)] = info
    return found, tuple(problems)
