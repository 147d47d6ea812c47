"""`python -m focue_ssg` runs the `focue` command."""

import sys

from .cli.main import main

sys.exit(main())
