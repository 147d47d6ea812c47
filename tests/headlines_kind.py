"""A kind of page added from this one module (tests/test_new_kind.py registers it):
each section's newest headlines as JSON, at /sections/<slug>/headlines.json."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from focue_ssg.model.paths import term_link
from focue_ssg.pages.kind import Kind, PageSpec
from focue_ssg.pages.parts import Parts
from focue_ssg.pages.recipe import Recipe
from focue_ssg.pages.urls import output_file

NEWEST = 3
TEMPLATE = "headlines.json"


def headlines_context(section: str, cards: tuple) -> dict[str, Any]:
    stories = [{"title": c["title"], "url": c["url"], "date": c["date_iso"]} for c in cards]
    return {"section": section, "stories": stories}


class HeadlinesKind(Kind):
    name = "headlines"

    def pages(self, parts: Parts, earlier: Sequence[PageSpec]) -> list[PageSpec]:
        sections = parts.site.sections
        return [
            self.spec(output_file(term_link(sections, term) + TEMPLATE), TEMPLATE, (term.key,))
            for term in sections.terms
        ]

    def recipe(self, spec: PageSpec, parts: Parts) -> Recipe:
        term = parts.site.sections.by_key[spec.params[0]]
        return Recipe(headlines_context, term.name, parts.cards(term.articles[:NEWEST]))
