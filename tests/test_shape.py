"""The body-edit shortcut (output/shape.py): when only stories' bodies changed, only
the pages that may show those bodies are keyed again, and the output is still a clean
build's; every kind's `shows_body_of` is held to what its recipes read."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import NOW, contents, copy_sample, every_kind_files, write_files

from focue_ssg.model.article import Article
from focue_ssg.model.page import Page
from focue_ssg.output.cache import BuildCache
from focue_ssg.output.manifest import Manifest
from focue_ssg.output.shape import bodies_changed, origins, site_shape
from focue_ssg.pages.plan import Plan
from focue_ssg.pages.recipe import Node, Source, sources
from focue_ssg.pipeline import BuildOptions, build, load_site, plan_pages

STORY = "content/2023/10/will-xi-jinpings-gamble-on-vladimir-putin-pay-off.md"
PAGE = "2023/10/17/will-xi-jinpings-gamble-on-vladimir-putin-pay-off/index.html"


def build_into(site: Path, output: Path, **options):
    return build(BuildOptions(site, now=NOW, output_dir=output, **options))


@pytest.fixture
def keyed(monkeypatch) -> list[str]:
    """The output path of every page whose key a build makes."""
    made: list[str] = []
    key = Plan.key

    def counting(self, index, salt, keep=False):
        made.append(self.specs[index].output)
        return key(self, index, salt, keep)

    monkeypatch.setattr(Plan, "key", counting)
    return made


def same_as_clean(site: Path, tmp_path: Path) -> bool:
    clean = tmp_path / "clean"
    assert build_into(site, clean, use_cache=False).ok
    same = contents(site / "output") == contents(clean)
    shutil.rmtree(clean)
    return same


def inserted(text: str, paragraph: str) -> str:
    """The story with a paragraph after its body's first: its Read More lines move down."""
    front, body = text.split("\n---\n", 1)
    first, rest = body.lstrip("\n").split("\n\n", 1)
    assert "Read More: " in rest
    return f"{front}\n---\n\n{first}\n\n{paragraph}\n\n{rest}"


def shows_a_body(output: str) -> bool:
    """A page that may show a story's body: its own page, a feed, the search index."""
    return output == PAGE or output.endswith((".xml", "feed.json")) or output.startswith("search/")


def test_a_body_edit_keys_only_the_pages_that_may_show_it(tmp_path, keyed):
    site = copy_sample(tmp_path / "site")
    first = build_into(site, site / "output")
    assert first.ok
    keyed.clear()
    story = site / STORY
    story.write_text(inserted(story.read_text(), "A paragraph added after publication."))
    assert build_into(site, site / "output").ok
    assert PAGE in keyed and all(shows_a_body(output) for output in keyed)
    assert not any(output.startswith(("search/records/", "search/index")) for output in keyed)
    assert len(keyed) < first.counts["pages"] / 2
    assert "A paragraph added after publication." in (site / "output" / PAGE).read_text()
    assert same_as_clean(site, tmp_path)


@pytest.mark.parametrize(
    "edit",
    [
        ('title: "', 'title: "Revised: '),  # the headline: every list that shows it
        ("Read More: ", "Read More: Xi and Biden Agree to Restore Military Talks\n\nRead More: "),
    ],
    ids=["headline", "read-more-line"],
)
def test_an_edit_beyond_the_body_keys_every_page(tmp_path, keyed, edit):
    site = copy_sample(tmp_path / "site")
    first = build_into(site, site / "output")
    keyed.clear()
    story = site / STORY
    text = story.read_text()
    assert edit[0] in text
    story.write_text(text.replace(*edit, 1))
    assert build_into(site, site / "output").ok
    assert len(keyed) == first.counts["pages"]
    assert same_as_clean(site, tmp_path)


def test_a_body_edit_before_a_failed_build_still_reaches_its_page(tmp_path, keyed):
    """The changed bodies are found against the last build that wrote the output, not
    the last that parsed them: one that failed in between wrote nothing."""
    site = copy_sample(tmp_path / "site")
    assert build_into(site, site / "output").ok
    story = site / STORY
    other = site / "content/2023/11/northern-sea-route-draws-more-china-bound-cargo.md"
    story.write_text(inserted(story.read_text(), "A late paragraph."))
    kept = other.read_text()
    other.write_text("---\ntitle: [unclosed\n---\n")
    assert not build_into(site, site / "output").ok
    other.write_text(kept)
    keyed.clear()
    assert build_into(site, site / "output").ok
    assert PAGE in keyed and len(keyed) < 100
    assert "A late paragraph." in (site / "output" / PAGE).read_text()
    assert same_as_clean(site, tmp_path)


def _reads(node: Node) -> tuple[set[str], bool]:
    """The documents a page's recipe reads whole (their parse, as a Source or a plain
    Value), and whether it reads any other Source (what is made from bodies, as the
    search index); not past a Cutoff, whose value, not its inputs, is what the page gets."""
    found = list(sources(node))
    documents = {n.value.path for n in found if isinstance(n.value, Article | Page)}
    other = any(type(n) is Source and not isinstance(n.value, Article | Page) for n in found)
    return documents, other


@pytest.mark.parametrize("where", ["sample", "every kind"])
def test_every_kind_says_which_bodies_its_pages_show(tmp_path, where):
    """What makes the shortcut safe: no page reads a document's parse, or anything made
    from bodies, without its kind saying so."""
    site = tmp_path / "site"
    if where == "sample":
        copy_sample(site)
    else:
        write_files(site, every_kind_files())
    options = BuildOptions(site, now=NOW)
    cache = BuildCache(site, enabled=False)
    plan = plan_pages(options, load_site(options, cache), cache).plan
    kinds = set()
    for index, spec in enumerate(plan.specs):
        documents, other = _reads(plan.node(index))
        for path in documents:
            assert spec.kind.shows_body_of(spec, plan.parts, frozenset({path})), spec.output
        if other:
            assert spec.kind.shows_body_of(spec, plan.parts, frozenset({"any.md"})), spec.output
        if documents or other:
            kinds.add(spec.kind.name)
    assert kinds == {"article", "page", "feed", "search"}  # lists and the rest show cards


def test_bodies_changed_only_when_nothing_else_did(tmp_path):
    site = copy_sample(tmp_path / "site")
    options = BuildOptions(site, now=NOW)
    loaded = load_site(options, BuildCache(site, enabled=False))
    documents = (*loaded.articles, *loaded.pages)
    scan = ([], [], [])
    shape = site_shape(["config"], scan, documents)
    made = Manifest(inputs=b"x", valid_from=NOW.timestamp(), valid_until=NOW.timestamp() + 60)
    made.shape, made.origins = shape, origins(documents)
    now = NOW.timestamp()
    assert bodies_changed(made, shape, documents, now) == frozenset()
    edited = [*documents[1:], _with_digest(documents[0])]
    assert bodies_changed(made, shape, edited, now) == {documents[0].path}
    assert bodies_changed(made, site_shape(["config 2"], scan, documents), documents, now) is None
    assert bodies_changed(made, shape, documents, now + 60) is None  # the output aged
    assert bodies_changed(made, shape, documents, now - 1) is None
    assert bodies_changed(None, shape, documents, now) is None
    bare = [_with_digest(d, shape=b"") for d in documents]
    assert site_shape(["config"], scan, bare) == b""  # made some other way: no shortcut


def _with_digest(document, **changes):
    return replace(document, source_digest=bytes(16), **changes)
