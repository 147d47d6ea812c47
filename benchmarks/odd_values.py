#!/usr/bin/env python3
"""Build with every setting of focue.toml and every front-matter field given odd values,
and flag the builds that crash or slow down.

    python benchmarks/odd_values.py [--only config|front-matter] [--values N] [--list]

Each case is one small site of two stories: `focue.toml` setting one key (or a key
of `[home]`, `[images]` or a `[[menu.main]]` entry) to one value, `data/authors.toml`
setting one field of a story's author, or a story (and a standalone page) setting one
front-matter field to one value. The values are what
writers and their tools type by mistake and what the standard library refuses:
numbers past any range, NaN, empty and 300-character strings, a NUL, paths that
climb out, URLs with an unclosed bracket, dates at the ends of the calendar, lists
and tables where text belongs. Flags:

- CRASH: exit code 3, "internal error" or a traceback (a bug: bad input must be an
  error at its file and line);
- SLOW: the build took more than 10 s (a small site takes a fraction of one).

fuzz.py's Hypothesis examples are short and rarely meaningful (a 40-character string
is never a 300-character file name); this list found the crashes that
tests/test_forged_input.py keeps. Builds run in this process, one after another.
Exit code 1 if any case crashed.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

NOW = "2024-01-01T00:00:00+00:00"
LONG = "x" * 300
# as TOML and YAML both read them
VALUES = ["0", "-1", "1000000000000000000", "9223372036854775807", "1.5", "nan", "inf"]
VALUES += ["true", '""', '" "', '"\\u0000"', f'"{LONG}"', f'"{LONG} {LONG}"', '"/"', '"é"']
VALUES += ['"//evil.example/x"', '"../../../etc/passwd"', '"/a/../../b/"', '"http://[::1"']
VALUES += ['"javascript:alert(1)"', '"data:image/png;base64,AAAA"', '"{{ x }}"', '"%00"']
VALUES += ['"<script>x</script>"', "[]", '[""]', "[1]", '["a", "a", "A"]', f'["{LONG}"]']
VALUES += ["[[]]", "[0.5, 2]", "[-1, 0.5]", "{}", "{a = 1}", '"\u202e\u200b"', '"😀"']
VALUES += ["1979-05-27", "0001-01-01", "9999-12-31", '"9999-12-31T23:59:59-12:00"']
VALUES += ['"0001-01-01T00:00:00+14:00"', '"/{year}/{month}/{slug}.html"', '"{slug}"']
VALUES += ['"Other Story"', '"2023/10/other.md"', '"/2023/10/16/other-story/"']
YAML_ONLY = {"nan": ".nan", "inf": ".inf", "{a = 1}": "{a: 1}"}
OTHER = "---\ntitle: Other Story\ndate: 2023-10-16 07:45\nauthor: Jane Doe\n---\nOther.\n"
STORY = "---\ntitle: Probe\ndate: 2023-10-17 07:45\n{field}---\nA body.\n\nRead More: Other Story\n"
PAGE = "---\ntitle: Probe\n{field}---\nA page.\n"
Case = tuple[str, dict[str, str]]  # a name, and the site's files


def _config_keys() -> tuple[list[str], dict[str, list[str]]]:
    from focue_ssg.config.home import HomeSettings
    from focue_ssg.config.images import ImageSettings
    from focue_ssg.config.menus import TARGETS
    from focue_ssg.config.settings import settings

    def keys(kind: type) -> list[str]:
        return [f.name for f in dataclasses.fields(kind) if f.name != "lines"]

    tables = {"home": keys(HomeSettings), "images": keys(ImageSettings)}
    tables["[menu.main]"] = ["name", *TARGETS]
    plain = [name for name in settings() if name not in ("home", "images", "menu")]
    return [*plain, "home", "images", "menu"], tables


def config_cases(values: list[str]) -> Iterator[Case]:
    plain, tables = _config_keys()
    for value in values:
        for key in plain:
            yield f"focue.toml {key} = {value}", {"focue.toml": f"{key} = {value}\n"}
        for table, keys in tables.items():
            for key in keys:
                entry = {"name": '"N"'} if table.startswith("[") else {}
                entry = {**entry, "url": '"/"'} if key == "name" else entry
                lines = "".join(f"{k} = {v}\n" for k, v in {**entry, key: value}.items())
                yield f"focue.toml [{table}] {key} = {value}", {"focue.toml": f"[{table}]\n{lines}"}


def author_cases(values: list[str]) -> Iterator[Case]:
    """data/authors.toml: each field of the author the other story names."""
    from focue_ssg.model.authors import FIELDS

    for value in values:
        for field in FIELDS:
            text = f'["Jane Doe"]\n{field} = {value}\n'
            yield f"authors.toml {field} = {value}", {"data/authors.toml": text}


def front_matter_cases(values: list[str]) -> Iterator[Case]:
    from focue_ssg.model.fields import KNOWN_FIELDS

    for value in values:
        typed = YAML_ONLY.get(value, value)
        for field in sorted(KNOWN_FIELDS - {"title", "date"}):
            line = f"{field}: {typed}\n"
            yield f"story {field}: {value}", {"content/2023/10/probe.md": STORY.format(field=line)}
            yield f"page {field}: {value}", {"content/pages/probe.md": PAGE.format(field=line)}
        for field in ("title", "date"):
            text = STORY.replace(f"\n{field}: ", f"\n_{field}: ").format(
                field=f"{field}: {typed}\n"
            )
            yield f"story {field}: {value}", {"content/2023/10/probe.md": text}


def verdict(code: int, seconds: float, err: str) -> str | None:
    if code == 3 or "internal error" in err or "Traceback" in err:
        return "CRASH"
    return "SLOW" if seconds > 10 else None


def build(files: dict[str, str]) -> tuple[int, float, str]:
    from focue_ssg.cli.main import main

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        for name, text in {"content/2023/10/other.md": OTHER, **files}.items():
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_text(text, encoding="utf-8")
        err = io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = main(["build", tmp, "-q", "-j", "1", "--now", NOW])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        return code, time.perf_counter() - started, err.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only", choices=["config", "front-matter"], help="config: focue.toml and authors.toml"
    )
    parser.add_argument("--values", type=int, help="the first N values only")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    args = parser.parse_args(argv)
    values = VALUES[: args.values]
    cases = [] if args.only == "front-matter" else [*config_cases(values), *author_cases(values)]
    cases += [] if args.only == "config" else list(front_matter_cases(values))
    crashed = 0
    for name, files in cases:
        if args.list:
            print(name)
            continue
        code, seconds, err = build(files)
        flag = verdict(code, seconds, err)
        if flag is not None:
            crashed += flag == "CRASH"
            print(f"{flag}: {name} (exit {code}, {seconds:.1f} s)\n{err[-600:]}", flush=True)
    print(f"{len(cases)} cases, {crashed} crashed")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
