"""Source files to model objects: scan content/, split and read front matter, dates,
Markdown. Parsing a file is a pure function of its path, bytes and parse settings."""
