"""The `focue` command line."""
