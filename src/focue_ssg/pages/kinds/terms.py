"""The index of every tag, section and author, with how many stories each has."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...model.paths import term_index_link
from ..frame import Frame, page_block
from ..kind import Kind, PageSpec, SitemapEntry
from ..parts import Parts
from ..recipe import Recipe, Value
from ..urls import output_file, page_path


def terms_context(frame: Frame, kind: str, link: str, title: str, terms: list) -> dict[str, Any]:
    context = page_block(frame, kind, link, title)
    context["terms"] = terms
    return context


class TermsKind(Kind):
    name = "terms"

    def pages(self, parts: Parts, earlier: Sequence[PageSpec]) -> list[PageSpec]:
        return [
            self.spec(output_file(term_index_link(t)), f"{t.folder}.html", (t.folder,))
            for t in parts.site.taxonomies
        ]

    def recipe(self, spec: PageSpec, parts: Parts) -> Recipe:
        (folder,) = spec.params
        taxonomy = next(t for t in parts.site.taxonomies if t.folder == folder)
        terms = [
            {**parts.term_ref(taxonomy, term), "count": len(term.articles)}
            for term in taxonomy.terms
        ]
        link = term_index_link(taxonomy)
        return Recipe(terms_context, parts.frame, folder, link, folder.title(), Value(terms))

    def sitemap_entry(self, spec: PageSpec, parts: Parts) -> SitemapEntry:
        return page_path(spec.output), parts.newest_change()
