"""Property-based tests (issue 16): Hypothesis writes front matter of every YAML type,
bodies of Markdown syntax and files in odd encodings, and every build of them must
keep the command line's contract. Kept small for CI; `benchmarks/fuzz.py` runs the same
properties for longer."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path

import yaml
from conftest import NOW_ARG, article, snapshot
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from focue_ssg.cli.main import main

EXAMPLES = int(os.environ.get("FOCUE_FUZZ_EXAMPLES", "60"))
FIELDS = ["title", "date", "tags", "section", "authors", "summary", "draft", "slug", "expires"]
FIELDS += ["image", "image_alt", "read_more", "aliases", "genre", "featured", "updated", "x"]
WORDS = ["China", "Reuters", "Zürich", "北京", "--With assistance from Li", "Read More:"]
MARKS = ["#", "##", "*", "**", "_", "`", "```", ">", "-", "1.", "|", "[", "](", ")", "!["]
MARKS += ["<b>", "</b>", "<H1>", "</div>", "&amp;", "\\", "  ", "\n", "\n\n", "    ", "\t"]


def scalars() -> st.SearchStrategy:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=40),
        st.dates(min_value=date(1, 1, 1)),
        st.datetimes(min_value=datetime(1, 1, 1)),
        st.binary(max_size=8),
    )


yaml_values = st.recursive(
    scalars(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
bodies = st.lists(st.sampled_from(MARKS + WORDS) | st.text(max_size=12), max_size=40).map(" ".join)


plain = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
tame_fields = st.fixed_dictionaries(
    {"title": plain, "date": st.datetimes(datetime(1990, 1, 1), datetime(2030, 1, 1))},
    optional={
        "tags": st.lists(plain, max_size=3),
        "section": plain,
        "summary": plain,
        "draft": st.booleans(),
        "authors": st.lists(plain, max_size=2),
    },
)


@st.composite
def sources(draw) -> bytes:
    """A Markdown file: front matter of any YAML type, or broken, or a story's usual
    fields with any text in them; any body; any encoding."""
    wild = st.dictionaries(st.sampled_from(FIELDS), yaml_values, max_size=6)
    fields = draw(st.one_of(wild, tame_fields))
    try:
        head = yaml.safe_dump(fields, allow_unicode=True) if fields else ""
    except yaml.YAMLError:
        head = "title: [unclosed\n"
    head = draw(
        st.sampled_from([head, head, head.replace("\n", "\n\t", 1), head[: len(head) // 2]])
    )
    text = f"---\n{head}---\n{draw(bodies)}\n"
    encoding = draw(st.sampled_from(["utf-8"] * 4 + ["utf-8-sig", "utf-16", "latin-1", "raw"]))
    if encoding == "raw":
        return draw(st.binary(max_size=200))
    return text.encode(encoding, errors="replace")


class Site:
    """One site folder, built once with good stories; each example adds files to it."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="focue-fuzz-"))
        good = article("Good Story", "2023-10-16 07:45", "Fine.", tags=["World"])
        (self.root / "content/2023/10").mkdir(parents=True)
        (self.root / "content/2023/10/good.md").write_text(good)
        self.build()
        self.good = snapshot(self.root / "output")

    def build(self, *extra: str) -> tuple[int, dict]:
        report = self.root / "report.json"
        try:
            code = main(
                ["build", str(self.root), "--now", NOW_ARG, "--report", str(report), "-q", *extra]
            )
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        return code, json.loads(report.read_text())

    def reset(self) -> None:
        """Back to the good site (a build that succeeded changed the output)."""
        for path in (self.root / "content/fuzz").glob("*"):
            path.unlink()
        if snapshot(self.root / "output") != self.good:
            self.build()
            self.good = snapshot(self.root / "output")


SITE: Site | None = None


def site() -> Site:
    global SITE
    if SITE is None:
        SITE = Site()
    return SITE


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # capsys: read and emptied by each example
    ],
)
@given(files=st.lists(sources(), min_size=1, max_size=3))
def test_any_file_keeps_the_contract(files, capsys):
    """No traceback; exit 0 or 1 as the README says; on an error the previous output is
    untouched; every file accounted for, the counts adding up."""
    fuzz = site()
    fuzz.reset()
    folder = fuzz.root / "content/fuzz"
    folder.mkdir(exist_ok=True)
    for n, data in enumerate(files):
        (folder / f"f{n}.md").write_bytes(data)
    code, report = fuzz.build()
    event(f"exit {code}")  # --hypothesis-show-statistics: how many built, how many failed
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    assert code in (0, 1) and (code == 1) == (report["errors"] > 0), err
    if code == 1:
        assert snapshot(fuzz.root / "output") == fuzz.good
    sources = report["sources"]
    assert sources["found"] == len(files) + 1
    assert sum(n for name, n in sources.items() if name != "found") == sources["found"]
    named = {d["path"] for d in report["diagnostics"] if d["severity"] == "error"}
    written = {f"content/fuzz/f{n}.md" for n in range(len(files))} | {"content/2023/10/good.md"}
    assert sources["error"] == len(named & written)


def teardown_module() -> None:
    if SITE is not None:
        shutil.rmtree(SITE.root, ignore_errors=True)
