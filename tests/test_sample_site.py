"""The repository's own sample site: the seed article and its cross-links (issue 2, done-when 1)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NOW_ARG, contents, copy_sample

SEED = "2023/10/17/will-xi-jinpings-gamble-on-vladimir-putin-pay-off/index.html"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    site = copy_sample(tmp_path_factory.mktemp("sample"))
    result = subprocess.run(
        [sys.executable, "-m", "focue_ssg", "build", str(site), "--strict", "--now", NOW_ARG],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return site / "output"


def test_seed_page_shows_headline_time_and_contributors(sample):
    page = (sample / SEED).read_text()
    assert (
        '<h1 id="article-headline">Will Xi Jinping’s Gamble on Vladimir Putin Pay Off?</h1>' in page
    )
    assert '<time datetime="2023-10-17T07:45:00+08:00">17 October 2023, 07:45 CST</time>' in page
    assert "With assistance from Clara Ferreira Marques, Sarah Chen" in page
    assert "Fran Wang and Xiao Zibang.</p>" in page
    assert "--With assistance" not in page
    assert 'Republished from <a href="https://www.bloomberg.com/">Bloomberg</a>' in page


def test_seed_tag_links_work(sample):
    page = (sample / SEED).read_text()
    tags = re.findall(r'<a href="(/tags/[^"]+)" rel="tag">', page)
    assert len(tags) == 5
    for link in tags:
        listing = (sample / link.lstrip("/") / "index.html").read_text()
        assert "Will Xi Jinping’s Gamble on Vladimir Putin Pay Off?" in listing


def test_seed_read_more_lines_link_to_those_stories(sample):
    page = (sample / SEED).read_text()
    links = re.findall(
        r'<p class="read-more"><span class="read-more-label">Read More:</span> <a href="([^"]+)">([^<]+)</a></p>',
        page,
    )
    assert [title for _, title in links] == [
        "Why Deepening China-Russia Ties Worry Democracies: QuickTake",
        "Xi’s $1 Trillion ‘Project of the Century’ Gets a Reality Check",
    ]
    for href, title in links:
        target = (sample / href.lstrip("/") / "index.html").read_text()
        assert f'<h1 id="article-headline">{title.replace("’", "’")}</h1>' in target
        assert "Will Xi Jinping’s Gamble on Vladimir Putin Pay Off?" in target  # backlink


def test_every_internal_link_resolves(sample):
    pages = links = 0
    for page in sample.rglob("*.html"):
        pages += 1
        for href in re.findall(r'(?:href|src)="(/[^"#?]*)', page.read_text()):
            target = sample / href.lstrip("/")
            assert target.is_file() or (target / "index.html").is_file(), (page, href)
            links += 1
    assert pages > 50 and links > 1000


def test_the_draft_is_not_published(sample):
    pages = list(sample.rglob("*.html"))
    assert len(pages) > 50
    assert "Northern Sea Route" not in "".join(p.read_text() for p in pages)


def test_builds_are_byte_identical_across_folders_and_hash_seeds(tmp_path, sample):
    outputs = []
    for seed in ("1", "2"):
        site = tmp_path / f"copy-{seed}"
        shutil.copytree(sample.parent, site, ignore=shutil.ignore_patterns("output"))
        env = {"PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1767225600", "PATH": ""}
        subprocess.run(
            [sys.executable, "-m", "focue_ssg", "build", str(site)],
            check=True,
            env=env,
            capture_output=True,
        )
        outputs.append(contents(site / "output"))
    assert len(outputs[0]) > 120
    assert outputs[0] == outputs[1]
    assert outputs[0] == contents(sample)
