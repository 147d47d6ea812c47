"""Page contexts to bytes: the theme, the Jinja environment, structured data."""
