"""focue_ssg: a static site generator for news publishing."""

__version__ = "0.1.0"
