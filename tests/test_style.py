"""The code follows the project's ruff configuration (lint and format)."""

import importlib.util
import subprocess
import sys

import pytest
from conftest import REPO

PATHS = [
    "src",
    "tests",
    "benchmarks/bench.py",
    "benchmarks/bench_serve.py",
    "benchmarks/bench_images.py",
    "benchmarks/bench_search.py",
    "benchmarks/bench_search_edits.py",
    "benchmarks/bench_cluster.py",
    "benchmarks/fuzz.py",
    "benchmarks/long_runs.py",
    "benchmarks/odd_values.py",
    "benchmarks/odd_options.py",
]
RUFF = [sys.executable, "-m", "ruff"]


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff is in the test extra")
def test_ruff_lint_and_format_are_clean():
    lint = subprocess.run([*RUFF, "check", *PATHS], cwd=REPO, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
    fmt = subprocess.run(
        [*RUFF, "format", "--check", *PATHS], cwd=REPO, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout
