"""A small fixture site whose whole output is compared byte for byte with tests/fixtures/golden/output.

After an intended change to templates or output, regenerate the expected tree with
FOCUE_UPDATE_GOLDEN=1 scripts/test tests/test_golden.py, review the diff, and run the
test again without the switch: it fails while the switch is set, so a run that
rewrites the expected output can never count as a pass.
"""

import os
import shutil
from datetime import UTC, datetime

import pytest
from conftest import FIXTURES, contents

from focue_ssg.pipeline import BuildOptions, build

GOLDEN = FIXTURES / "golden"


def test_output_matches_the_golden_tree(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(GOLDEN / "site", site)
    result = build(BuildOptions(site_dir=site, now=datetime(2026, 1, 1, tzinfo=UTC)))
    assert result.ok, [d.format() for d in result.diagnostics]
    assert result.diagnostics == ()
    actual = contents(site / "output")
    if os.environ.get("FOCUE_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN / "output", ignore_errors=True)
        shutil.copytree(site / "output", GOLDEN / "output")
        pytest.fail("the golden output was rewritten; review it, then run without the switch")
    expected = contents(GOLDEN / "output")
    assert len(expected) > 40
    assert sorted(actual) == sorted(expected)
    differing = [name for name in expected if actual[name] != expected[name]]
    assert differing == []
