#!/usr/bin/env python3
"""How many of the search index's files an edit rewrites, by kind of edit.

    python benchmarks/bench_search_edits.py [SITE | --articles N] [--edits 6] [--work DIR]

Builds the site (or a generated corpus of N articles, make_corpus.py, seed 1), then,
for each kind of edit, makes `--edits` edits of random published stories (seed 11),
each built and then undone and built again, and counts the files under
output/search/ whose bytes changed, appeared or went (the search page itself left
out). The kinds: a word of the body replaced by another word of it; a figure changed;
the headline changed; a sentence from another story appended. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench import focue_tool, make_corpus

Edit = Callable[[str, random.Random, list[Path]], str]
FRONT_END = "\n---\n"


def search_files(site: Path) -> dict[str, str]:
    folder = site / "output/search"
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "index.html"
    }


def split(text: str) -> tuple[str, str]:
    head, _, body = text.partition(FRONT_END)
    return head + FRONT_END, body


def a_word(text: str, rng: random.Random, _: list[Path]) -> str:
    head, body = split(text)
    words = list(re.finditer(r"\b[a-z]{5,}\b", body))
    if not words:
        return text
    at, other = rng.choice(words), rng.choice(words).group()
    return head + body[: at.start()] + other + body[at.end() :]


def a_figure(text: str, rng: random.Random, _: list[Path]) -> str:
    head, body = split(text)
    figures = list(re.finditer(r"\b\d+\b", body))
    if not figures:
        return text.rstrip() + "\n\nThe figure was 4.\n"
    at = rng.choice(figures)
    return head + body[: at.start()] + str(int(at.group()) + 1) + body[at.end() :]


def the_headline(text: str, rng: random.Random, _: list[Path]) -> str:
    title = r"^title: (['\"]?)(.*)\1$"
    return re.sub(title, r"title: \1\2 (Updated)\1", text, count=1, flags=re.M)


def a_sentence(text: str, rng: random.Random, stories: list[Path]) -> str:
    _, other = split(rng.choice(stories).read_text(encoding="utf-8"))
    paragraphs = [p for p in other.split("\n\n") if len(p) > 80 and p[0].isalpha()]
    if not paragraphs:
        return text.rstrip() + "\n\nOfficials confirmed the figures late on Friday.\n"
    return text.rstrip() + "\n\n" + rng.choice(paragraphs).split(". ")[0] + ".\n"


KINDS: dict[str, Edit] = {
    "a word replaced by another": a_word,
    "a figure changed": a_figure,
    "the headline changed": the_headline,
    "a sentence of another story appended": a_sentence,
}


def published(story: Path) -> bool:
    return "\ndraft: true" not in story.read_text(encoding="utf-8")


def build(site: Path) -> None:
    out = subprocess.DEVNULL
    subprocess.run(focue_tool().command, cwd=site, check=True, stdout=out, stderr=out)


def rewritten(site: Path, story: Path, edited: str) -> int:
    """Files of the index that one edit rewrote; the story is put back after."""
    before, text = search_files(site), story.read_text(encoding="utf-8")
    story.write_text(edited, encoding="utf-8")
    try:
        build(site)
        after = search_files(site)
    finally:
        story.write_text(text, encoding="utf-8")
        build(site)
    return sum(before.get(name) != digest for name, digest in after.items()) + len(
        before.keys() - after.keys()
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, nargs="?", help="a site folder (else --articles)")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=6, help="edits of each kind")
    parser.add_argument("--work", type=Path, help="where a generated corpus goes")
    args = parser.parse_args()
    site = args.site
    if site is None:
        site = (args.work or Path(tempfile.mkdtemp(prefix="focue-edits-"))) / "site"
        make_corpus(site, args.articles, focue_tool())
    build(site)
    build(site)  # sources hashed once more: their stats are trusted from now on
    stories = [p for p in sorted((site / "content").rglob("*.md")) if published(p)]
    rng = random.Random(11)
    print("| edit | index files rewritten, median (min–max) | each |\n|---|---|---|")
    for name, edit in KINDS.items():
        counts = []
        for _ in range(args.edits):
            story = rng.choice(stories)
            counts.append(rewritten(site, story, edit(story.read_text(), rng, stories)))
        low, high = min(counts), max(counts)
        print(f"| {name} | {statistics.median(counts):g} ({low}–{high}) | {sorted(counts)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
