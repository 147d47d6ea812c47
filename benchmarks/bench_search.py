#!/usr/bin/env python3
"""focue's built-in search side by side with Pagefind, on generated news corpora.

    python benchmarks/bench_search.py [--sizes 10000] [--runs N] [--work DIR]
                                      [--pagefind PATH] [--queries 200] [--no-pagefind-above N]

For each size it generates a corpus with make_corpus.py and measures, for both engines:
- index time: focue's cold build with search on against `search = false` (the same code;
  the difference is what the index costs), and Pagefind run on the build made without
  search. Pagefind indexes only the `<article>` of story pages: the script marks it with
  `data-pagefind-body` in a copy of the output (headline, standfirst, byline, body, tags;
  without the mark Pagefind would index every listing page's whole body too);
- index size: the bytes and files of output/search/ (the page itself left out) and of
  pagefind/;
- bytes on the wire per query in Chromium (Playwright, Debian's /usr/bin/chromium): a first
  one-word query on a fresh page, then a further query on the same page, counting the
  engine's own requests (focue: search.js and /search/ files; Pagefind: /pagefind/ files,
  scripts and wasm included; the page, its CSS and fonts left out); raw response bodies,
  and their gzip -6 sizes, since static hosts compress;
- quality: 200 published stories chosen at random (seed 1), each queried by the two or
  three words of its headline (4 letters or more) that single it out best: the fewest
  other headlines hold all of them, then the rarest in the corpus. Generated headlines
  repeat their phrases ("... gets a reality check"), so the rarest words one by one are
  often shared by dozens of headlines, and no engine could tell which story was meant.
  In brackets, the share among the queries that do single their story out (three
  headlines or fewer hold all their words; the rest are ambiguous, more so in bigger
  corpora). Then each query again with one typo in its longest word of 5 letters
  or more. A hit is the story among the top three.

Pagefind comes from PyPI (`pagefind[extended]`, which ships its binary), installed into a
venv in the work folder when no `--pagefind` binary is given. Needs Playwright for Python and
Chromium. Prints a Markdown table. At 100,000 stories Pagefind 1.5.2 (extended) was killed
for want of memory on a 23 GB machine (21.7 GB resident): `--no-pagefind-above 10000` runs
focue alone above that size.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import itertools
import json
import os
import random
import re
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

from bench import Tool, focue_tool, make_corpus, timed_build

from focue_ssg.serve.server import PreviewHTTPServer, PreviewState

CHROMIUM = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
WORD = re.compile(r"[^\W\d_]+")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
ARTICLE_TAG = '<article class="article"'
PAGEFIND_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pagefind</title></head>
<body><script type="module">
window.topUrls = async (query, count) => {
  window.pagefind = window.pagefind || await import("/pagefind/pagefind.js");
  const found = await window.pagefind.search(query);
  const data = await Promise.all(found.results.slice(0, count).map((r) => r.data()));
  return data.map((d) => d.url);
};
window.ready = true;
</script></body></html>
"""
TABLE_HEADER = (
    "| articles | engine | index wall s (CPU s) | % of focue build | index MB | index files "
    "| first query KB raw / gzip | further query KB raw / gzip | top-3 hits | top-3, one typo |"
    "\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)


@dataclasses.dataclass
class Engine:
    """One engine's numbers for one corpus size."""

    name: str
    index: list[dict] = dataclasses.field(default_factory=list)  # timed_build samples
    share: float = 0.0  # of focue's build with search off (Pagefind) or on (focue)
    size: tuple[int, int] = (0, 0)  # bytes, files
    first: list[tuple[int, int]] = dataclasses.field(default_factory=list)  # raw, gzip
    further: list[tuple[int, int]] = dataclasses.field(default_factory=list)
    hits: list[bool] = dataclasses.field(default_factory=list)  # the story in the top 3
    typo_hits: list[bool | None] = dataclasses.field(default_factory=list)  # None: no typo


# --- building and indexing -------------------------------------------------------------


def set_search(site: Path, enabled: bool) -> None:
    (site / "focue.toml").write_text(f"search = {'true' if enabled else 'false'}\n")


def cold_build(site: Path, tool: Tool, search: bool) -> dict:
    for name in tool.scratch:
        shutil.rmtree(site / name, ignore_errors=True)
    set_search(site, search)
    return timed_build(site, tool)


def pagefind_tool(work: Path, binary: str | None) -> Tool:
    """Pagefind over a folder of HTML (`--site .`); from PyPI into work/ unless given."""
    if binary:
        command = [binary]
    else:
        venv = work / "pagefind-venv"
        python = venv / "bin" / "python"
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            pip = [str(python), "-m", "pip", "install", "-q", "pagefind[extended]"]
            subprocess.run(pip, check=True, capture_output=True)
        command = [str(python), "-m", "pagefind"]
    return Tool("pagefind", "", [*command, "--site", "."], "pagefind", ("pagefind",))


def pagefind_version(tool: Tool) -> str:
    done = subprocess.run([*tool.command[:-2], "--version"], capture_output=True, text=True)
    return done.stdout.strip() or "pagefind"


def mark_story_bodies(html: Path) -> None:
    """Let Pagefind index story pages only, and of them the article element alone."""
    for page in html.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        if ARTICLE_TAG in text:
            page.write_text(text.replace(ARTICLE_TAG, ARTICLE_TAG + " data-pagefind-body", 1))


def folder_size(folder: Path, skip: tuple[str, ...] = ()) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and p.name not in skip]
    return sum(p.stat().st_size for p in files), len(files)


# --- the query set ----------------------------------------------------------------------


def story_texts(site: Path) -> list[tuple[str, str]]:
    """(headline, body) of every published story in the corpus' Markdown."""
    texts = []
    for path in sorted((site / "content").rglob("*.md")):
        source = path.read_text(encoding="utf-8")
        head = FRONT_MATTER.match(source)
        if head is None or "\ndraft: true" in head.group(0):
            continue
        title = re.search(r"^title: (['\"]?)(.*)\1$", head.group(1), re.M)
        texts.append((title.group(2) if title else "", source[head.end() :]))
    return texts


def document_frequency(texts: list[tuple[str, str]]) -> Counter:
    df: Counter = Counter()
    for headline, body in texts:
        df.update(set(WORD.findall(f"{headline} {body}".lower())))
    return df


def published(output: Path) -> list[tuple[str, str]]:
    """(headline, URL path) of every story in focue's search records."""
    rows = []
    for path in sorted((output / "search" / "records").glob("*.json"), key=lambda p: int(p.stem)):
        rows += [(row[0], row[1]) for row in json.loads(path.read_text(encoding="utf-8"))]
    return rows


def headline_words(headline: str) -> list[str]:
    return list(dict.fromkeys(w for w in WORD.findall(headline.lower()) if len(w) >= 4))


def query_words(words: list[str], holders: dict[str, set[int]], df: Counter, count: int):
    """The `count` words (in headline order) that the fewest headlines hold together,
    rarest first among equals; and how many headlines hold them all."""
    best = None
    for chosen in itertools.combinations(words, min(count, len(words))):
        shared = len(set.intersection(*(holders[w] for w in chosen)))
        key = (shared, sum(df[w] for w in chosen), chosen)
        best = key if best is None or key < best else best
    return ([w for w in words if w in best[2]], best[0]) if best else ([], 0)


def with_typo(words: list[str], rng: random.Random) -> list[str] | None:
    """One substitution, deletion or swap of neighbours inside the longest word (5+ letters)."""
    longest = max(words, key=len)
    if len(longest) < 5:
        return None
    at = rng.randrange(1, len(longest) - 2)
    kind = rng.choice(["substitution", "deletion", "transposition"])
    if kind == "transposition" and longest[at] != longest[at + 1]:
        typo = longest[:at] + longest[at + 1] + longest[at] + longest[at + 2 :]
    elif kind == "deletion":
        typo = longest[:at] + longest[at + 1 :]
    else:
        letter = rng.choice([c for c in string.ascii_lowercase if c != longest[at]])
        typo = longest[:at] + letter + longest[at + 1 :]
    return [typo if w == longest else w for w in words]


def query_set(site: Path, output: Path, size: int) -> list[tuple[str, str, str | None, bool]]:
    """(query, expected URL path, query with a typo, whether three headlines or fewer
    hold all its words) for `size` stories picked at random."""
    df = document_frequency(story_texts(site))
    stories = published(output)
    holders: dict[str, set[int]] = {}
    for number, (headline, _) in enumerate(stories):
        for word in headline_words(headline):
            holders.setdefault(word, set()).add(number)
    rng = random.Random(1)
    queries, ambiguous = [], 0
    for headline, url in rng.sample(stories, len(stories)):
        words, shared = query_words(headline_words(headline), holders, df, rng.choice([2, 3]))
        if len(words) < 2:
            continue
        ambiguous += shared > 3
        typo = with_typo(words, rng)
        queries.append((" ".join(words), url, " ".join(typo) if typo else None, shared <= 3))
        if len(queries) == size:
            break
    print(f"query set: {len(queries)} queries, {ambiguous} held whole by 4+ headlines", flush=True)
    return queries


def probe_words(site: Path) -> list[str]:
    """Three common and three rare words of the corpus (5 letters or more, in 2+ stories)."""
    counted = document_frequency(story_texts(site)).most_common()
    ranked = [w for w, n in counted if len(w) >= 5 and n >= 2]
    return ranked[:3] + random.Random(1).sample(ranked[-30:], 3)


# --- the browser ------------------------------------------------------------------------


class Served:
    """A folder served on 127.0.0.1 by focue's preview server (no compression, like most
    local servers; byte ranges answered, as static hosts do)."""

    def __init__(self, root: Path):
        self.root = root
        self.state = PreviewState(root=root)
        self.server = PreviewHTTPServer(("127.0.0.1", 0), self.state)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def gzip_size(self, url: str) -> int:
        path = urlsplit(url).path
        file = self.root / path.lstrip("/")
        if path.endswith("/"):
            file = file / "index.html"
        return len(gzip.compress(file.read_bytes(), 6)) if file.is_file() else 0

    def close(self) -> None:
        self.state.close()
        self.server.shutdown()


class Tab:
    """A fresh page (its own context and cache) that notes every response's body size."""

    engine_path = re.compile("")  # the requests that belong to the search engine

    def __init__(self, browser, served: Served):
        self.page = browser.new_page()
        self.served = served
        self.loaded: list[tuple[str, int]] = []
        self.page.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        if self.engine_path.match(urlsplit(request.url).path):
            whole = request.response().status != 206  # a byte range is sent as it is
            self.loaded.append((request.url, request.sizes()["responseBodySize"], whole))

    def take(self) -> tuple[int, int]:
        """Raw and gzip bytes of the engine's responses since the last take."""
        fetched = self.loaded
        self.loaded = []
        packed = sum(self.served.gzip_size(u) if whole else n for u, n, whole in fetched)
        return sum(n for _, n, _ in fetched), packed

    def close(self) -> None:
        self.page.context.close()


class FocueTab(Tab):
    """focue's own /search/ page and search.js."""

    engine_path = re.compile(r"/search/.+|/static/search\.js$")

    def open(self, query: str) -> None:
        self.page.goto(f"{self.served.base}/search/?q={quote_plus(query)}")
        self._wait()

    def search(self, query: str, count: int = 3) -> list[str]:
        """Type the query into the form (the index stays loaded); the top results' paths."""
        self.page.evaluate("document.querySelector('.search-status').textContent = ''")
        self.page.fill("#search-q", query)
        self.page.click(".search-form button")
        self._wait()
        links = self.page.query_selector_all(".search-result h2 a")[:count]
        return [urlsplit(a.get_attribute("href")).path for a in links]

    def _wait(self) -> None:
        self.page.wait_for_function("document.querySelector('.search-status').textContent !== ''")


class PagefindTab(Tab):
    """A minimal results page: pagefind.search(q), then .data() of the top results."""

    engine_path = re.compile(r"/pagefind/")

    def open(self, query: str) -> None:
        self.page.goto(f"{self.served.base}/pagefind-bench.html")
        self.page.wait_for_function("window.ready === true")
        self.search(query, 10)

    def search(self, query: str, count: int = 3) -> list[str]:
        urls = self.page.evaluate("([q, n]) => window.topUrls(q, n)", [query, count])
        return [urlsplit(u).path for u in urls]


def wire_bytes(browser, served: Served, tab_class: type[Tab], words: list[str], engine: Engine):
    for i, word in enumerate(words):
        tab = tab_class(browser, served)
        tab.open(word)
        engine.first.append(tab.take())
        tab.search(words[(i + 1) % len(words)], 10)
        engine.further.append(tab.take())
        tab.close()


def quality(browser, served: Served, tab_class: type[Tab], queries, engine: Engine) -> None:
    tab = tab_class(browser, served)
    tab.open(queries[0][0])
    for query, url, typo, _ in queries:
        engine.hits.append(url in tab.search(query))
        engine.typo_hits.append(url in tab.search(typo) if typo else None)
    tab.loaded.clear()
    tab.close()


def disagreements(queries, focue: Engine, pagefind: Engine, limit: int = 8) -> list[str]:
    """A few queries that one engine finds in its top three and the other does not."""
    hits = (focue.hits, pagefind.hits, focue.typo_hits, pagefind.typo_hits)
    found = zip(queries, *hits, strict=True)
    lines = []
    for (query, url, typo, _), *pair in found:
        for text, in_focue, in_pagefind in ((query, *pair[:2]), (typo, *pair[2:])):
            if in_focue != in_pagefind and len(lines) < limit:
                lines.append(f"{'focue' if in_focue else 'Pagefind'} only: “{text}” -> {url}")
    return lines


# --- reporting --------------------------------------------------------------------------


def kb(pairs: list[tuple[int, int]]) -> str:
    raw = statistics.median(p[0] for p in pairs) / 1000
    packed = statistics.median(p[1] for p in pairs) / 1000
    return f"{raw:.1f} / {packed:.1f}"


def share(hits: list[bool | None], clear: list[bool]) -> str:
    """Hits among all queries, then among those that single a story out (`clear`)."""
    counted = [hit for hit in hits if hit is not None]
    if not counted:
        return "–"
    single = [hit for hit, alone in zip(hits, clear, strict=True) if alone and hit is not None]
    return (
        f"{100 * sum(counted) / len(counted):.0f}% of {len(counted)} "
        f"({100 * sum(single) / max(1, len(single)):.0f}% of {len(single)})"
    )


def row(size: int, engine: Engine, clear: list[bool]) -> str:
    if not engine.index:
        return f"| {size:,} | {engine.name} | not run or failed (see above) | | | | | | | |"
    wall = statistics.median(s["wall"] for s in engine.index)
    cpu = statistics.median(s["cpu"] for s in engine.index)
    first = kb(engine.first) if engine.first else "–"
    further = kb(engine.further) if engine.further else "–"
    return (
        f"| {size:,} | {engine.name} | {wall:.1f} ({cpu:.1f}) | {100 * engine.share:.0f}% "
        f"| {engine.size[0] / 1e6:.1f} | {engine.size[1]:,} | {first} | {further} "
        f"| {share(engine.hits, clear)} | {share(engine.typo_hits, clear)} |"
    )


def index_copy(output: Path, html: Path, pagefind: Tool) -> list[dict]:
    """Pagefind's run on a copy of focue's output, story pages marked; none if it failed."""
    shutil.rmtree(html, ignore_errors=True)
    shutil.copytree(output, html)
    mark_story_bodies(html)
    try:
        return [timed_build(html, pagefind)]
    except SystemExit as failure:  # at 100,000 stories it ran out of memory here
        print(f"{failure}; exit status in the kernel log (dmesg) if it was killed", flush=True)
        return []


def index_times(
    site: Path, html: Path, runs: int, focue: Tool, pagefind: Tool | None
) -> list[Engine]:
    """Alternate builds with search on and off; Pagefind on a copy of each build without."""
    on, off = Engine("focue"), Engine("pagefind")
    builds: dict[bool, list[dict]] = {True: [], False: []}
    for _ in range(runs):
        builds[False].append(cold_build(site, focue, search=False))
        if pagefind is not None:
            off.index += index_copy(site / focue.output, html, pagefind)
        builds[True].append(cold_build(site, focue, search=True))
    walls = {k: statistics.median(s["wall"] for s in v) for k, v in builds.items()}
    cpus = {k: statistics.median(s["cpu"] for s in v) for k, v in builds.items()}
    on.index = [{"wall": walls[True] - walls[False], "cpu": cpus[True] - cpus[False]}]
    on.share = 1 - walls[False] / walls[True]
    off.share = statistics.median(s["wall"] for s in off.index) / walls[True] if off.index else 0
    print(
        f"focue cold build, median of {runs}: search on {walls[True]:.1f} s wall "
        f"({cpus[True]:.1f} s CPU), off {walls[False]:.1f} s ({cpus[False]:.1f} s CPU)",
        flush=True,
    )
    return [on, off]


def measure(args: argparse.Namespace, size: int, work: Path, pagefind: Tool | None) -> list[str]:
    from playwright.sync_api import sync_playwright

    site, html = work / f"focue-{size}", work / f"pagefind-{size}"
    focue = focue_tool()
    make_corpus(site, size, focue)
    runs = args.runs or (3 if size <= 10_000 else 1)
    words = probe_words(site)
    print(f"probe words: {', '.join(words)}", flush=True)
    engines = index_times(site, html, runs, focue, pagefind)
    output = site / focue.output
    engines[0].size = folder_size(output / "search", skip=("index.html",))
    engines[1].size = folder_size(html / "pagefind")
    for engine in engines:
        print(f"{engine.name} index: {engine.size[0]:,} bytes in {engine.size[1]:,} files")
    ran = [engine for engine in engines if engine.index]
    if engines[1].index:
        (html / "pagefind-bench.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    queries = query_set(site, output, args.queries) if args.queries else []
    servers = [Served(output), Served(html if engines[1].index else output)]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for engine, served, tab in zip(engines, servers, (FocueTab, PagefindTab), strict=True):
            if engine not in ran:
                continue
            wire_bytes(browser, served, tab, words, engine)
            if queries:
                quality(browser, served, tab, queries, engine)
        browser.close()
    for served in servers:
        served.close()
    notes = disagreements(queries, *engines) if queries and len(ran) == 2 else []
    clear = [alone for *_, alone in queries]
    return [row(size, engine, clear) for engine in engines] + [f"<!-- {n} -->" for n in notes]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--runs", type=int, help="cold builds per size (3 at 10,000, 1 above)")
    parser.add_argument("--work", type=Path, help="corpora and Pagefind (default: a temp folder)")
    parser.add_argument("--pagefind", help="a pagefind binary (default: from PyPI into --work)")
    parser.add_argument(
        "--no-pagefind-above", type=int, metavar="N", help="sizes above N: focue alone"
    )
    parser.add_argument("--queries", type=int, default=200, help="stories queried; 0 for none")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="focue-search-"))
    work.mkdir(parents=True, exist_ok=True)
    pagefind = pagefind_tool(work, args.pagefind)
    print(f"focue search against {pagefind_version(pagefind)}; {os.cpu_count()} CPUs\n")
    lines = []
    for size in args.sizes:
        skip = args.no_pagefind_above is not None and size > args.no_pagefind_above
        lines += measure(args, size, work, None if skip else pagefind)
    print("\n" + TABLE_HEADER)
    print("\n".join(line for line in lines if line.startswith("|")))
    print("\n".join(line[5:-4] for line in lines if line.startswith("<!--")))
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
