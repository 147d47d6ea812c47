"""A small fixture site whose whole output is compared byte for byte with tests/fixtures/golden/output.

After an intended change to templates or output, regenerate the expected tree with
FOCUE_UPDATE_GOLDEN=1 scripts/test tests/test_golden.py and review the diff.
"""

import os
import shutil
from datetime import UTC, datetime

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
    expected = contents(GOLDEN / "output")
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name].decode() == expected[name].decode(), name
