"""The Nu HTML Checker reports zero errors on the sample site (issue 2, done-when 4).

Needs Java and vnu.jar; scripts/test fetches the checker and sets FOCUE_VNU_JAR.
"""

import os
import shutil
import subprocess
import sys

import pytest
from conftest import FIXTURES, NOW_ARG, copy_sample

VNU = os.environ.get("FOCUE_VNU_JAR", "")
pytestmark = pytest.mark.skipif(
    not (VNU and os.path.isfile(VNU) and shutil.which("java")),
    reason="the Nu HTML Checker needs Java and FOCUE_VNU_JAR (scripts/test sets it up)",
)


def build_copy(source, target, *flags):
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("output"))
    subprocess.run(
        [sys.executable, "-m", "focue_ssg", "build", str(target), "--now", NOW_ARG, *flags],
        check=True,
        capture_output=True,
    )
    return target / "output"


def nu_errors(folder) -> str:
    result = subprocess.run(
        ["java", "-jar", VNU, "--errors-only", "--format", "text", "--skip-non-html", str(folder)],
        capture_output=True,
        text=True,
    )
    return "" if result.returncode == 0 else result.stdout + result.stderr


def test_sample_site_and_fixtures_have_no_html_errors(tmp_path):
    sample = copy_sample(tmp_path / "sample")
    subprocess.run(
        [sys.executable, "-m", "focue_ssg", "build", str(sample), "--now", NOW_ARG, "--drafts"],
        check=True,
        capture_output=True,
    )
    golden = build_copy(FIXTURES / "golden/site", tmp_path / "golden")
    # the checker passes a folder with no pages in it: make sure it has pages to check
    assert len(list((sample / "output").rglob("*.html"))) > 50
    assert len(list(golden.rglob("*.html"))) > 15
    assert nu_errors(sample / "output") == ""
    assert nu_errors(golden) == ""
