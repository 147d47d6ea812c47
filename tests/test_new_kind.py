"""A new kind of page is one module and one line in the registry; the build makes its
pages, and incremental builds keep them equal to clean ones."""

from __future__ import annotations

import json
import shutil

from conftest import NOW, contents
from headlines_kind import NEWEST, TEMPLATE, HeadlinesKind
from test_incremental import Newsroom, build_into

from focue_ssg.pages import registry
from focue_ssg.pipeline import BuildOptions, load_site


def test_a_kind_from_one_module_is_built_and_stays_incrementally_correct(tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "KINDS", [*registry.KINDS, HeadlinesKind()])  # the one line
    site = Newsroom(tmp_path / "site", seed=11)
    template = site.root / "themes/focue/templates" / TEMPLATE
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text('{"section": {{ section | tojson }}, "stories": {{ stories | tojson }}}\n')
    incremental = site.root / "output"
    build_into(site.root, incremental)
    edits = []
    for step in range(12):
        edits.append(site.edit())
        result = build_into(site.root, incremental)
        clean = tmp_path / f"clean-{step}"
        build_into(site.root, clean, use_cache=False)
        assert contents(incremental) == contents(clean), f"step {step}: {edits[-1]}"
        shutil.rmtree(clean)
    assert result.counts["by kind"]["headlines"] >= 1
    assert len(set(edits)) >= 6

    loaded = load_site(BuildOptions(site.root, now=NOW))
    sections = loaded.site.sections.terms
    assert len(sections) >= 2
    for term in sections:
        written = json.loads((incremental / "sections" / term.slug / TEMPLATE).read_text())
        newest = [loaded.site.by_path[p].title for p in term.articles[:NEWEST]]
        assert written["section"] == term.name
        assert [story["title"] for story in written["stories"]] == newest
