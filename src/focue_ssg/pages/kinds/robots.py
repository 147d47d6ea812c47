"""robots.txt: where crawlers find the sitemaps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..frame import Frame
from ..kind import Kind, PageSpec
from ..parts import Parts
from ..recipe import Recipe
from .sitemap import sitemap_files


def robots_context(frame: Frame, files: tuple[str, ...]) -> dict[str, Any]:
    return {**frame.common, "sitemaps": [frame.urls.absolute(name) for name in files]}


class RobotsKind(Kind):
    name = "robots"

    def pages(self, parts: Parts, earlier: Sequence[PageSpec]) -> list[PageSpec]:
        return [self.spec("robots.txt", "robots.txt")]

    def recipe(self, spec: PageSpec, parts: Parts) -> Recipe:
        return Recipe(robots_context, parts.frame, sitemap_files(parts))
