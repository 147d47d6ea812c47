"""The search index (issue 14): analysis shared with the browser, an index written in
the build, incremental like the pages, read back here as search.js reads it."""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
from bisect import bisect_right
from pathlib import Path

import pytest
from conftest import REPO, article, contents, snapshot

from focue_ssg.model import search
from focue_ssg.model.article import Article, StoredTerms
from focue_ssg.model.search import CAP, build_index
from focue_ssg.output import reuse
from focue_ssg.output.workers import run_chunks
from focue_ssg.pages.kinds import search as search_kind
from focue_ssg.source.analysis import Analyzer, fold
from focue_ssg.source.parse import ParseSettings, SourceFile, parse_source

SEARCH_JS = REPO / "themes/focue/static/search.js"
SAMPLES = [
    "Zürich’s sanctions on Société Générale",
    "ＦＵＬＬ-width and Ｃａｆé, İstanbul, Straße",
    "北京大学的学生 and 東京 Tokyo 2023",
    "日本語のテキスト",
    "한국어 텍스트와 English",
    "naïve coöperation — 5 of 10, x_y, e-mail",
    "Ελληνικά κείμενα, русский текст",
]


def test_text_is_folded_split_stemmed_and_cjk_paired():
    analyse = Analyzer("en").query
    assert analyse("Zürich’s Sanctions") == [("zurich", "zurich"), ("sanctions", "sanction")]
    assert fold("Société ＦＵＬＬ") == "societe full"
    assert [form for form, _ in analyse("北京大学")] == ["北京", "京大", "大学"]
    assert [form for form, _ in analyse("한국어")] == ["한국", "국어"]  # syllables kept whole
    assert analyse("a 5 b") == [("5", "5")]  # a lone letter is not a word; a digit is
    assert Analyzer("fr").query("nationales") == [("nationales", "national")]
    assert Analyzer("xx").query("running") == [("running", "running")]  # no stemmer: as written


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run search.js")
def test_the_browser_analyses_a_query_as_the_index_did():
    script = f"const s = require({json.dumps(str(SEARCH_JS))}); "
    script += f"console.log(JSON.stringify({json.dumps(SAMPLES)}.map(s.analyse)))"
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    browser = json.loads(result.stdout)
    python = [[form for form, _ in Analyzer("en").query(text)] for text in SAMPLES]
    assert browser == python
    assert sum(map(len, python)) > 40


def test_a_story_s_terms_are_counted_the_same_by_a_fresh_or_a_practised_analyser(monkeypatch):
    from focue_ssg.source import terms

    body = "<p>Sanctions, sanctions and more SANCTIONS on 2023-10-05: U.S. banks' sanctions.</p>"
    monkeypatch.setattr(terms, "_analyzers", {})
    fresh = terms.story_terms("en", "Banks’ sanctions", "Talks", body)
    practised = terms.story_terms("en", "Banks’ sanctions", "Talks", body)  # pieces known now
    assert fresh == practised
    features = dict(zip(fresh.stems.split(" "), fresh.features, strict=True))
    assert fresh.stems.split(" ")[:3] == ["bank", "sanction", "talk"]  # headline, standfirst
    assert features["sanction"] == 64 | 3  # in the headline; 4 times in the body: 4 to 7
    assert features["bank"] == 64 | 1 and features["talk"] == 32
    assert features["2023"] == features["10"] == features["05"] == 1  # one piece, three terms
    assert "u" not in features and "s" not in features  # "U.S.": lone letters, no terms
    forms = fresh.forms.split(" ")
    assert dict(zip(forms[::2], forms[1::2], strict=True)) == {
        "banks": "bank", "sanctions": "sanction", "talks": "talk"
    }  # fmt: skip


def stories(files: dict[str, str]):
    parsed = [parse_source(SourceFile(p, t.encode()), ParseSettings())[0] for p, t in files.items()]
    return [a for a in parsed if a is not None]


def lookup(index, word: str):
    """A word's term as search.js finds it: the key itself, or the form it stands for."""
    key = index.forms.get(word, word)
    return index.postings.get(key)


def test_stories_are_numbered_oldest_first_and_found_by_their_words():
    index, _ = build_index(
        stories(
            {
                "b.md": article("Gas Pipeline Talks", "2023-10-02", "Russia wants buyers."),
                "a.md": article("Sanctions Bite", "2023-10-01", "Banks feel the sanctions."),
            }
        )
    )
    assert [s.path for s in index.stories] == ["a.md", "b.md"]
    posting = lookup(index, "sanctions")
    assert posting.ids == (0,) and posting.count == 1
    # in the headline, in the standfirst (the first paragraph, here), once in the body
    assert posting.features[0] == 64 | 32 | 1
    assert lookup(index, "pipeline").ids == (1,)
    assert index.postings["#y2023"].ids == (0, 1)
    keys = [key for part in index.parts for key in part]
    assert keys == sorted(keys) and set(keys) == index.postings.keys() | index.forms.keys()


def test_a_term_in_very_many_stories_keeps_those_it_matters_most_in():
    body = "An opening paragraph.\n\nThen common words here."
    files = {
        f"{n:04d}.md": article(f"Story {n}", f"2023-01-01 {n % 24:02d}:00", body)
        for n in range(CAP + 10)
    }
    files["9999.md"] = article("Common Ground", "2022-01-01", "Elsewhere.")
    index, _ = build_index(stories(files))
    posting = index.postings["common"]
    assert len(posting.ids) == CAP
    # the count, to five significant bits: one story more or less seldom changes it
    assert posting.count == 0b11111000000 <= CAP + 11 < posting.count + 2**6
    assert 0 in posting.ids  # the oldest story, but it has the word in its headline


def test_a_term_keeps_every_story_with_it_in_the_headline(monkeypatch):
    """Up to LEAD_CAP: a story is found by its headline in a big archive too."""
    monkeypatch.setattr(search, "LEAD_CAP", CAP + 5)
    files = {
        f"{n:04d}.md": article(f"Common story {n}", f"2023-01-01 {n % 24:02d}:00", "Text.")
        for n in range(CAP + 10)
    }
    index, _ = build_index(stories(files))
    posting = index.postings["common"]
    assert len(posting.ids) == CAP + 5  # not CAP, though they all have it in the headline
    assert posting.ids[-1] == CAP + 9  # the newest kept first among equals


def _part_of(parts, key: str, order=lambda k: k):
    """The part whose first key is the last not after `key`, as search.js picks it."""
    firsts = [order(part[0]) for part in parts]
    return parts[max(0, bisect_right(firsts, order(key)) - 1)]


@pytest.mark.parametrize("typed", ["sxberia", "sbieria", "sberia", "sibxria"])
def test_a_word_with_one_slip_sorts_beside_the_word_forwards_or_backwards(monkeypatch, typed):
    """With many small parts, a slip near the start sends the typed word to another
    part than the word's; spelt backwards, it sorts beside the word again."""
    monkeypatch.setattr(search, "PART_BYTES", 60)
    words = " ".join(f"{a}{b}{c}word" for a in "abst" for b in "aeiou" for c in "bkr")
    files = {
        "a.md": article("Siberia", "2023-10-01", f"Siberia and {words}."),
    }
    index, _ = build_index(stories(files))
    assert len(index.parts) > 5 and len(index.tails) > 5
    tails = [key for part in index.tails for key in part]
    assert tails == sorted(tails, key=lambda k: k[::-1])
    assert all(len(k) >= search.TYPO_LETTERS and not k.startswith("#") for k in tails)
    forwards = _part_of(index.parts, typed)
    backwards = _part_of(index.tails, typed, order=lambda k: k[::-1])
    assert "siberia" in forwards or "siberia" in backwards


def test_a_part_starts_at_its_first_key_which_names_its_file():
    parts = (("apple", "apricot"), ("aqua", "banana"), ("band", "bandwidth"), ("bandy",))
    assert search_kind.starts(parts) == ["apple", "aqua", "band", "bandy"]
    backwards = (("ba", "ca"), ("ab", "bb"))  # sorted by their reversed spelling
    assert search_kind.starts(backwards, search_kind._reversed) == ["ab", "ba"]
    assert search_kind._listed("band") == "band"  # named "62616e64.json", as search.js does
    long = "x" * 40  # its hex would make too long a file name
    name = search_kind._listed(long)[1]
    assert search_kind._listed(long)[0] == long and len(name) < 20
    assert search_kind._path("parts", long) == f"search/parts/{name}.json"


def build(site, focue) -> dict[str, bytes]:
    result = focue("build", str(site), "--now", "2026-01-01T00:00:00+00:00")
    assert result.code == 0, result.err
    return contents(site / "output")


def read_index(files: dict[str, bytes]) -> dict[str, list[int]]:
    """Every key's story numbers, read from the files as search.js reads them."""
    meta = json.loads(files["search/meta.json"])
    found = {}
    for listed in meta["parts"]:
        name = listed[1] if isinstance(listed, list) else listed.encode().hex()
        part = json.loads(files[f"search/parts/{name}.json"])
        for key, entry in zip(part["keys"], part["entries"], strict=True):
            if isinstance(entry, str):
                continue
            ids, at = [], -1
            for gap in entry[1]:
                at += gap
                ids.append(at)
            found[key] = ids
    return found


@pytest.fixture
def newsroom(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    for n in range(450):
        (site / f"content/{n:03d}.md").write_text(
            article(
                f"Story number {n} on trade",
                f"2023-{1 + n // 40:02d}-{1 + n % 28:02d} 08:00",
                f"Body of story {n}. Word{n} appears only here.",
                section="World" if n % 2 else "Business",
                tags=["Trade"],
            )
        )
    return site


def test_the_build_writes_an_index_the_browser_can_read(newsroom, focue):
    files = build(newsroom, focue)
    meta = json.loads(files["search/meta.json"])
    assert meta["stories"] == 450 and len(meta["days"]) == 3  # records files of 200
    records = [json.loads(files[f"search/records/{n}.json"]) for n in range(3)]
    assert [len(r) for r in records] == [200, 200, 50]
    found = read_index(files)
    first = records[0][0]
    assert first[0] == "Story number 0 on trade" and first[1].endswith("/story-number-0-on-trade/")
    (seven,) = found["word7"]
    assert records[seven // 200][seven % 200][0] == "Story number 7 on trade"
    slot, block = meta["slot"], files["search/records/1.json"]
    for n in (0, 1, 199):  # a record is found at its place in the file, as search.js reads it
        assert json.loads(block[1 + n * slot : (n + 1) * slot]) == records[1][n]
    assert len(block) == 1 + 200 * slot and block.endswith(b"]")
    assert len(found["#sworld"]) == 225 and not set(found["#sworld"]) & set(found["#sbusiness"])
    assert len(found["trade"]) == 450 and len(found["#ttrade"]) == 450
    assert "search/index.html" in files and b'name="q"' in files["search/index.html"]
    assert b'role="search"' in files["index.html"]  # the header's form, on every page


@pytest.mark.parametrize(
    "card",
    [
        {"title": "短" * 300, "summary": "長" * 400, "tags": ["税"] * 9, "authors": ["記者"] * 9},
        {"title": "T" * 2000, "summary": "", "tags": [], "authors": []},
        {"title": "Short", "summary": "<b>&</b> " * 200, "tags": ["A"], "authors": ["B"]},
    ],
)
def test_a_record_is_shortened_to_fit_its_slot(card):
    record = search_kind._record(
        {
            "title": card["title"],
            "url": "/2023/10/01/story/",
            "date_iso": "2023-10-01T08:00:00+00:00",
            "section": "World",
            "summary": card["summary"],
            "tags": [{"name": name} for name in card["tags"]],
            "authors": [{"name": name} for name in card["authors"]],
        }
    )
    text = search_kind.slotted(record).encode()
    assert len(text) == search_kind.SLOT - 1
    shown = json.loads(text)
    assert shown[1] == "/2023/10/01/story/" and shown[0] and card["title"].startswith(shown[0])


def test_an_edit_rewrites_few_index_files_and_a_new_story_only_the_last_records(
    newsroom, focue, monkeypatch
):
    build(newsroom, focue)
    before = snapshot(newsroom / "output")
    story = newsroom / "content/100.md"
    story.write_text(story.read_text() + "\nA correction was appended.\n")
    monkeypatch.setattr(search, "_from_scratch", None)  # the edit is worked in, not made anew
    build(newsroom, focue)
    after = snapshot(newsroom / "output")
    changed = {rel for rel in after if before[rel] != after[rel] and rel.startswith("search/")}
    assert 1 <= len(changed) <= 4, changed  # the parts of "correction" and "append"
    assert "search/records/0.json" not in changed
    (newsroom / "content/999.md").write_text(article("Newest story", "2023-12-30 08:00"))
    build(newsroom, focue)
    again = snapshot(newsroom / "output")
    records = {
        rel for rel in again if rel.startswith("search/records/") and again[rel] != after.get(rel)
    }
    assert records == {"search/records/2.json"}


def test_an_index_inverted_in_chunks_and_processes_is_the_index_made_at_once(
    newsroom, focue, tmp_path, monkeypatch
):
    parsed = stories(
        {f"{n}.md": article(f"Story {n}", f"2023-01-{1 + n % 9:02d}") for n in range(20)}
    )
    by_three = []  # every chunk a run of three stories, in order

    def in_threes(work, items):
        by_three.extend(len(items[i : i + 3]) for i in range(0, len(items), 3))
        return [found for i in range(0, len(items), 3) for found in work(items[i : i + 3])]

    at_once, kept = build_index(parsed)
    chunked, kept_chunked = build_index(parsed, chunks=in_threes)
    assert len(by_three) == 7 and chunked.postings == at_once.postings
    assert chunked.forms == at_once.forms and chunked.parts == at_once.parts
    assert kept_chunked.lists == kept.lists
    alone = build(newsroom, focue)  # the test's build runs in this process
    monkeypatch.setattr(reuse, "INVERT_LEAST", 100)
    processes = []
    monkeypatch.setattr(
        reuse, "run_chunks", lambda *a, **k: processes.append(a[2]) or run_chunks(*a, **k)
    )
    other = tmp_path / "again"
    shutil.copytree(newsroom / "content", other / "content")
    result = focue("build", str(other), "-j", "2", "--now", "2026-01-01T00:00:00+00:00")
    assert result.code == 0 and processes == [2]
    assert contents(other / "output") == alone


def test_edits_back_and_forth_are_worked_into_the_index(newsroom, focue, monkeypatch):
    build(newsroom, focue)
    story = newsroom / "content/100.md"
    original = story.read_text()
    monkeypatch.setattr(search, "_from_scratch", None)  # each edit is worked in
    for version in (original + "\nFirst addition.\n", original, original + "\nSecond.\n"):
        story.write_text(version)
        build(newsroom, focue)  # the last needs the original as parsed before the first
    monkeypatch.undo()
    fresh = newsroom.parent / "fresh"
    shutil.copytree(newsroom / "content", fresh / "content")
    made = {k: v for k, v in contents(newsroom / "output").items() if k.startswith("search/")}
    assert made == {k: v for k, v in build(fresh, focue).items() if k.startswith("search/")}
    with (newsroom / ".focue-cache/articles-new.pickle").open("rb") as stored:
        pickle.load(stored)  # the header
        later = pickle.load(stored)  # the parses since the main file was written
    assert [key[0] for key in later] == ["100.md"]  # the last; those dropped stay dropped


def parsed_stories(site):
    """The stories in the build cache's main file of parsed stories."""
    with (site / ".focue-cache/articles.pickle").open("rb") as stored:
        pickle.load(stored)  # the header
        return [doc for doc, _ in pickle.load(stored).values() if isinstance(doc, Article)]


def test_a_story_s_terms_are_kept_after_its_body_not_with_the_parsed_story(newsroom, focue):
    build(newsroom, focue)
    kept = parsed_stories(newsroom)
    assert len(kept) == 450 and all(type(s.search_terms) is StoredTerms for s in kept)
    for story in kept[:20]:
        assert story.search_terms.file == story.body.file  # one file: one read, one check
        source = SourceFile(story.path, (newsroom / "content" / story.path).read_bytes())
        fresh = parse_source(source, ParseSettings())[0]
        assert story.terms == fresh.search_terms and story.body.read() == fresh.body
        assert story.terms.stems and story.terms.forms


def test_an_edit_whose_earlier_terms_went_is_indexed_anew_the_same(newsroom, focue, tmp_path):
    build(newsroom, focue)
    story = newsroom / "content/100.md"
    was = next(s for s in parsed_stories(newsroom) if s.path == "100.md")
    Path(was.search_terms.file).unlink()  # say, a cache folder pruned by hand
    story.write_text(story.read_text() + "\nA correction was appended.\n")
    made = {k: v for k, v in build(newsroom, focue).items() if k.startswith("search/")}
    fresh = tmp_path / "fresh"
    shutil.copytree(newsroom / "content", fresh / "content")
    assert made == {k: v for k, v in build(fresh, focue).items() if k.startswith("search/")}


def test_an_edit_keeps_the_index_state_as_changes_not_written_whole(newsroom, focue, tmp_path):
    """The state the next build's index starts from is large (300 MB at 100,000
    stories): an edit writes what it changed beside it, and the whole is written again
    only when most of it changed. Either way the index equals one made anew."""
    from focue_ssg.output.reuse import SearchChanges

    cache = newsroom / ".focue-cache"
    build(newsroom, focue)
    whole = (cache / "search.pickle").read_bytes()
    for n, line in ((100, "A correction was appended."), (101, "Another line.")):
        story = newsroom / f"content/{n}.md"
        story.write_text(story.read_text() + f"\n{line}\n")
        made = build(newsroom, focue)
        assert (cache / "search.pickle").read_bytes() == whole
    with (cache / "search-changes.pickle").open("rb") as kept:
        pickle.load(kept)  # the header
        changes = pickle.load(kept)
    assert isinstance(changes, SearchChanges) and 0 < len(changes.lists) < 20
    fresh = tmp_path / "fresh"
    shutil.copytree(newsroom / "content", fresh / "content")
    search_files = {k: v for k, v in made.items() if k.startswith("search/")}
    assert search_files == {k: v for k, v in build(fresh, focue).items() if k.startswith("search/")}
    for story in sorted((newsroom / "content").glob("*.md"))[:100]:  # made anew: written whole
        story.write_text(story.read_text().replace("trade", "commerce"))
    build(newsroom, focue)
    assert (cache / "search.pickle").read_bytes() != whole


def test_an_edit_reads_only_the_kept_lists_its_terms_are_in(newsroom, focue, tmp_path, monkeypatch):
    """The index's lists (280 MB at 100,000 stories) are kept out of band in the cache
    and mapped, not read: a body edit reads the few lists its terms are in, and the
    index still equals one made anew."""
    from focue_ssg.model import term_lists
    from focue_ssg.output.cache import BuildCache

    build(newsroom, focue)
    kept = BuildCache(newsroom).kept("search").lists
    assert isinstance(kept, term_lists.TermLists) and len(kept) > 400
    read = []
    get = term_lists.TermLists.__getitem__

    def counted(lists, term):
        if term in lists._stored:
            read.append(term)
        return get(lists, term)

    monkeypatch.setattr(term_lists.TermLists, "__getitem__", counted)
    story = newsroom / "content/100.md"  # words in every story, and new ones
    story.write_text(story.read_text() + "\nThe trade story was corrected.\n")
    made = build(newsroom, focue)
    assert 0 < len(set(read)) < 10
    fresh = tmp_path / "fresh"
    shutil.copytree(newsroom / "content", fresh / "content")
    search_files = {k: v for k, v in made.items() if k.startswith("search/")}
    assert search_files == {k: v for k, v in build(fresh, focue).items() if k.startswith("search/")}


def test_term_lists_are_shared_by_a_copy_until_it_changes_them():
    from array import array

    from focue_ssg.model.term_lists import TermLists

    made = TermLists({"a": array("Q", [1, 2]), "b": array("Q", [3]), "c": array("Q", [4])})
    buffers = []
    data = pickle.dumps(made, protocol=5, buffer_callback=buffers.append)
    assert len(buffers) == 3 and len(data) < 200  # the lists' bytes are not in the pickle
    kept = pickle.loads(data, buffers=buffers)
    assert kept == made and pickle.loads(pickle.dumps(made)) == made  # in band too
    copy = kept.copy()
    copy["b"] = array("Q", [3, 5])
    del copy["c"]
    copy["d"] = array("Q", [6])
    assert list(copy["a"]) == [1, 2] and "c" not in copy and sorted(copy) == ["a", "b", "d"]
    assert dict(kept) == dict(made)  # the copy changed none of the lists it shares
    assert copy.changed_since(kept) == {"b", "c", "d"}
    assert copy.copy().changed_since(kept) == {"b", "c", "d"}
    assert made.changed_since(kept) is None  # not copies of one: everything may differ


def test_the_kept_lists_are_read_where_files_cannot_be_mapped(newsroom, focue, monkeypatch):
    from focue_ssg.output import cache
    from focue_ssg.output.cache import BuildCache

    build(newsroom, focue)
    mapped = BuildCache(newsroom).kept("search")

    def refuse(*args, **kwargs):
        raise OSError(19, "No such device")

    monkeypatch.setattr(cache.mmap, "mmap", refuse)
    read = BuildCache(newsroom).kept("search")
    assert isinstance(read, search.Inverted) and len(read.lists) > 400
    assert dict(read.lists) == dict(mapped.lists) and read.postings == mapped.postings


def test_a_damaged_index_state_is_made_anew(newsroom, focue, tmp_path):
    state = newsroom / ".focue-cache/search.pickle"
    build(newsroom, focue)
    data = state.read_bytes()
    state.write_bytes(data[: len(data) - 100])  # the lists' sizes no longer fit the file
    story = newsroom / "content/100.md"
    story.write_text(story.read_text() + "\nA correction was appended.\n")
    made = build(newsroom, focue)
    assert state.read_bytes() != data[: len(data) - 100]  # written whole again
    fresh = tmp_path / "fresh"
    shutil.copytree(newsroom / "content", fresh / "content")
    search_files = {k: v for k, v in made.items() if k.startswith("search/")}
    assert search_files == {k: v for k, v in build(fresh, focue).items() if k.startswith("search/")}


@pytest.mark.parametrize("preview", [False, True])
def test_a_build_writes_the_index_state_at_once_and_lets_it_go(newsroom, monkeypatch, preview):
    """The index's full lists (300 MB at 100,000 stories) are needed only by the next
    build: a build writes them to the cache before its pages render and keeps no copy
    while its workers run. The preview, whose cache lives from one build to the next,
    keeps them in memory and writes them when it stops."""
    from datetime import UTC, datetime

    from focue_ssg import pipeline
    from focue_ssg.output.cache import BuildCache

    cache, state = BuildCache(newsroom), newsroom / ".focue-cache/search.pickle"
    cache.deferred = preview
    seen = []
    render_changed = pipeline.render_changed

    def render(*args, **kwargs):
        seen.append((state.is_file(), "search" in cache.derived))
        return render_changed(*args, **kwargs)

    monkeypatch.setattr(pipeline, "render_changed", render)
    options = pipeline.BuildOptions(newsroom, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert pipeline.build(options, cache).ok
    assert seen == ([(False, True)] if preview else [(True, False)])
    cache.flush()
    assert isinstance(BuildCache(newsroom).kept("search"), search.Inverted)


def test_a_check_writes_no_index_state(newsroom):
    """`focue check` plans the pages after it has let the cache's lock go, so what its
    planning would keep for a next build is not written."""
    from datetime import UTC, datetime

    from focue_ssg import checks, pipeline

    checks.check(pipeline.BuildOptions(newsroom, now=datetime(2026, 1, 1, tzinfo=UTC)))
    assert (newsroom / ".focue-cache/articles.pickle").is_file()
    assert not (newsroom / ".focue-cache/search.pickle").exists()


def test_the_same_stories_give_the_same_index(newsroom, focue, tmp_path):
    first = build(newsroom, focue)
    other = tmp_path / "again"
    shutil.copytree(newsroom / "content", other / "content")
    second = build(other, focue)
    assert {k: v for k, v in first.items() if k.startswith("search/")} == {
        k: v for k, v in second.items() if k.startswith("search/")
    }


def test_written_forms_lead_to_their_stem():
    index, _ = build_index(
        stories({"a.md": article("Sanctions", "2023-01-01", "Sanctioned banks.")})
    )
    assert index.forms["sanctions"] == "sanction" and index.forms["sanctioned"] == "sanction"
    assert lookup(index, "sanctioned").ids == (0,)


def test_chinese_text_is_found_by_any_two_characters():
    index, _ = build_index(stories({"a.md": article("北京大学的学生", "2023-01-01", "中文新闻。")}))
    for pair in ("北京", "京大", "大学", "学生", "中文", "新闻"):
        assert lookup(index, pair).ids == (0,), pair
    assert Path(SEARCH_JS).read_text().count("\\u4e00-\\u9fff") == 1  # one CJK range, as here


def test_search_false_builds_no_index_and_no_search_box(newsroom, focue):
    (newsroom / "focue.toml").write_text("search = false\n")
    files = build(newsroom, focue)
    assert not [rel for rel in files if rel.startswith("search/")]
    assert b'role="search"' not in files["index.html"]
    (newsroom / "focue.toml").write_text("search = true\n")
    assert "search/meta.json" in build(newsroom, focue)


def test_an_index_made_from_the_last_one_equals_one_made_anew(monkeypatch):
    anew = []
    made_anew = search._from_scratch
    monkeypatch.setattr(search, "_from_scratch", lambda *a: anew.append(1) or made_anew(*a))
    files = {
        f"{n:02d}.md": article(
            f"Story {n} on trade",
            f"2023-01-{n + 1:02d}",
            f"Body {n} words.",
            section="World" if n % 2 else "Energy",
            tags=[f"T{n % 3}"],
        )
        for n in range(20)
    }
    story_5 = ("Story 5 rewritten", "2023-01-06")
    edits = [
        {"05.md": article(*story_5, "Sanctioned pipelines, entirely new.", section="World")},
        # forms only story 5 wrote ("sanctioned", "pipelines") are gone from the index
        {"05.md": article(*story_5, "Entirely new pipeline words.", section="World")},
        {
            "20.md": article("Newest story", "2023-02-01", "Fresh gas talks.", section="Energy")
        },  # appended
        {"03.md": None},  # removed: the numbering changes
        {
            "00b.md": article("Backdated story", "2022-12-01", "Old news.", section="World")
        },  # inserted
        {
            "07.md": article("Story 7 on trade", "2023-01-08", "Body 7 words.", section="Culture")
        },  # new section
    ]
    seen = {}  # every story as parsed, as the build cache keeps them

    def parsed():
        found = stories(files)
        seen.update(((story.path, story.source_digest), story) for story in found)
        return found

    _, kept = build_index(parsed())
    forms = []
    for number, edit in enumerate(edits):
        for path, text in edit.items():
            if text is None:
                files.pop(path)
            else:
                files[path] = text
        anew.clear()
        made, kept_next = build_index(parsed(), kept, earlier=lambda *key: seen.get(key))
        assert bool(anew) == (number >= 3)  # a changed or a newest story: only what it touched
        fresh, fresh_kept = build_index(stories(files))
        assert made.postings == fresh.postings and made.parts == fresh.parts
        assert made.forms == fresh.forms == kept_next.forms and made.sections == fresh.sections
        assert {t: list(v) for t, v in kept_next.lists.items()} == {
            t: list(v) for t, v in fresh_kept.lists.items()
        }
        kept, _ = kept_next, forms.append(made.forms)
    assert forms[0]["sanctioned"] == "sanction" and forms[0]["pipelines"] == "pipelin"
    assert "sanctioned" not in forms[1] and "pipelines" not in forms[1]
    assert forms[1]["words"] == "word"  # still written by the other stories
