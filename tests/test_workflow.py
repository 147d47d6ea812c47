"""Writer and CI workflow (issue 6): init, new, check, reports, scheduling, sub-paths, CI."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from conftest import REPO, article, contents, copy_sample, snapshot, write_files

from focue_ssg.cli.report import TerminalProgress

NOW = "2026-01-01T00:00:00+00:00"


def test_init_and_new_make_a_site_that_builds(tmp_path, focue):
    site = tmp_path / "paper"
    assert focue("init", str(site), "--now", NOW).code == 0
    for name in ("focue.toml", ".gitignore", "themes/focue/README.md", "archetypes/article.md"):
        assert (site / name).is_file(), name
    config = (site / "focue.toml").read_text()
    assert "# timezone = " in config and "# page_size = 10" in config and "# require = []" in config
    result = focue(
        "new",
        "Markets Rally: What’s “Next”?",
        "--section",
        "Markets",
        "--tags",
        "Stocks, Rates",
        "--author",
        "Ann Writer",
        "--site",
        str(site),
        "--now",
        NOW,
    )
    assert result.code == 0, result.err
    path = Path(result.out.strip())
    assert path == site / "content/2026/01/markets-rally-whats-next.md"
    built = focue("build", str(site), "--strict", "--now", "2026-01-02T00:00:00+00:00")
    assert built.code == 0, built.err
    page = (site / "output/2026/01/01/markets-rally-whats-next/index.html").read_text()
    assert "Markets Rally: What’s “Next”?" in page and 'href="/tags/stocks/"' in page
    assert (site / "output/2026/01/01/welcome-to-your-newsroom/index.html").is_file()


def test_init_refuses_to_overwrite(tmp_path, focue):
    (tmp_path / "focue.toml").write_text("title = 'Mine'\n")
    before = snapshot(tmp_path)
    result = focue("init", str(tmp_path))
    assert result.code == 1
    assert "focue.toml: error: already exists; focue init never overwrites" in result.err
    assert snapshot(tmp_path) == before


def test_new_uses_the_site_time_zone_a_custom_template_and_never_overwrites(site, focue):
    site.write(
        {
            "focue.toml": 'timezone = "Asia/Tokyo"\n',
            "archetypes/article.md": '---\ntitle: {{ title | yaml }}\ndate: {{ date }}\ndesk: "{{ section }}"\ndraft: {{ draft | yaml }}\n---\n\nHouse style.\n',
        }
    )
    args = (
        "new",
        "Late Night Story",
        "--site",
        str(site.root),
        "--now",
        "2023-10-31T20:00:00+00:00",
        "--draft",
    )
    first = focue(*args)
    assert first.code == 0
    path = site.root / "content/2023/11/late-night-story.md"
    assert first.out.strip() == str(path)
    text = path.read_text()
    assert "date: 2023-11-01 05:00" in text and "draft: true" in text and "House style." in text
    again = focue(*args)
    assert again.code == 1 and "already exists" in again.err
    assert path.read_text() == text


@pytest.fixture
def broken_site(site):
    return site.write(
        {
            "content/a.md": article(
                "Alpha",
                "2023-10-17 07:45",
                "See [missing](/nowhere/) and ![pic](/images/none.jpg).",
                slug="same",
                tagz=["x"],
            ),
            "content/b.md": article(
                "Beta", "2023-10-17 09:00", "Text.\n\nRead More: [Gone](gone.md)", slug="same"
            ),
            "content/c.md": article(
                "Gamma", "2023-10-16 09:00", "Fine.", image="images/missing.jpg"
            ),
        }
    )


def test_check_names_every_problem_and_fails(broken_site, focue):
    result = focue("check", str(broken_site.root), "--now", NOW)
    assert result.code == 1
    err = result.err
    assert re.search(
        r"content/a\.md:\d+: error: URL /2023/10/17/same/ is also the URL of content/b\.md", err
    )
    assert "content/a.md:5:7: warning: unknown field 'tagz' (did you mean 'tags'?)" in err
    assert "content/a.md:8:15: warning: link '/nowhere/' points at nothing on the site" in err
    assert (
        "content/a.md:8:37: error: image '/images/none.jpg' not found (looked for static/images/none.jpg)"
        in err
    )
    assert "content/b.md:9:19: warning: Read More link 'gone.md' matches no article" in err
    assert (
        "content/c.md:4: error: image 'images/missing.jpg' not found (looked for "
        "content/images/missing.jpg and static/images/missing.jpg)" in err
    )
    assert not broken_site.output.exists()


def test_check_json_is_for_tools(broken_site, focue):
    result = focue("check", str(broken_site.root), "--now", NOW, "--format", "json")
    assert result.code == 1
    data = json.loads(result.out)
    assert data["ok"] is False
    first = data["diagnostics"][0]
    assert set(first) == {"path", "line", "column", "severity", "message"}
    assert {d["severity"] for d in data["diagnostics"]} == {"error", "warning"}


def test_check_passes_a_clean_site_and_strict_fails_on_warnings(site, focue):
    site.write(
        {
            "content/a.md": article(
                "Alpha", "2023-10-17 07:45", "See [beta](b.md) and [the front page](/)."
            ),
            "content/b.md": article("Beta", "2023-10-16 07:45", "Text."),
        }
    )
    ok = focue("check", str(site.root), "--now", NOW)
    assert ok.code == 0, ok.err
    assert "Check passed: 0 errors, 0 warnings" in ok.out
    site.write({"content/c.md": article("Gamma", "2023-10-15 07:45", "[x](/missing/)")})
    assert focue("check", str(site.root), "--now", NOW).code == 0
    assert focue("check", str(site.root), "--now", NOW, "--strict").code == 1


def test_check_finds_template_errors_and_required_fields(site, focue):
    site.write(
        {
            "focue.toml": 'require = ["image", "summary"]\n',
            "content/a.md": article("Alpha", "2023-10-17 07:45", summary="Set."),
            "themes/focue/templates/404.html": "{{ nothing.here }}",
        }
    )
    result = focue("check", str(site.root), "--now", NOW)
    assert result.code == 1
    assert "content/a.md:1: error: image is required (focue.toml: require)" in result.err
    assert "summary is required" not in result.err
    site.write(
        {
            "content/a.md": article(
                "Alpha", "2023-10-17 07:45", summary="Set.", image="https://cdn.example/a.jpg"
            )
        }
    )
    result = focue("check", str(site.root), "--now", NOW)
    assert (
        "themes/focue/templates/404.html:1: error: UndefinedError: 'nothing' is undefined"
        in result.err
    )


def test_the_report_has_counts_timings_diagnostics_and_the_next_rebuild(site, focue, tmp_path):
    site.write(
        {
            "content/old.md": article("Old Story", "2023-10-17 07:45", "x\n\nRead More: Nothing"),
            "content/later.md": article("Scheduled Story", "2026-06-01T09:00:00+00:00"),
        }
    )
    report_file = tmp_path / "report.json"
    result = focue("build", str(site.root), "--now", NOW, "--report", str(report_file))
    assert result.code == 0
    assert "next rebuild due 2026-06-01T09:00:00Z" in result.out
    report = json.loads(report_file.read_text())
    assert report["ok"] is True and report["next_rebuild_at"] == "2026-06-01T09:00:00Z"
    assert report["counts"]["articles"] == 1
    assert (
        report["counts"]["by kind"]["article"] == 1 and report["counts"]["by kind"]["feed"] == 3
    )  # the site's two, and the corrections feed
    assert set(report["timings"]) >= {"load", "plan", "render", "write", "total"}
    assert report["warnings"] == 1 and report["diagnostics"][0]["line"] == 8
    assert report["files"]["written"] == len(report["files"]["written_paths"]) > 0
    again = focue("build", str(site.root), "--now", NOW, "--report", str(report_file))
    assert json.loads(report_file.read_text())["files"]["written"] == 0
    assert again.code == 0


def test_a_failed_build_still_writes_its_report(site, focue, tmp_path):
    site.write({"content/bad.md": "---\ntitle: x\n---\n"})
    report_file = tmp_path / "report.json"
    assert focue("build", str(site.root), "--report", str(report_file)).code == 1
    report = json.loads(report_file.read_text())
    assert report["ok"] is False and report["errors"] == 1


def test_a_scheduled_article_appears_exactly_when_now_passes_its_date(site, focue):
    site.write({"content/a.md": article("Timed Story", "2026-06-01T09:00:00+00:00")})
    focue("build", str(site.root), "--now", "2026-06-01T08:59:59+00:00")
    assert "Timed Story" not in site.page("index.html")
    focue("build", str(site.root), "--now", "2026-06-01T09:00:00+00:00")
    assert "Timed Story" in site.page("index.html")


def test_an_expired_article_is_taken_down(site, focue, tmp_path):
    site.write(
        {
            "content/a.md": article(
                "Short-Lived", "2026-01-01 00:00", expires="2026-02-01T00:00:00+00:00"
            ),
            "content/b.md": article("Evergreen", "2025-01-01 00:00"),
        }
    )
    report_file = tmp_path / "r.json"
    focue(
        "build", str(site.root), "--now", "2026-01-15T00:00:00+00:00", "--report", str(report_file)
    )
    assert "Short-Lived" in site.page("index.html")
    assert json.loads(report_file.read_text())["next_rebuild_at"] == "2026-02-01T00:00:00Z"
    focue("build", str(site.root), "--now", "2026-02-01T00:00:00+00:00")
    assert "Short-Lived" not in site.page("index.html")
    assert not (site.output / "2026/01/01/short-lived").exists()


def test_source_date_epoch_builds_are_identical_in_different_folders(tmp_path):
    outputs = []
    for name in ("one", "two"):
        target = tmp_path / name / "site"
        shutil.copytree(REPO / "tests/fixtures/golden/site", target)
        env = {"SOURCE_DATE_EPOCH": "1767225600", "PYTHONHASHSEED": "1" if name == "one" else "2"}
        subprocess.run(
            [sys.executable, "-m", "focue_ssg", "build", str(target)],
            check=True,
            env=env,
            capture_output=True,
        )
        outputs.append(contents(target / "output"))
    assert outputs[0] == outputs[1]
    assert "sitemap.xml" in outputs[0] and "atom.xml" in outputs[0]


def links_in(text: str) -> list[str]:
    return re.findall(r'(?:href|src|url)="([^"]*)"|<(?:loc|link|id)>([^<]*)<', text)


def test_a_sub_path_site_keeps_every_internal_link_inside_its_path(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(REPO / "tests/fixtures/golden/site", site)
    config = site / "focue.toml"
    config.write_text(
        re.sub(r'base_url = ".*"', 'base_url = "https://example.org/news/"', config.read_text())
    )
    (site / "content/2023/10/moved.md").write_text(
        article("Moved Story", "2023-10-10 10:00", aliases=["/old/moved/"])
    )
    subprocess.run(
        [sys.executable, "-m", "focue_ssg", "build", str(site), "--now", NOW],
        check=True,
        capture_output=True,
    )
    output = site / "output"
    checked = 0
    for path in output.rglob("*"):
        if path.suffix not in (".html", ".xml", ".txt"):
            continue
        page_url = "https://example.org/news/" + path.relative_to(output).as_posix()
        for pair in links_in(path.read_text()):
            link = pair[0] or pair[1]
            if (
                not link
                or link.startswith(("#", "mailto:"))
                or urlsplit(link).netloc not in ("", "example.org")
            ):
                continue
            target = urlsplit(urljoin(page_url, link)).path
            assert target.startswith("/news/"), (path, link)
            rel = target[len("/news/") :]
            assert (output / rel).is_file() or (output / rel / "index.html").is_file(), (path, link)
            checked += 1
    assert checked > 200


def test_redirect_rules_for_netlify_and_cloudflare(site):
    site.write(
        {
            "focue.toml": 'base_url = "https://example.org/news/"\nredirects_file = true\n',
            "content/a.md": article(
                "Renamed", "2023-10-17 07:45", aliases=["/news/2021/05/old-name/", "/legacy/1.html"]
            ),
        }
    )
    assert site.build().ok
    rules = site.page("_redirects")
    assert "/news/2021/05/old-name/ /news/2023/10/17/renamed/ 301" in rules
    assert "/news/legacy/1.html /news/2023/10/17/renamed/ 301" in rules
    assert not (site.output / "legacy/1.html").exists()


def test_progress_shows_only_on_terminals_after_a_second():
    clock = iter([0.0, 0.5, 1.5, 1.7, 3.0])
    stream = io.StringIO()
    progress = TerminalProgress(stream, enabled=True, clock=lambda: next(clock))
    progress("parsing", 10, 100)  # 0.5 s: too early
    progress("parsing", 50, 100)  # 1.5 s
    progress("rendering", 100, 100)  # 1.7 s, but the last step always shows
    progress.finish()
    assert stream.getvalue() == "\r\x1b[Kparsing 50/100\r\x1b[Krendering 100/100\r\x1b[K"
    quiet = io.StringIO()
    TerminalProgress(quiet, enabled=False, clock=lambda: 5.0)("parsing", 1, 2)
    assert quiet.getvalue() == ""


def test_quiet_and_verbose(site, focue):
    site.write({"content/a.md": article("Alpha")})
    loud = focue("build", str(site.root), "--now", NOW, "--verbose")
    assert "wrote 2023/10/17/alpha/index.html" in loud.out and "Built 1 article" in loud.out
    site.write({"content/a.md": article("Alpha", body="Changed.")})
    quiet = focue("build", str(site.root), "--now", NOW, "--quiet")
    assert quiet.out == "" and quiet.err == ""


def test_the_github_pages_workflow_builds_strictly_and_publishes_output(tmp_path):
    workflow = yaml.safe_load((REPO / "examples/github-pages.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert "focue check --strict" in runs
    assert any(r.startswith("focue build --strict") for r in runs)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "output"
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")
    site = copy_sample(tmp_path / "site")
    for command in ("focue check --strict", "focue build --strict --report build-report.json"):
        argv = [sys.executable, "-m", "focue_ssg", *command.split()[1:]]
        result = subprocess.run(
            argv, cwd=site, capture_output=True, text=True, env={"SOURCE_DATE_EPOCH": "1767225600"}
        )
        assert result.returncode == 0, (command, result.stderr)
    assert (site / "output/index.html").is_file() and (site / "build-report.json").is_file()


@pytest.mark.parametrize(
    ("sample", "configured"), [(False, "example.org"), (True, "https://focue.example.com")]
)
def test_base_url_on_the_command_line_changes_every_absolute_url(
    tmp_path, focue, sample, configured
):
    """Deploy previews: --base-url overrides focue.toml's, and no URL of the
    configured address is left in any file, on a fixture and on the sample site."""
    site = tmp_path / "site"
    if sample:
        copy_sample(site)
    else:
        shutil.copytree(REPO / "tests/fixtures/golden/site", site)
    preview = "https://pr-42.preview.example.net/pr/42/"
    result = focue("build", str(site), "--now", NOW, "--base-url", preview)
    assert result.code == 0, result.err
    output = site / "output"
    files = [p for p in output.rglob("*") if p.suffix in (".html", ".xml", ".txt")]
    assert len(files) > 40
    absolute = 0
    for path in files:
        text = path.read_text()
        assert configured not in text, path
        absolute += text.count(preview)
        for pair in links_in(text):
            link = pair[0] or pair[1]
            if link.startswith("/"):
                assert link.startswith("/pr/42/"), (path, link)
    assert absolute > 100
    check = focue("check", str(site), "--now", NOW, "--base-url", preview)
    assert check.code == 0, check.err


def test_a_base_url_that_is_not_one_is_a_usage_error(tmp_path, focue):
    write_files(tmp_path, {"content/a.md": article("A")})
    result = focue("build", str(tmp_path), "--base-url", "ftp://example.org/")
    assert result.code == 2
    assert "--base-url: 'ftp://example.org/' must be an http(s) URL" in result.err
