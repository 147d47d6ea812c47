"""What a kind of page is: which pages of it exist, the recipe of each one's context,
and what the rest of the site (sitemaps, counts, collisions) says of them.

A kind is a stateless object; what it works out once per plan lives in `Parts`.
Its recipe is all the framework needs: the page's key is the recipe's digest, its
context the recipe's value, so the two cannot disagree (see recipe.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from .parts import Parts
from .recipe import Node

SitemapEntry = tuple[str, datetime | None]  # (site path, when its content last changed)


@dataclass(frozen=True)
class PageSpec:
    """A page before its context is made: where it goes, and what makes it."""

    output: str  # path inside the output folder, '/'-separated
    template: str
    kind: Kind
    params: tuple  # what the kind needs to find the page's inputs
    label: str  # its kind as counts and templates name it ('article', 'tag', '404')
    source: str | None = None  # the content file it is made from, for diagnostics
    written: bool = True  # False: the path is the site's (nothing else may use it), unwritten


@dataclass(frozen=True)
class PagePlan:
    """A page with its context, ready to render."""

    output: str
    template: str
    context: dict[str, Any]
    source: str | None = None


class Kind:
    """One kind of page. Subclasses set `name` and implement `pages` and `recipe`."""

    name: ClassVar[str]
    summary_groups: ClassVar[tuple[str, ...]] = ()  # the summary line's counts it adds to
    collision_subject: ClassVar[str] = "output"  # how a clash names the page's path

    def spec(
        self,
        output: str,
        template: str,
        params: tuple = (),
        *,
        label: str | None = None,
        source: str | None = None,
        written: bool = True,
    ) -> PageSpec:
        return PageSpec(output, template, self, params, label or self.name, source, written)

    def pages(self, parts: Parts, earlier: Sequence[PageSpec]) -> list[PageSpec]:
        """Every page of this kind, in a fixed order; `earlier`: the kinds before it's."""
        raise NotImplementedError

    def recipe(self, spec: PageSpec, parts: Parts) -> Node:
        """How the page's context is made, from which inputs."""
        raise NotImplementedError

    def sitemap_entry(self, spec: PageSpec, parts: Parts) -> SitemapEntry | None:
        """The page's line in sitemap.xml, if it has one."""
        return None

    def sitemap_entries(self, specs: Sequence[PageSpec], parts: Parts) -> list[SitemapEntry]:
        """The lines of a run of this kind's pages, in order: kinds with a page per story
        make them in one pass (200,000 lines at 100,000 stories)."""
        return [e for spec in specs if (e := self.sitemap_entry(spec, parts)) is not None]

    def shows_body_of(self, spec: PageSpec, parts: Parts, paths: frozenset[str]) -> bool:
        """Whether the page may show more of these documents than the site model holds
        of them: their own parse (an article's page, a feed), or what is made from their
        bodies (the search index). When only bodies changed, no other page is keyed
        again (output/shape.py); a test walks every recipe to hold kinds to this."""
        return False

    def summary_group(self, spec: PageSpec) -> str | None:
        """Which of the summary line's counts the page adds to, if any."""
        return None

    def __reduce__(self) -> tuple:
        return type(self), ()  # stateless: a worker process makes its own
