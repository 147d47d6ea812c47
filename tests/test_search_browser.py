"""Search in a real browser (issue 14): Debian's Chromium driven by Playwright for
Python, pointed at the system browser (nothing is downloaded). The sample site, with
a story in Chinese added, is built for and served from 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from urllib.parse import quote

import pytest
from conftest import NOW_ARG, article, copy_sample

from focue_ssg.pages.kinds.search import SLOT
from focue_ssg.serve.server import PreviewHTTPServer, PreviewState

playwright = pytest.importorskip("playwright.sync_api", reason="needs Playwright for Python")
CHROMIUM = os.environ.get("CHROME_PATH") or shutil.which("chromium") or ""
pytestmark = pytest.mark.skipif(
    not CHROMIUM, reason="needs Debian's chromium (scripts/test installs it)"
)
PIPELINE = "Power of Siberia 2 Talks Drag On as Russia Seeks New Gas Buyers"
CHINESE = "北京大学举办中俄关系论坛"
PHRASE = "Grain Corridor Talks Resume in Vienna"  # the words side by side
APART = "Corridor Deal Brings Grain to Europe"  # newer, the same words apart


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = copy_sample(tmp_path_factory.mktemp("search") / "site")
    (root / "content/2023/11/forum.md").write_text(
        article(
            CHINESE, "2023-11-20 09:00", "学者们在北京讨论中国和俄罗斯的能源合作。", section="World"
        )
    )
    for name, title, when in (("talks", PHRASE, "2023-11-01"), ("deal", APART, "2023-11-21")):
        body = "Negotiators met again on Tuesday."
        (root / f"content/2023/11/{name}.md").write_text(article(title, f"{when} 09:00", body))
    state = PreviewState(root=root / "output")  # focue's own server: it answers byte ranges
    server = PreviewHTTPServer(("127.0.0.1", 0), state)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    command = [
        sys.executable,
        "-m",
        "focue_ssg",
        "build",
        str(root),
        "--now",
        NOW_ARG,
        "--base-url",
        base,
    ]
    subprocess.run(command, check=True, capture_output=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base
    state.close()
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


class Visit:
    """A page with its console errors and the bytes each response carried."""

    def __init__(self, browser, base: str, javascript: bool = True):
        self.page = browser.new_page(java_script_enabled=javascript)
        self.base = base
        self.errors: list[str] = []
        self.loaded: list[tuple[str, int]] = []
        self.records: list[tuple[int, int]] = []  # status and size of each record fetched
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        sizes = request.sizes()
        self.loaded.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))
        if "/search/records/" in request.url:
            self.records.append((request.response().status, sizes["responseBodySize"]))

    def search(self, query: str, **filters: str) -> list[str]:
        """Type the query into /search/'s form and submit it; the headlines found."""
        self.page.goto(self.base + "search/")
        self.page.fill("#search-q", query)
        if "section" in filters:
            self.page.select_option("#search-section", filters["section"])
        self.page.click(".search-form button")
        return self.headlines()

    def headlines(self, query: str = "") -> list[str]:
        """The headlines shown, once the status speaks of `query` (after a further query
        the status holds the last one's until this one's results are in)."""
        self.page.wait_for_function(
            "q => { const t = document.querySelector('.search-status').textContent;"
            " return t !== '' && t.includes(q); }",
            arg=query,
        )
        return [h.inner_text() for h in self.page.query_selector_all(".search-result h2")]

    def status(self) -> str:
        return self.page.inner_text(".search-status")

    def index_bytes(self) -> int:
        return sum(size for url, size in self.loaded if "/search/" in url and url.endswith(".json"))


def test_typing_a_query_finds_the_story_first_and_announces_the_count(browser, served):
    visit = Visit(browser, served)
    found = visit.search("Siberia gas talks")
    assert found[0] == PIPELINE
    assert (
        visit.status().startswith(f"{len(found)} result") and "Siberia gas talks" in visit.status()
    )
    assert visit.page.get_attribute(".search-status", "role") == "status"
    assert "q=Siberia+gas+talks" in visit.page.url  # the search can be linked and shared
    assert visit.page.query_selector(".search-result mark") is not None  # matched words marked
    assert visit.errors == []


def test_filters_show_their_counts(browser, served):
    visit = Visit(browser, served)
    found = visit.search("Russia")
    options = [o.inner_text() for o in visit.page.query_selector_all("#search-section option")][1:]
    counts = {o.rsplit(" (", 1)[0]: int(o.rsplit("(", 1)[1].rstrip(")")) for o in options}
    assert sum(counts.values()) == len(found) > 3 and counts["Energy"] > 0
    years = visit.page.query_selector_all(".search-years a")
    assert sum(int(a.inner_text().split("(")[1].rstrip(")")) for a in years) == len(found)
    year, count = years[0].inner_text().rstrip(")").split(" (")
    years[0].click()  # a year's link filters by it, and its count was right
    assert len(visit.headlines()) == int(count) > 0
    assert visit.status().startswith(f"{count} result") and f"year={year}" in visit.page.url


def test_tags_and_authors_of_the_results_are_offered_with_their_counts(browser, served):
    visit = Visit(browser, served)
    found = visit.search("Russia")
    visit.page.click(".search-refine summary")
    visit.page.wait_for_selector(".search-refine-list a")
    links = visit.page.query_selector_all(".search-refine-list a")
    offered = [a.inner_text() for a in links]
    counts = [int(text.rsplit("(", 1)[1].rstrip(")")) for text in offered]
    assert counts == sorted(counts, reverse=True) and 0 < counts[0] <= len(found)
    assert any(text.startswith("by ") for text in offered)  # authors, beside tags
    first = offered[0].rsplit(" (", 1)[0]
    links[0].click()  # a tag's or author's link filters by it, and its count was right
    assert len(visit.headlines()) == counts[0]
    assert visit.status().startswith(f"{counts[0]} result")
    kind = "author" if first.startswith("by ") else "tag"
    assert f"{kind}=" in visit.page.url
    visit.page.select_option("#search-section", index=1)  # combined with a section
    visit.page.click(".search-form button")
    assert f"{kind}=" in visit.page.url and "section=" in visit.page.url
    assert len(visit.headlines()) <= counts[0]
    assert visit.errors == []


def test_a_filter_keeps_its_section_and_lives_in_the_url(browser, served):
    visit = Visit(browser, served)
    everything = visit.search("China")
    energy = visit.search("China", section="energy")
    assert 0 < len(energy) < len(everything)
    assert "section=energy" in visit.page.url
    sections = [s.inner_text() for s in visit.page.query_selector_all(".search-result .card-meta")]
    assert sections and all(s.endswith("Energy") for s in sections)
    visit.page.goto(visit.page.url)  # a shared link gives the same results
    assert visit.headlines() == energy


@pytest.mark.parametrize("typed", ["Siberai", "Sbieria", "Sberia", "Sixberia", "Sxberia"])
def test_one_typo_still_finds_the_story(browser, served, typed):
    """A swap, a letter left out, one too many, one wrong: early in the word or late."""
    visit = Visit(browser, served)
    assert PIPELINE in visit.search(f"{typed} gas")[:3]
    assert f"“{typed.lower()}” as “siberia”" in visit.status()
    assert visit.errors == []


def test_a_story_with_the_words_side_by_side_comes_first(browser, served):
    """The phrase bonus: both headlines hold both words; the newer one would come first
    among equals, but the other has them as a phrase."""
    visit = Visit(browser, served)
    found = visit.search("grain corridor")
    assert PHRASE in found and APART in found
    assert found.index(PHRASE) < found.index(APART)
    reversed_ = visit.search("corridor grain")  # in this order, neither holds the phrase:
    assert reversed_.index(APART) < reversed_.index(PHRASE)  # the newer comes first
    assert visit.errors == []


def test_a_chinese_query_finds_the_chinese_story(browser, served):
    visit = Visit(browser, served)
    assert visit.search("北京大学")[0] == CHINESE
    assert visit.search("能源")[0] == CHINESE  # two characters from the body


def test_a_query_fetches_only_part_of_the_index(browser, served):
    visit = Visit(browser, served)
    visit.search("pipeline")
    first = visit.index_bytes()
    visit.loaded.clear()
    visit.page.fill("#search-q", "yuan")
    visit.page.click(".search-form button")
    visit.headlines("yuan")
    further = visit.index_bytes()
    assert 0 < first < 60_000 and 0 < further < 60_000
    # each result shown fetched its own record alone, by a byte range
    assert len(visit.records) >= 2 and set(visit.records) == {(206, SLOT)}
    assert visit.errors == []


def test_a_server_that_ignores_byte_ranges_still_gets_every_result_shown(browser, served):
    """Some hosts answer a range with the whole file: the script reads the slot from it,
    and fetches that file once for all the results it holds."""
    visit = Visit(browser, served)

    def without_range(route):
        headers = {k: v for k, v in route.request.headers.items() if k.lower() != "range"}
        route.continue_(headers=headers)

    visit.page.route("**/search/records/*", without_range)
    found = visit.search("Russia")
    assert found[:1] and len(found) == len(set(found))
    assert {status for status, _ in visit.records} == {200}
    assert len(visit.records) <= len({1 + n // 200 for n in range(len(found))}) + 1
    assert visit.errors == []


def test_without_javascript_the_page_says_where_else_to_look(browser, served):
    visit = Visit(browser, served, javascript=False)
    visit.page.goto(served + "search/?" + "q=" + quote("gas"))
    text = visit.page.inner_text(".search-browse")
    assert "JavaScript" in text
    links = [a.get_attribute("href") for a in visit.page.query_selector_all(".search-browse a")]
    assert [link.rstrip("/").rsplit("/", 1)[-1] for link in links] == [
        "sections",
        "tags",
        "authors",
    ]
    header = Visit(browser, served, javascript=False)
    header.page.goto(served)
    header.page.fill("#site-search-q", "gas")
    header.page.press("#site-search-q", "Enter")
    assert header.page.url.endswith("/search/?q=gas")
