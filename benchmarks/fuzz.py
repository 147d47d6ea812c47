#!/usr/bin/env python3
"""The property-based tests of tests/test_fuzz.py, run for longer than CI runs them.

    python benchmarks/fuzz.py [--examples 2000] [--seed N]

Each example writes one to three Markdown files of Hypothesis's making (front matter of
every YAML type or broken, bodies of Markdown syntax, odd encodings) beside a good story
and builds: no traceback, the exit code the README promises, the previous output
untouched on an error, every file accounted for. Prints pytest's summary; a failure
shows the smallest example Hypothesis found.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--seed", type=int, help="Hypothesis's seed (default: random)")
    args = parser.parse_args()
    env = {**os.environ, "FOCUE_FUZZ_EXAMPLES": str(args.examples)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += [str(ROOT / "tests/test_fuzz.py")]
    if args.seed is not None:
        command.append(f"--hypothesis-seed={args.seed}")
    return subprocess.run(command, cwd=ROOT / "tests", env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
