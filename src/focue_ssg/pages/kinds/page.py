"""Standalone pages (About, Contact, a corrections policy): at their own URL, in
sitemap.xml, and in no list, feed or archive."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from ...core.layout import shown
from ...core.text import isoformat
from ...model.page import Page
from ...model.pictures import Rendition
from ..frame import Frame, page_block
from ..kind import Kind, PageSpec, SitemapEntry
from ..parts import Parts
from ..pictures import image_dict
from ..recipe import Recipe
from ..urls import output_file, page_path


def page_context(
    frame: Frame, page: Page, body: Markup, link: str, lead: Rendition | None
) -> dict[str, Any]:
    urls = frame.urls
    context = page_block(
        frame,
        "page",
        link,
        page.title,
        description=page.summary or None,
        noindex=page.noindex,
        canonical=page.canonical or urls.absolute(link),
    )
    context["content"] = {
        "title": page.title,
        "url": urls.link(link),
        "summary": page.summary,
        "body": body,
        "updated": page.updated,
        "updated_iso": isoformat(page.updated) if page.updated else None,
        "image": image_dict(urls, page.image, lead),
        "path": page.path,
        "slug": page.slug,
        "draft": page.draft,
        "extra": page.extra,
    }
    return context


class StandalonePageKind(Kind):
    name = "page"

    def pages(self, parts: Parts, earlier: Sequence[PageSpec]) -> list[PageSpec]:
        links = parts.site.permalinks
        return [
            self.spec(output_file(links[p.path]), "page.html", (p.path,), source=shown(p.path))
            for p in parts.site.pages
        ]

    def recipe(self, spec: PageSpec, parts: Parts) -> Recipe:
        (path,) = spec.params
        link = parts.site.permalinks[path]
        lead = parts.site.pictures.lead.get(path)
        return Recipe(page_context, parts.frame, parts.article(path), parts.body(path), link, lead)

    def shows_body_of(self, spec: PageSpec, parts: Parts, paths: frozenset[str]) -> bool:
        return spec.params[0] in paths

    def sitemap_entry(self, spec: PageSpec, parts: Parts) -> SitemapEntry | None:
        """Only a date the writer gave: a page has no other, and the build's time or a
        file's mtime would claim changes that never happened."""
        page = parts.site.page_by_path[spec.params[0]]
        return (page_path(spec.output), page.updated) if page.indexable else None
