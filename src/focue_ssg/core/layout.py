"""The names of the site folder's parts, and how a content path is shown to writers."""

from __future__ import annotations

CONTENT_DIR = "content"
ARTICLE_SUFFIX = ".md"
CONFIG_FILE = "focue.toml"
THEMES_DIR = "themes"
STATIC_DIR = "static"
DATA_DIR = "data"
OUTPUT_DIR = "output"
CACHE_DIR = ".focue-cache"
PREVIEW_DIR = ".focue-preview"
# what a build reads or keeps, never a place for its output
SOURCE_DIRS = (CONTENT_DIR, STATIC_DIR, THEMES_DIR, DATA_DIR, CACHE_DIR)


def shown(path: str) -> str:
    """A path relative to content/ as diagnostics print it: relative to the site folder."""
    return f"{CONTENT_DIR}/{path}"
