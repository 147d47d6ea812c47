"""The site model kept for body edits (output/kept_site.py): taken over when only
bodies changed, with the warnings about references made again where they moved;
made anew otherwise; and the output and the diagnostics are a clean build's."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import NOW, copy_sample
from test_shape import PAGE, STORY, build_into, inserted, same_as_clean

from focue_ssg.core.layout import CACHE_DIR
from focue_ssg.output import kept_site
from focue_ssg.output.cache import BuildCache
from focue_ssg.pipeline import BuildOptions, build, load_site
from focue_ssg.source.scan import scan_sources

NOWHERE = "Read More: A Headline No Story Has"


@pytest.fixture
def modelled(monkeypatch) -> list[str]:
    """One entry for each time a build makes the site model rather than taking it over."""
    made: list[str] = []
    make = kept_site.model_site

    def counting(*args, **kwargs):
        made.append("made")
        return make(*args, **kwargs)

    monkeypatch.setattr(kept_site, "model_site", counting)
    return made


def _nowhere(result) -> list[tuple]:
    return [(d.path, d.line, d.column) for d in result.diagnostics if "No Story Has" in d.message]


def _ordered(result) -> list[tuple]:
    return sorted((d.path, d.line or 0, d.column or 0, d.message) for d in result.diagnostics)


def test_a_body_edit_takes_the_model_over_and_moves_its_warnings(tmp_path, modelled):
    site = copy_sample(tmp_path / "site")
    story = site / STORY
    story.write_text(inserted(story.read_text(), NOWHERE))
    first = build_into(site, site / "output")
    assert first.ok and modelled == ["made"]
    (path, line, column) = _nowhere(first)[0]
    story.write_text(inserted(story.read_text(), "A late paragraph.\n\nAnd a second one."))
    second = build_into(site, site / "output")
    assert second.ok and modelled == ["made"]  # taken over, not made
    assert _nowhere(second) == [(path, line + 4, column)]
    assert "A late paragraph." in story.read_text()
    clean = build_into(site, tmp_path / "clean", use_cache=False)
    assert _ordered(second) == _ordered(clean)
    assert same_as_clean(site, tmp_path)


@pytest.mark.parametrize(
    "edit",
    [
        ('title: "', 'title: "Revised: '),
        ("Read More: ", "Read More: Xi and Biden Agree to Restore Military Talks\n\nRead More: "),
    ],
    ids=["headline", "read-more-line"],
)
def test_an_edit_beyond_the_body_makes_the_model_anew(tmp_path, modelled, edit):
    site = copy_sample(tmp_path / "site")
    assert build_into(site, site / "output").ok
    story = site / STORY
    story.write_text(story.read_text().replace(*edit, 1))
    assert build_into(site, site / "output").ok
    assert modelled == ["made", "made"]
    assert same_as_clean(site, tmp_path)


def test_a_build_dated_before_the_kept_model_makes_it_anew(tmp_path, modelled):
    """A model holds for its own time onwards, to the moment its output changes."""
    site = copy_sample(tmp_path / "site")
    assert build_into(site, site / "output").ok
    story = site / STORY
    story.write_text(inserted(story.read_text(), "A late paragraph."))
    earlier = NOW - timedelta(days=40)
    assert build(BuildOptions(site, now=earlier)).ok
    assert modelled == ["made", "made"]
    clean = tmp_path / "clean"
    assert build(BuildOptions(site, now=earlier, output_dir=clean, use_cache=False)).ok
    assert (clean / "index.html").read_bytes() == (site / "output/index.html").read_bytes()


def _loaded(site: Path):
    options = BuildOptions(site, now=NOW)
    return load_site(options, BuildCache(site, enabled=False), scan_sources(site), around=[])


def test_a_kept_model_holds_the_builds_own_documents(tmp_path):
    """Documents are kept by reference and put back as this build's objects; a model
    holding a copy of one is not kept (the copy could hold another version)."""
    site = copy_sample(tmp_path / "site")
    loaded = _loaded(site)
    documents, story = loaded.documents, STORY.removeprefix("content/")
    cache = BuildCache(site)
    rest = (kept_site.Resolver([], [], {}, "/"), (), ())
    shape, selection = b"shape", BuildOptions(site, now=NOW).selection
    copies = [replace(d) if d.path == story else d for d in documents]
    kept_site._keep(cache, shape, selection, loaded.site, rest, copies)
    assert cache.kept(kept_site.NAME) is None
    kept_site._keep(cache, shape, selection, loaded.site, rest, documents)
    again = _loaded(site)  # the same files parsed again: other objects
    taken = kept_site._taken_over(cache.kept(kept_site.NAME), again.documents)
    assert taken is not None
    site_model = taken[0]
    assert site_model.by_path[story] is next(d for d in again.documents if d.path == story)
    assert site_model.by_path[story] is not loaded.site.by_path[story]
    assert [a.path for a in site_model.articles] == [a.path for a in loaded.site.articles]


def test_the_preview_keeps_the_model_in_memory_between_builds(tmp_path, modelled):
    """The preview's cache saves once, when it stops: the model is taken over from
    memory, and written to the cache's folder only then."""
    site = copy_sample(tmp_path / "site")
    cache = BuildCache(site)
    cache.deferred = True
    assert build(BuildOptions(site, now=NOW), cache).ok
    assert not (cache.folder / f"{kept_site.NAME}.pickle").exists()
    story = site / STORY
    for paragraph in ("A late paragraph.", "Another late paragraph."):
        story.write_text(inserted(story.read_text(), paragraph))
        assert build(BuildOptions(site, now=NOW), cache).ok
    assert modelled == ["made"]
    assert "Another late paragraph." in (site / "output" / PAGE).read_text()
    cache.flush()
    assert (cache.folder / f"{kept_site.NAME}.pickle").exists()
    assert same_as_clean(site, tmp_path)


def test_the_model_is_kept_by_the_build_itself(tmp_path, monkeypatch):
    """No child pickles the model beside the build: pickling holds a reference to
    every object, so a forked child copied all the memory it pickled. A first build
    with one job forks nothing at all, and still keeps the model and the plan."""

    def refused():
        raise AssertionError("forked")

    monkeypatch.setattr(os, "fork", refused)
    site = copy_sample(tmp_path / "site")
    assert build(BuildOptions(site, now=NOW, jobs=1)).ok
    assert (site / CACHE_DIR / f"{kept_site.NAME}.pickle").is_file()
    assert (site / CACHE_DIR / f"{kept_site.PLAN}.pickle").is_file()


@pytest.fixture
def listed(monkeypatch) -> list[str]:
    """One entry for each time a plan makes the sitemap's lines or the listings."""
    from focue_ssg.pages.kinds import listing, sitemap

    made: list[str] = []
    for module, name in ((sitemap, "_listed"), (listing, "_listings")):
        make = getattr(module, name)

        def counting(*args, make=make, name=name):
            made.append(name)
            return make(*args)

        monkeypatch.setattr(module, name, counting)
    return made


def test_a_body_edit_takes_the_plans_lists_over(tmp_path, listed):
    """The lists a plan makes of the site model alone (the sitemap's lines, every
    listing's stories) are kept with it, and taken over where the model holds."""
    site = copy_sample(tmp_path / "site")
    assert build_into(site, site / "output").ok
    assert sorted(listed) == ["_listed", "_listings"]
    assert (site / CACHE_DIR / f"{kept_site.PLAN}.pickle").is_file()
    story = site / STORY
    for paragraph in ("A late paragraph.", "Another late paragraph."):
        story.write_text(inserted(story.read_text(), paragraph))
        assert build_into(site, site / "output").ok
    assert len(listed) == 2  # taken over twice
    assert same_as_clean(site, tmp_path)  # a clean build, which makes them too
    del listed[:]
    story.write_text(story.read_text().replace('title: "', 'title: "Revised: ', 1))
    assert build_into(site, site / "output").ok
    assert len(listed) == 2  # a headline edit changes the model: made anew
    assert same_as_clean(site, tmp_path)


def test_kept_plan_values_hold_only_for_their_model_assets_and_time():
    kept = kept_site.KeptPlan(b"shape", b"assets", 100.0, 200.0, {"listings": {}})
    assert kept.holds(b"shape", b"assets", 100.0) and kept.holds(b"shape", b"assets", 199.0)
    assert not kept.holds(b"other", b"assets", 150.0)
    assert not kept.holds(b"shape", b"other", 150.0)
    assert not kept.holds(b"shape", b"assets", 99.0) and not kept.holds(b"shape", b"assets", 200.0)
