"""The site's settings: typed, with defaults, validated, documented in one place."""
