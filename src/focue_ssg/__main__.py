"""`python -m focue_ssg` runs the `focue` command."""

import sys

from .cli import main

sys.exit(main())
