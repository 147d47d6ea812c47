"""Incremental builds equal clean builds (issue 4): random edit sequences, jobs, cache damage."""

from __future__ import annotations

import os
import pickle
import random
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import NOW, NOW_ARG, REPO, article, contents, snapshot, write_files

from focue_ssg.core import memory
from focue_ssg.output import unchanged
from focue_ssg.output.cache import ARTICLES_FILE, CACHE_DIR, COMMITTING_FILE, STATE_FILE
from focue_ssg.pipeline import BuildOptions, build

TAGS = ["China", "Russia", "Trade", "Energy", "C++", "Yuan"]
SECTIONS = ["World", "Business", "Markets"]
AUTHORS = ["Wei Chen", "Anna Ivanova", "Sam Okafor"]


def story(rng: random.Random, n: int, titles: list[str]) -> str:
    body = [f"Paragraph one of story {n}."]
    if titles and rng.random() < 0.5:
        body.append(f"Read More: {rng.choice(titles)}")
    if rng.random() < 0.3:
        body.append("## A subheading")
    if n > 1 and rng.random() < 0.3:
        body.append(f"See [an earlier story](../s{(n - 1) % 3}/story-{n - 1}.md#top).")
    body.append(f"Closing paragraph {rng.random():.6f}.")
    fields = {
        "tags": rng.sample(TAGS, rng.randint(1, 3)),
        "section": rng.choice(SECTIONS),
        "slug": f"story-{n}",
        "authors": rng.sample(AUTHORS, rng.randint(0, 2)),
        "aliases": [f"/old/story-{n}/"] if rng.random() < 0.2 else [],
    }
    if rng.random() < 0.1:
        fields["draft"] = True
    day = rng.randint(1, 28)
    fresh = rng.random() < 0.3  # inside the news sitemap's two days before NOW
    return article(
        f"Story Number {n}",
        f"2025-12-31 {rng.randint(0, 22):02d}:15" if fresh else f"2023-10-{day:02d} 07:15",
        "\n\n".join(body),
        **fields,
    )


class Newsroom:
    """A site that random edits are applied to, one at a time."""

    def __init__(self, root: Path, seed: int):
        self.root = root
        self.rng = random.Random(seed)
        self.next = 0
        write_files(root, {"focue.toml": 'title = "Random Times"\npage_size = 3\n'})
        for _ in range(8):
            self.add()

    def files(self) -> list[Path]:
        return sorted((self.root / "content").rglob("*.md"))

    def titles(self) -> list[str]:
        return [f"Story Number {int(p.stem.split('-')[-1])}" for p in self.files()]

    def add(self) -> str:
        self.next += 1
        path = self.root / "content" / f"s{self.next % 3}" / f"story-{self.next}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(story(self.rng, self.next, self.titles()))
        return "add"

    def pick(self) -> Path:
        return self.rng.choice(self.files())

    def edit(self) -> str:
        kind = self.rng.choice(
            [
                "add",
                "delete",
                "rename",
                "body",
                "headline",
                "tags",
                "date",
                "draft",
                "theme",
                "config",
                "summary",
                "author info",
                "alias",
            ]
        )
        path = self.pick()
        text = path.read_text()
        if kind == "add":
            return self.add()
        if kind == "delete" and len(self.files()) > 3:
            path.unlink()
        elif kind == "rename":
            target = self.root / "content" / "moved" / path.name
            target.parent.mkdir(exist_ok=True)
            path.rename(target)
        elif kind == "body":
            path.write_text(text + f"\nAn update {self.rng.random():.6f}.\n")
        elif kind == "headline":
            path.write_text(text.replace("title: 'Story Number", "title: 'Story Numero", 1))
        elif kind == "tags":
            path.write_text(text.replace("tags: [", f'tags: ["{self.rng.choice(TAGS)}", ', 1))
        elif kind == "date":
            moved = text.replace("date: 2023-10-", "date: 2023-09-", 1)
            path.write_text(moved.replace("date: 2025-12-31", "date: 2025-12-20", 1))
        elif kind == "draft":
            flipped = (
                text.replace("draft: true", "draft: false")
                if "draft: true" in text
                else text.replace("---\n\n", "draft: true\n---\n\n", 1)
            )
            path.write_text(flipped)
        elif kind == "theme":
            footer = self.root / "themes/focue/templates/404.html"
            footer.parent.mkdir(parents=True, exist_ok=True)
            if footer.exists() and self.rng.random() < 0.5:
                footer.unlink()
            else:
                footer.write_text(
                    '{% extends "default/404.html" %}{% block main %}<p>Lost '
                    + str(self.rng.random())
                    + "</p>{% endblock %}"
                )
        elif kind == "summary":
            path.write_text(text.replace("Paragraph one of", "The first paragraph of", 1))
        elif kind == "author info":
            name = self.rng.choice(AUTHORS)
            (self.root / "data").mkdir(exist_ok=True)
            shown = f'name = "{name} Jr."\n' if self.rng.random() < 0.5 else ""
            (self.root / "data/authors.toml").write_text(
                f'["{name}"]\n{shown}bio = "Covers everything {self.rng.random():.6f}."\n'
            )
        elif kind == "alias":
            path.write_text(text.replace("aliases: []", f"aliases: [/moved/{path.stem}/]", 1))
        elif kind == "config":
            size = self.rng.randint(2, 5)
            (self.root / "focue.toml").write_text(
                f'title = "Random Times {size}"\npage_size = {size}\n'
            )
        return kind


def build_into(site: Path, output: Path, **options):
    result = build(BuildOptions(site, now=NOW, output_dir=output, **options))
    assert result.ok, [d.format() for d in result.diagnostics]
    return result


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_edit_sequences_match_clean_builds(tmp_path, seed):
    site = Newsroom(tmp_path / "site", seed)
    incremental = tmp_path / "site" / "output"
    for step in range(12):
        kind = site.edit()
        build_into(site.root, incremental)
        clean = tmp_path / f"clean-{step}"
        build_into(site.root, clean, use_cache=False)
        built = contents(incremental)
        assert len(built) > 40, f"step {step}: {kind}"
        assert built == contents(clean), f"step {step}: {kind}"
        shutil.rmtree(clean)


def _corpus(root: Path, articles: int) -> Path:
    subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks/make_corpus.py"),
            str(root),
            "--articles",
            str(articles),
            "--source",
            str(REPO / "benchmarks/seed-article.txt"),
        ],
        check=True,
        capture_output=True,
    )
    return root


def test_any_number_of_jobs_gives_the_same_output(tmp_path):
    root = _corpus(tmp_path / "corpus", 150)
    outputs = []
    for jobs in (1, 2, 3):
        out = tmp_path / f"out-{jobs}"
        build_into(root, out, jobs=jobs, use_cache=False)
        outputs.append(contents(out))
    assert len(outputs[0]) > 400
    assert outputs[0] == outputs[1] == outputs[2]
    build_into(root, tmp_path / "cached", jobs=2)
    build_into(root, tmp_path / "cached", jobs=2)
    assert contents(tmp_path / "cached") == outputs[0]
    # the first build's keys were made by its workers; the main process agrees with them
    story = sorted((root / "content").rglob("*.md"))[-1]
    story.write_text(story.read_text() + "\nA late paragraph.\n")
    edited = build_into(root, tmp_path / "cached", jobs=2)
    assert 0 < edited.pages_made < edited.counts["pages"] / 20


def test_the_build_process_renders_pages_beside_one_worker_fewer(tmp_path, monkeypatch):
    """Each process that renders copies the inherited site model it reads: with two
    jobs, pages are rendered by the build's own process and one worker, not by two
    workers beside an idle build process."""
    from focue_ssg.output import workers

    root = _corpus(tmp_path / "corpus", 150)
    pools, renderers = [], tmp_path / "renderers"
    renderers.mkdir()
    real_pool, real_page = workers.process_pool, workers._one_page

    def page(*args):
        (renderers / str(os.getpid())).touch()  # forked workers cannot append to a list here
        return real_page(*args)

    monkeypatch.setattr(
        workers,
        "process_pool",
        lambda jobs, fork, work: pools.append(jobs) or real_pool(jobs, fork, work),
    )
    monkeypatch.setattr(workers, "_one_page", page)
    build_into(root, tmp_path / "out", jobs=2, use_cache=False)
    assert pools == [2, 1]  # parsing in two workers; pages in one, and here
    pids = {int(p.name) for p in renderers.iterdir()}
    assert os.getpid() in pids
    assert len(pids) == 2
    build_into(root, tmp_path / "one", jobs=1, use_cache=False)
    assert contents(tmp_path / "out") == contents(tmp_path / "one")


def test_values_stories_repeat_are_one_object_in_the_cache(tmp_path):
    """Sections, tags, authors and the names of front-matter fields recur across
    stories. Parsed in chunks by separate workers, each chunk's arrive as objects of
    their own; the build makes each value one object, and so does every build that
    loads the cache (a fifth of the stories' memory at 100,000)."""
    from focue_ssg.model.article import Article

    root = _corpus(tmp_path / "corpus", 300)
    build_into(root, tmp_path / "out", jobs=2)
    with (root / CACHE_DIR / ARTICLES_FILE).open("rb") as handle:
        pickle.load(handle)  # the header
        stories = [doc for doc, _ in pickle.load(handle).values() if isinstance(doc, Article)]
    assert len(stories) > 250
    one: dict = {}
    for story in stories:
        values = (story.section, story.genre, *story.tags, *story.authors, story.tags)
        names = [name for name in story.lines if isinstance(name, str)]
        for value in (*values, *names, story.lines, story.authors):
            assert one.setdefault(value, value) is value
    assert len({story.section for story in stories}) > 5


@pytest.fixture
def small_site(site):
    site.write(
        {
            "content/a.md": article(
                "Alpha Story", "2023-10-17 07:45", tags=["China"], slug="alpha"
            ),
            "content/b.md": article(
                "Beta Story", "2023-10-16 07:45", tags=["China"], body="x\n\nRead More: Alpha Story"
            ),
            "content/c.md": article("Gamma Story", "2023-10-15 07:45", tags=["Trade"]),
        }
    )
    return site


def test_a_rebuild_with_nothing_changed_writes_nothing(small_site):
    small_site.build()
    before = snapshot(small_site.output)
    result = small_site.build()
    assert result.report.written == 0 and result.report.removed == 0
    assert snapshot(small_site.output) == before


def test_an_unchanged_site_is_recognised_without_rebuilding(small_site):
    small_site.build()
    old = 1_600_000_000_000_000_000  # files older than the last hashing are trusted by mtime
    for path in (small_site.root / "content").rglob("*.md"):
        os.utime(path, ns=(old, old))
    small_site.build()  # hashes the files again, now that their mtimes are old
    result = small_site.build()
    assert result.up_to_date
    assert result.report.written == 0


@pytest.mark.parametrize("forks", [True, False])  # the sizes checked by a child, or here
def test_an_output_file_changed_since_the_last_build_is_made_again(small_site, forks, monkeypatch):
    monkeypatch.setattr(memory, "may_fork", lambda: forks)
    small_site.build()
    old = 1_600_000_000_000_000_000
    for path in (small_site.root / "content").rglob("*.md"):
        os.utime(path, ns=(old, old))
    small_site.build()
    pages = [small_site.output / "index.html", *sorted(small_site.output.rglob("*.css"))[:1]]
    whole = [page.read_bytes() for page in pages]
    for page, data in zip(pages, whole, strict=True):
        page.write_bytes(data[:100])  # the no-change check reads the stored sizes
    result = small_site.build()
    assert not result.up_to_date
    assert [page.read_bytes() for page in pages] == whole


@pytest.mark.parametrize("forks", [True, False])
def test_a_build_after_an_edit_takes_the_sizes_checked_meanwhile(small_site, forks, monkeypatch):
    """An edit's build does not stat the output again: it asks the size check which
    files changed, and a page truncated since the last build is still made again."""
    from focue_ssg.output import incremental

    monkeypatch.setattr(memory, "may_fork", lambda: forks)
    small_site.build()
    old = 1_600_000_000_000_000_000
    for path in (small_site.root / "content").rglob("*.md"):
        os.utime(path, ns=(old, old))
    small_site.build()  # hashed again with old mtimes: the manifest has an inputs signature
    truncated = small_site.output / "tags/trade/index.html"  # shows no story edited below
    whole = truncated.read_bytes()
    truncated.write_bytes(whole[:50])

    def stat_again(*args):
        raise AssertionError("the output's sizes were stat'ed a second time")

    monkeypatch.setattr(incremental, "same_size", stat_again)
    edited = small_site.root / "content/a.md"
    edited.write_text(edited.read_text().replace("Body text", "Edited text"))
    result = small_site.build()
    assert result.ok and not result.up_to_date
    assert truncated.read_bytes() == whole
    assert "Edited text" in small_site.page("2023/10/17/alpha/index.html")


def test_the_size_check_answers_only_for_the_manifest_it_checked(tmp_path):
    (tmp_path / "a.html").write_text("12345")
    (tmp_path / "b.html").write_text("123")

    class Sized:
        inputs = b"x"

        def sizes(self):
            return [("a.html", 5), ("b.html", 4), ("gone.html", 1)]

    checked = Sized()
    check = unchanged.SizeCheck(tmp_path, checked)
    try:
        assert check.moved(Sized()) is None and check.moved(None) is None
        assert check.moved(checked) == {"b.html", "gone.html"}
        assert not check.same() and check.child == 0
    finally:
        check.cancel()


def test_the_child_that_checks_output_sizes_is_always_reaped(tmp_path):
    (tmp_path / "a.html").write_text("12345")

    class Sized:  # what SizeCheck reads of a manifest
        inputs = b"x"

        def __init__(self, size):
            self.size = size

        def sizes(self):
            return [("a.html", self.size)]

    def gone(pid):
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        return True

    for size, same in ((5, True), (4, False)):
        check = unchanged.SizeCheck(tmp_path, Sized(size))
        child = check.child
        assert child > 0 and check.same() is same and gone(child)
    check = unchanged.SizeCheck(tmp_path, Sized(5))
    child = check.child
    check.cancel()  # the inputs changed: its answer is not wanted
    assert gone(child) and check.child == 0
    assert unchanged.SizeCheck(tmp_path, None).child == 0  # no manifest: nothing to check


def test_bodies_are_kept_in_the_cache_folder_not_in_the_parsed_stories(small_site, tmp_path):
    from focue_ssg.model.article import StoredBody

    small_site.build()
    with (small_site.root / CACHE_DIR / ARTICLES_FILE).open("rb") as handle:
        pickle.load(handle)  # the header
        parsed = pickle.load(handle)
    bodies = [doc.body for doc, _ in parsed.values() if doc is not None]
    assert bodies and all(isinstance(b, StoredBody) for b in bodies)
    folder = (small_site.root / CACHE_DIR / "bodies").resolve()
    assert all(os.path.isabs(b.file) and Path(b.file).is_relative_to(folder) for b in bodies)
    clean = tmp_path / "clean"
    build_into(small_site.root, clean, use_cache=False)
    assert contents(small_site.output) == contents(clean)


def test_parsed_documents_pickle_whole_by_their_own_state_functions(small_site):
    """The cache's stories come back field for field, through state functions that
    are the classes' own (not the dataclass's loop in Python)."""
    import dataclasses

    from focue_ssg.model.article import Article, set_slots_state
    from focue_ssg.model.page import Page

    small_site.build()
    with (small_site.root / CACHE_DIR / ARTICLES_FILE).open("rb") as handle:
        pickle.load(handle)  # the header
        parsed = [doc for doc, _ in pickle.load(handle).values() if doc is not None]
    page = Page(
        "about.md", "About", "about", "", "", b"<p>Us</p>", menus=("main",), lines=("title", 2)
    )
    assert {type(doc) for doc in parsed} == {Article}
    for doc in [*parsed, page]:
        again = pickle.loads(pickle.dumps(doc))
        assert again == doc and again is not doc
        names = [f.name for f in dataclasses.fields(doc)]
        assert [getattr(again, n) for n in names] == [getattr(doc, n) for n in names]
    assert Article.__setstate__ is Page.__setstate__ is set_slots_state


def test_a_story_whose_stored_body_went_is_parsed_again(small_site, tmp_path):
    small_site.build()
    for stored in (small_site.root / CACHE_DIR / "bodies").rglob("*"):
        if stored.is_file():
            stored.unlink()
    story = next((small_site.root / "content").rglob("*.md"))
    story.write_text(story.read_text() + "\nA new closing line.\n")
    assert small_site.build().ok
    clean = tmp_path / "clean"
    build_into(small_site.root, clean, use_cache=False)
    assert contents(small_site.output) == contents(clean)


def _stored_bodies(root: Path) -> dict[str, str]:
    """Each cached story's body file, by the story's path."""
    with (root / CACHE_DIR / ARTICLES_FILE).open("rb") as handle:
        pickle.load(handle)  # the header
        return {key[0]: doc.body.file for key, (doc, _) in pickle.load(handle).items() if doc}


def test_only_the_stories_whose_stored_body_went_are_parsed_again(
    small_site, tmp_path, monkeypatch
):
    import focue_ssg.pipeline as build_module

    small_site.build()
    content = small_site.root / "content"
    first, second = sorted(_stored_bodies(small_site.root))[:2]
    (content / first).write_text((content / first).read_text() + "\nA new closing line.\n")
    small_site.build()  # the edited story's body goes to a file of its own
    files = _stored_bodies(small_site.root)
    lost = files[second]
    assert files[first] != lost
    Path(lost).unlink()
    (content / second).write_text((content / second).read_text() + "\nAnother line.\n")
    parsed = []
    real_parse = build_module.parse_files
    monkeypatch.setattr(
        build_module,
        "parse_files",
        lambda tasks, *a: parsed.extend(t.path for t in tasks) or real_parse(tasks, *a),
    )
    assert small_site.build().ok
    assert sorted(parsed) == sorted(path for path, file in files.items() if file == lost)
    assert first not in parsed and len(parsed) > 1
    clean = tmp_path / "clean"
    build_into(small_site.root, clean, use_cache=False)
    assert contents(small_site.output) == contents(clean)


def test_bodies_are_kept_many_to_a_file_each_read_back_whole(tmp_path, monkeypatch):
    from dataclasses import dataclass

    from focue_ssg.model.article import SearchTerms, StoredBody, StoredTerms
    from focue_ssg.output import bodies

    @dataclass(frozen=True)
    class Story:
        path: str
        body: bytes | StoredBody
        search_terms: SearchTerms | StoredTerms | None = None

    monkeypatch.setattr(bodies, "PACK", 3)
    terms = SearchTerms("stem stems", b"\x01\x02", "Forms forms")
    made = [Story(f"{n}.md", f"<p>Story {n}</p>".encode() * n, terms) for n in range(7)]
    made.append(Story("page.md", b"<p>No terms</p>"))
    folder = str(tmp_path / "bodies")
    kept = bodies.stored(folder, [*made, None])
    assert kept[-1] is None
    assert len(bodies.listed(folder)) == 3  # eight stories, three to a file
    for story, again in zip(made, kept, strict=False):
        assert isinstance(again.body, StoredBody) and again.body.read() == story.body
        if story.path != "page.md":
            assert again.search_terms.load() == terms
    assert again.search_terms is None
    assert bodies.stored(folder, made) == kept[:-1]  # the same stories: the same files
    assert bodies.gone(kept[:-1], bodies.listed(folder)) == set()
    Path(kept[0].body.file).unlink()
    assert bodies.gone(kept[:-1], bodies.listed(folder)) == {"0.md", "1.md", "2.md"}


def test_bodies_no_story_refers_to_are_removed(small_site):
    small_site.build()
    folder = small_site.root / CACHE_DIR / "bodies"
    before = {p for p in folder.rglob("*") if p.is_file()}
    for story in (small_site.root / "content").rglob("*.md"):
        story.write_text(story.read_text() + "\nEdited.\n")  # every body: the store is rewritten
    small_site.build()
    after = {p for p in folder.rglob("*") if p.is_file()}
    assert after and not before & after


def test_a_stored_manifest_makes_records_only_when_they_are_read():
    import pickle

    from focue_ssg.output.manifest import Manifest, OutputRecord

    records = {f"{n}/index.html": OutputRecord(bytes([n]), bytes([n, n]), n * 10) for n in range(5)}
    stored = pickle.loads(pickle.dumps(Manifest(records, b"inputs", 1.0, 2.0)))
    assert "records" not in vars(stored)
    assert stored.files == 5
    assert list(stored.sizes()) == [(rel, r.size) for rel, r in records.items()]
    assert "records" not in vars(stored)
    assert stored.records == records and stored.inputs == b"inputs"
    again = pickle.loads(pickle.dumps(stored))
    assert again == Manifest(records, b"inputs", 1.0, 2.0)
    damaged = pickle.loads(pickle.dumps(again))
    damaged.__dict__["_packed"] = b"\x80\x05not a pickle"
    assert list(damaged.sizes()) == [] and damaged.records == {}  # every page made again


def test_the_build_state_unpickles_each_part_when_first_read():
    """A build with nothing to do reads the manifest, not the 100,000 sources' stats."""
    from focue_ssg.output.state import State

    state = State(sources={"a.md": (1, 2, b"d", 3)}, memo={b"k": b"v"})
    stored = pickle.loads(pickle.dumps(state))
    assert not {"sources", "memo", "manifests"} & set(vars(stored))
    assert stored.manifests == {} and "sources" not in vars(stored)
    assert stored.sources == {"a.md": (1, 2, b"d", 3)} and "memo" not in vars(stored)
    stored.related = (b"r", {})
    again = pickle.loads(pickle.dumps(stored))  # read and unread parts alike are kept
    assert again == State(sources=state.sources, memo=state.memo, related=(b"r", {}))
    damaged = pickle.loads(pickle.dumps(again))
    damaged.__dict__["_packed"]["memo"] = b"damaged"
    assert damaged.memo == {} and damaged.related == (b"r", {})  # no memo: cards made again


def test_an_authors_file_outside_data_is_an_input_of_the_build(small_site):
    small_site.write(
        {
            "focue.toml": 'authors_file = "people/authors.toml"\n',
            "content/a.md": article("Alpha Story", "2023-10-17 07:45", authors=["Helen Tao"]),
            "people/authors.toml": '["Helen Tao"]\nbio = "Covers trade."\n',
        }
    )
    old = 1_600_000_000_000_000_000  # trusted by mtime, so the no-change shortcut can apply
    for path in (small_site.root / "content").rglob("*.md"):
        os.utime(path, ns=(old, old))
    small_site.build()
    assert small_site.build().up_to_date
    (small_site.root / "people/authors.toml").write_text('["Helen Tao"]\nbio = "Covers energy."\n')
    assert not small_site.build().up_to_date
    assert "Covers energy." in small_site.page("authors/helen-tao/index.html")


def test_going_back_in_time_is_not_mistaken_for_no_change(small_site):
    small_site.write({"content/later.md": article("Later Story", "2024-06-01 12:00")})
    old = 1_600_000_000_000_000_000
    for path in (small_site.root / "content").rglob("*.md"):
        os.utime(path, ns=(old, old))
    later = NOW.replace(year=2024, month=7)
    small_site.build(now=later)
    assert small_site.build(now=later).up_to_date  # the shortcut is in play
    result = small_site.build(now=NOW.replace(year=2024, month=1))
    assert not result.up_to_date
    assert "Later Story" not in small_site.page("index.html")


def test_a_headline_edit_rewrites_exactly_the_pages_that_show_it(small_site):
    small_site.build()
    shows = {rel for rel, data in contents(small_site.output).items() if b"Alpha Story" in data}
    before = snapshot(small_site.output)
    path = small_site.root / "content/a.md"
    path.write_text(path.read_text().replace("Alpha Story", "Alpha Story Revised"))
    small_site.build()
    after = snapshot(small_site.output)
    rewritten = {rel for rel in after if before.get(rel) != after[rel]}
    assert rewritten - shows == index_parts(rewritten)  # and the parts of its new words
    # (a part, meta.json when a part begins anew, and the typo list's part of a new word
    # and of the one after it, whose start may shift)
    assert 1 <= len(index_parts(rewritten)) <= 5
    assert shows <= rewritten
    assert len(shows) >= 5  # its page, the front page, its tag page, the story linking to it,
    # and the search records that show it


def test_a_body_edit_rewrites_only_what_changed(small_site):
    small_site.build()
    before = snapshot(small_site.output)
    path = small_site.root / "content/c.md"
    path.write_text(path.read_text() + "\nA late update.\n")
    small_site.build()
    after = snapshot(small_site.output)
    feeds = {"atom.xml", "feed.xml", "tags/trade/atom.xml", "tags/trade/feed.xml"}  # full content
    changed = {rel for rel in after if before.get(rel) != after[rel]}
    parts = index_parts(changed)  # the search index's parts holding "late" and "update"
    assert changed == {"2023/10/15/gamma-story/index.html", *feeds, *parts}
    assert 1 <= len(parts) <= 4  # two parts; "update" is new to the typo list's too


@pytest.mark.parametrize("damage", ["truncate", "garbage", "other-version", "empty"])
def test_a_damaged_cache_is_dropped_with_a_note(small_site, focue, damage):
    assert focue("build", str(small_site.root), "--now", NOW_ARG).code == 0
    for name in (ARTICLES_FILE, STATE_FILE):
        path = small_site.root / CACHE_DIR / name
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "garbage":
            path.write_bytes(b"\x00\xffnot a pickle" * 10)
        elif damage == "other-version":
            path.write_bytes(pickle.dumps({"format": -1}) + pickle.dumps({}))
        else:
            path.write_bytes(b"")
    (small_site.root / "content/c.md").write_text(
        article("Gamma Story Changed", "2023-10-15 07:45")
    )
    result = focue("build", str(small_site.root), "--now", NOW_ARG)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    if damage != "empty":
        assert ".focue-cache: note: the cache of parsed articles" in result.err
        assert result.err.count("note:") == 2
    clean = build_into(small_site.root, small_site.root.parent / "clean", use_cache=False)
    assert clean.ok
    assert contents(small_site.output) == contents(small_site.root.parent / "clean")


def test_an_interrupted_commit_makes_the_next_build_check_every_page(small_site):
    small_site.build()
    (small_site.output / "tags/index.html").write_text("half-committed junk")
    (small_site.root / CACHE_DIR / COMMITTING_FILE).touch()
    result = small_site.build()
    assert any("interrupted" in d.message for d in result.diagnostics)
    assert "half-committed" not in small_site.page("tags/index.html")
    assert not (small_site.root / CACHE_DIR / COMMITTING_FILE).exists()


def test_two_builds_at_once_do_not_corrupt_anything(small_site):
    command = [sys.executable, "-m", "focue_ssg", "build", str(small_site.root), "--now", NOW_ARG]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)
    ]
    results = [(run.wait(60), run.stderr.read()) for run in runs]
    assert len(results) == 3
    assert all(code == 0 for code, _ in results), results
    assert all(b"note" not in err for _, err in results)
    clean = small_site.root.parent / "clean"
    build_into(small_site.root, clean, use_cache=False)
    assert contents(small_site.output) == contents(clean)
    again = subprocess.run(command, capture_output=True, text=True)
    assert again.returncode == 0 and "note" not in again.stderr


def test_verify_passes_and_catches_a_tampered_output(small_site, focue):
    result = focue("build", str(small_site.root), "--now", NOW_ARG, "--verify")
    assert result.code == 0
    assert "Verified: the output is byte-identical to a clean build" in result.out
    (small_site.output / "404.html").write_text("tampered")
    (small_site.output / "extra.html").write_text("stray")
    result = focue("build", str(small_site.root), "--now", NOW_ARG, "--no-cache", "--verify")
    assert result.code == 0  # --no-cache rewrites what differs and removes strays
    assert "Verified" in result.out


def test_no_cache_neither_reads_nor_writes_the_cache(small_site):
    small_site.build(use_cache=False)
    assert not (small_site.root / CACHE_DIR).exists()


def test_scheduled_articles_come_due_without_any_edit(small_site):
    small_site.write({"content/later.md": article("Later Story", "2024-06-01 12:00")})
    small_site.build(now=NOW.replace(year=2024, month=1))
    assert "Later Story" not in small_site.page("index.html")
    result = small_site.build(now=NOW.replace(year=2024, month=7))
    assert not result.up_to_date
    assert "Later Story" in small_site.page("index.html")


def test_the_cache_stays_in_its_folder_and_is_ignored_by_git(small_site):
    small_site.build()
    assert (small_site.root / CACHE_DIR / ".gitignore").read_text().strip().endswith("*")
    assert replace(BuildOptions(small_site.root, now=NOW)).output == small_site.output


# -- page keys: which pages need their context made at all ---------------------------


def _plan(site_dir: Path, memo: dict | None = None):
    """The plan of a site as a build makes it, and the salt its keys take."""
    from focue_ssg.output.cache import BuildCache
    from focue_ssg.pages.plan import plan_site
    from focue_ssg.pages.recipe import Memo
    from focue_ssg.pipeline import load_site
    from focue_ssg.render.theme import template_salt

    cache = BuildCache(site_dir, enabled=False)
    loaded = load_site(BuildOptions(site_dir, now=NOW), cache)
    return plan_site(loaded.site, {}, Memo(memo)), template_salt(loaded.theme, cache.code)


def _keys(site_dir: Path) -> dict[str, bytes]:
    plan, salt = _plan(site_dir)
    return {spec.output: plan.key(i, salt) for i, spec in enumerate(plan.specs)}


def _changed_keys(small_site, edit) -> set[str]:
    before = _keys(small_site.root)
    edit()
    after = _keys(small_site.root)
    # the same pages, but for a part of the search index whose first word went
    assert set(before) - index_parts(set(before)) == set(after) - index_parts(set(after))
    return {out for out in after if after[out] is None or before.get(out) != after[out]}


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def test_keys_are_stable_and_every_page_has_one(small_site):
    first, again = _keys(small_site.root), _keys(small_site.root)
    assert len(first) > 15
    assert first == again
    assert None not in first.values()
    assert len(set(first.values())) == len(first)


def test_a_body_edit_changes_the_keys_of_its_page_and_feeds_only(small_site):
    changed = _changed_keys(
        small_site, lambda: _append(small_site.root / "content/c.md", "\nMore.")
    )
    feeds = {"atom.xml", "feed.xml", "tags/trade/atom.xml", "tags/trade/feed.xml"}
    parts = index_parts(changed)
    assert changed == {"2023/10/15/gamma-story/index.html", *feeds, *parts}
    assert 1 <= len(parts) <= 2


def test_a_headline_edit_changes_the_keys_of_every_page_showing_it(small_site):
    small_site.build()
    shows = {rel for rel, data in contents(small_site.output).items() if b"Alpha Story" in data}
    path = small_site.root / "content/a.md"
    changed = _changed_keys(
        small_site, lambda: path.write_text(path.read_text().replace("Alpha", "Alef"))
    )
    assert len(shows) >= 4  # its page, the front page, its tag page, the story linking to it
    assert shows <= changed
    assert "2023/10/16/beta-story/index.html" in changed  # its Read More line names it


def index_parts(paths: set[str]) -> set[str]:
    """The search index's files among these (the meta file too, when parts begin anew;
    the list of long words for typos, when a word is new)."""
    return {
        rel
        for rel in paths
        if rel.startswith(("search/parts/", "search/tails/")) or rel == "search/meta.json"
    }


CARDS_MADE: list[str] = []


def counting_card(urls, article, *rest):
    """make_card, counting which articles' cards were made."""
    from focue_ssg.pages import parts

    CARDS_MADE.append(article.path)
    return parts.make_card.__wrapped__(urls, article, *rest)


def test_card_digests_are_remembered_and_remade_only_for_changed_articles(small_site, monkeypatch):
    """A card is a cutoff: its digest is of what it shows, kept in the memo under the
    digest of its recipe, so an unchanged article's card is not made to know it."""
    from focue_ssg.pages import parts

    counting_card.__wrapped__ = parts.make_card
    monkeypatch.setattr(parts, "make_card", counting_card)

    def keys_with(memo):
        plan, salt = _plan(small_site.root, memo)
        plan.parts.prime()
        return [plan.key(i, salt) for i in range(len(plan.specs))], plan.parts.memo.kept

    _, memo = keys_with(None)
    path = small_site.root / "content/a.md"
    path.write_text(path.read_text().replace("Alpha Story", "Alef Story"))
    CARDS_MADE.clear()
    remembered, kept = keys_with(memo)
    assert CARDS_MADE == ["a.md"]  # the one article whose card may have changed
    assert len(kept) == 3  # every card's entry, and no stale one
    CARDS_MADE.clear()
    fresh, _ = keys_with(None)
    assert remembered == fresh and sorted(CARDS_MADE) == ["a.md", "b.md", "c.md"]


def test_a_body_edit_makes_few_contexts(small_site):
    first = small_site.build()
    assert first.pages_made == first.counts["pages"]
    before = snapshot(small_site.output)
    _append(small_site.root / "content/c.md", "\nA late update.\n")
    again = small_site.build()
    after = snapshot(small_site.output)
    parts = index_parts({rel for rel in after if before.get(rel) != after[rel]})
    # its page, the site's and its tag's feeds, and the search parts of its new words
    assert again.pages_made == 5 + len(parts) and parts
    theme = small_site.root / "themes/focue/templates/404.html"
    theme.parent.mkdir(parents=True)
    theme.write_text('{% extends "default/404.html" %}')
    assert small_site.build().pages_made == first.counts["pages"]  # templates: every page


def test_an_edit_made_during_a_build_is_seen_by_the_next(small_site, monkeypatch):
    import focue_ssg.pipeline as build_module

    small_site.build()
    template = small_site.root / "themes/focue/templates/404.html"
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "default/404.html" %}')
    real_plan = build_module.plan_site

    def plan_then_edit(*args, **kwargs):
        plan = real_plan(*args, **kwargs)
        template.write_text('{% extends "default/404.html" %}{% block main %}Moved{% endblock %}')
        os.utime(template, ns=(1, 10**18))  # a stat no earlier build has seen
        return plan

    monkeypatch.setattr(build_module, "plan_site", plan_then_edit)
    small_site.build()
    monkeypatch.setattr(build_module, "plan_site", real_plan)
    result = small_site.build()
    assert not result.up_to_date
    assert b"Moved" in (small_site.output / "404.html").read_bytes()


def test_a_changed_library_file_invalidates_the_cache(tmp_path, monkeypatch):
    """An upgraded library rewrites its files; the code signature sees their stats."""
    from focue_ssg.output import running

    library = tmp_path / "lib" / "fakelib"
    library.mkdir(parents=True)
    (library / "__init__.py").write_text("VERSION = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    monkeypatch.setattr(running, "LIBRARIES", ("fakelib",))
    before = running.signature()
    assert running.signature() == before
    (library / "__init__.py").write_text("VERSION = 22\n")
    assert running.signature() != before


def test_parses_stay_cached_across_a_new_version_of_the_code(site, monkeypatch):
    """A new version re-parses everything once; the cache it writes must serve the
    next build, whatever files of parses the older version left behind."""
    import focue_ssg.pipeline as build_module
    from focue_ssg.output import running

    site.write(
        {f"content/{n:02d}.md": article(f"Story {n}", "2023-10-17 07:45") for n in range(40)}
    )
    parsed = []
    real_parse = build_module.parse_files
    monkeypatch.setattr(
        build_module,
        "parse_files",
        lambda tasks, *a: parsed.append(len(tasks)) or real_parse(tasks, *a),
    )

    def edit(n: int) -> None:
        story = site.root / f"content/{n:02d}.md"
        story.write_text(story.read_text() + f"\nEdit {len(parsed)}.\n")

    site.build()
    edit(1)
    site.build()  # a file of later parses, beside the main one
    assert (site.root / CACHE_DIR / "articles-new.pickle").is_file()
    monkeypatch.setattr(running, "signature", lambda: "a newer version")
    site.build()
    edit(2)
    site.build()
    assert parsed == [40, 1, 40, 1]


def test_an_edited_template_is_used_by_the_next_build_in_the_same_process(small_site):
    """The preview builds again and again in one process; a template it compiled for
    one build must not be used by the next after the file changed."""
    template = small_site.root / "themes/focue/templates/404.html"
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "default/404.html" %}{% block main %}First{% endblock %}')
    small_site.build()
    assert b"First" in (small_site.output / "404.html").read_bytes()
    template.write_text('{% extends "default/404.html" %}{% block main %}Second{% endblock %}')
    small_site.build()
    assert b"Second" in (small_site.output / "404.html").read_bytes()


def test_compiled_templates_are_kept_checked_and_survive_damage(small_site, focue):
    stale = small_site.root / CACHE_DIR / "templates-0123456789abcdef"  # an older code's
    stale.mkdir(parents=True)
    assert focue("build", str(small_site.root), "--now", NOW_ARG).code == 0
    assert not stale.exists()
    compiled = [p for p in (small_site.root / CACHE_DIR).glob("templates-*/*") if p.is_file()]
    assert compiled  # the theme was compiled once and kept
    for path in compiled:
        path.write_bytes(path.read_bytes()[:40])  # truncated mid-entry
    template = small_site.root / "themes/focue/templates/404.html"
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "default/404.html" %}{% block main %}Gone{% endblock %}')
    result = focue("build", str(small_site.root), "--now", NOW_ARG)
    assert result.code == 0 and "Traceback" not in result.err
    assert b"Gone" in (small_site.output / "404.html").read_bytes()
    clean = small_site.root.parent / "clean"
    build_into(small_site.root, clean, use_cache=False)
    assert contents(small_site.output) == contents(clean)


def test_a_sitemap_in_parts_remakes_only_the_parts_whose_pages_changed(small_site, monkeypatch):
    """Each part's key digests its own share of the pages (once each), so a site of
    many sitemap files neither digests every entry per file nor rewrites every file;
    the index's key, the newest time of each part."""
    from focue_ssg.pages.kinds import sitemap as sitemaps

    monkeypatch.setattr(sitemaps, "MAX_URLS", 4)
    small_site.build()
    parts = {rel for rel in contents(small_site.output) if rel.startswith("sitemap-")}
    assert len(parts) >= 3
    path = small_site.root / "content/c.md"  # the oldest story: newest in no list but its tag's
    changed = _changed_keys(
        small_site,
        lambda: path.write_text(path.read_text().replace("2023-10-15 07:45", "2023-10-15 09:45")),
    )
    assert {rel for rel in changed if rel in parts} < parts
    index = (small_site.output / "sitemap.xml").read_bytes()
    result = small_site.build()
    assert {rel for rel in result.report.written_paths if rel in parts} < parts
    # the index shows each part's newest time, which this edit left as it was
    assert "sitemap.xml" not in changed
    assert (small_site.output / "sitemap.xml").read_bytes() == index
    newest = small_site.root / "content/a.md"
    changed = _changed_keys(
        small_site,
        lambda: newest.write_text(
            newest.read_text().replace("2023-10-17 07:45", "2023-10-17 09:45")
        ),
    )
    assert "sitemap.xml" in changed
    small_site.build()
    assert (small_site.output / "sitemap.xml").read_bytes() != index
    clean = small_site.root.parent / "clean"
    build_into(small_site.root, clean, use_cache=False)
    assert contents(small_site.output) == contents(clean)


def test_a_news_sitemap_in_parts_changes_only_the_part_showing_an_edited_story(site, monkeypatch):
    from focue_ssg.pages.kinds import sitemap as sitemaps

    monkeypatch.setattr(sitemaps, "MAX_NEWS", 1)
    site.write(
        {
            f"content/{name}.md": article(f"Fresh {name}", f"2025-12-31 0{hour}:00", slug=name)
            for hour, name in enumerate(("one", "two", "three"), start=1)
        }
    )
    site.build()
    parts = {rel for rel in contents(site.output) if rel.startswith("news-sitemap-")}
    assert len(parts) == 3
    two = site.root / "content/two.md"

    def news_files_changed_by(edit) -> set[str]:
        return {rel for rel in _changed_keys(site, edit) if rel.startswith("news-sitemap")}

    # the files show each story's headline and date, and the index each file's newest time
    assert news_files_changed_by(lambda: _append(two, "\nMore.")) == set()
    retitled = news_files_changed_by(
        lambda: two.write_text(two.read_text().replace("Fresh", "New"))
    )
    assert retitled == {"news-sitemap-2.xml"}  # the second newest story's file
    updated = news_files_changed_by(
        lambda: two.write_text(
            two.read_text().replace("---\n\n", "updated: 2025-12-31 09:00\n---\n\n", 1)
        )
    )
    assert updated == {"news-sitemap.xml"}  # the index: that file's newest change is later
    site.build()
    clean = site.root.parent / "clean"
    build_into(site.root, clean, use_cache=False)
    assert contents(site.output) == contents(clean)


def test_workers_are_not_forked_while_other_threads_run(tmp_path, monkeypatch):
    """The preview builds with its server and watcher threads running: its workers come
    from a fork server and are sent the page work, with the same output."""
    import threading

    from focue_ssg.output import workers

    root = _corpus(tmp_path / "corpus", 150)
    forked = []
    real = workers.process_pool
    monkeypatch.setattr(
        workers,
        "process_pool",
        lambda jobs, fork, work: forked.append(fork) or real(jobs, fork, work),
    )
    build_into(root, tmp_path / "forked", jobs=2, use_cache=False)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        build_into(root, tmp_path / "threads", jobs=2, use_cache=False)
        build_into(root, tmp_path / "threads-cached", jobs=2)  # workers make the keys too
    finally:
        stop.set()
        other.join()
    assert forked == [True, True, False, False, False, False]  # parsing, then pages
    assert contents(tmp_path / "threads") == contents(tmp_path / "forked")
    assert contents(tmp_path / "threads-cached") == contents(tmp_path / "forked")
