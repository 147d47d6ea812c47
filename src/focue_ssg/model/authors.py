"""What the site knows about an author besides the name articles write."""

from __future__ import annotations

from dataclasses import dataclass

FIELDS = ("name", "bio", "url", "image")


@dataclass(frozen=True)
class AuthorInfo:
    name: str | None = None  # shown instead of the name as articles write it
    bio: str | None = None
    url: str | None = None
    image: str | None = None
