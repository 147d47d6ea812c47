"""The page static hosts send for a path the site does not have."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..frame import Frame, page_block
from ..kind import Kind, PageSpec
from ..parts import Parts
from ..recipe import Recipe


def not_found_context(frame: Frame) -> dict[str, Any]:
    return page_block(frame, "404", "/404.html", "Page not found")


class NotFoundKind(Kind):
    name = "404"

    def pages(self, parts: Parts, earlier: Sequence[PageSpec]) -> list[PageSpec]:
        return [self.spec("404.html", "404.html")]

    def recipe(self, spec: PageSpec, parts: Parts) -> Recipe:
        return Recipe(not_found_context, parts.frame)
