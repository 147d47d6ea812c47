"""`python -m focue_ssg` runs the `focue` command."""

from .cli.main import run

run()
