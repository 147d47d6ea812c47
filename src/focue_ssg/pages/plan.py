"""Every page of the site: asked of each registered kind in turn, then counted and
checked for two pages that would be written to one path.

A page's context is made only when asked for (most pages of a rebuild are not),
from its kind's recipe; its key is the recipe's digest with the template set's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.digests import digest
from ..core.errors import Diagnostic, error
from ..core.layout import CONTENT_DIR
from ..model.article import StoredBody
from ..model.site import Site
from . import registry
from .kind import Kind, PagePlan, PageSpec
from .parts import Parts
from .recipe import Memo, Node, Recipe, sources


@dataclass(frozen=True)
class Plan:
    """Every page of the site; contexts are made when a page is asked for."""

    specs: tuple[PageSpec, ...]  # the pages to write
    claims: tuple[PageSpec, ...]  # every path the site answers for, written or not
    counts: dict[str, Any]
    parts: Parts
    nodes: dict[int, Node] = field(default_factory=dict)

    def node(self, index: int) -> Node:
        """The recipe of page `index`: its digest is the page's key, its value the context."""
        node = self.nodes.get(index)
        if node is None:
            spec = self.specs[index]
            node = self.nodes[index] = spec.kind.recipe(spec, self.parts)
        return node

    def key(self, index: int, salt: bytes, keep: bool = False) -> bytes:
        """What the page is made from: its recipe and the template set (`salt`).
        `keep`: the page is rendered next, from the same recipe."""
        spec = self.specs[index]
        names = f"{spec.output}\0{spec.template}\0".encode()  # neither can hold a NUL
        node = self.node(index) if keep else self._recipe(index)
        if type(node) is Recipe:
            return node.digest_with(salt + names)
        return digest(salt + names + node.digest)

    def bodies(self, index: int) -> set[StoredBody]:
        """The stored bodies page `index` shows (a cluster's worker is sent them with its
        chunk of pages)."""
        found = (getattr(node.value, "body", None) for node in sources(self._recipe(index)))
        return {body for body in found if isinstance(body, StoredBody)}

    def _recipe(self, index: int) -> Node:
        """The page's recipe, made afresh unless it is kept for rendering."""
        spec = self.specs[index]
        return self.nodes.get(index) or spec.kind.recipe(spec, self.parts)

    def page(self, index: int) -> PagePlan:
        """The page with its context. A page is rendered once: its recipe (which holds
        the context) is let go, so memory does not grow with the pages rendered."""
        spec = self.specs[index]
        context = self.node(index).value
        del self.nodes[index]
        return PagePlan(spec.output, spec.template, context, spec.source)


def plan_site(
    site: Site,
    assets: dict[str, str],
    memo: Memo | None = None,
    kinds: Sequence[Kind] | None = None,
    carried: dict[Any, Any] | None = None,
) -> Plan:
    """Every page of the site, in a fixed order. `assets`: theme files by name, with
    their cache-busting URLs; `memo`: what cutoff recipes made in earlier builds;
    `carried`: the portable values of an earlier plan of this same site model."""
    kinds = registry.KINDS if kinds is None else kinds
    parts = Parts(site, assets, memo, carried)
    claims: list[PageSpec] = []
    for kind in kinds:
        claims += kind.pages(parts, tuple(claims))
    specs = tuple(spec for spec in claims if spec.written)
    return Plan(specs, tuple(claims), page_counts(kinds, specs), parts)


def page_counts(kinds: Sequence[Kind], specs: Sequence[PageSpec]) -> dict[str, Any]:
    """How many pages of each kind: the summary line's numbers and the report's."""
    counts = {group: 0 for kind in kinds for group in kind.summary_groups}
    labels: dict[str, int] = {}
    for spec in specs:
        group = spec.kind.summary_group(spec)
        if group is not None:
            counts[group] += 1
        labels[spec.label] = labels.get(spec.label, 0) + 1
    return {**counts, "pages": len(specs), "by kind": dict(sorted(labels.items()))}


def find_collisions(specs: Sequence[PageSpec], reserved: dict[str, str]) -> list[Diagnostic]:
    """Two pages (or a page and a static file) that would be written to one path.
    `reserved`: output path -> the static file there, relative to the site. Blamed on a
    file where one is known, so that a page the site makes (a tag's, the front page)
    names the story or static file in its way."""
    owners = {out: (where, f"static file {where}") for out, where in reserved.items()}
    problems = []
    for spec in specs:
        mine = (spec.source, spec.source or f"the {spec.template} page")
        if spec.output not in owners:
            owners[spec.output] = mine
            continue
        where, what = owners[spec.output]
        if spec.source is None and where is not None:  # blame the file in the way
            problems.append(error(where, f"output {spec.output} is also written by {mine[1]}"))
            continue
        message = f"{spec.kind.collision_subject} {spec.output} is also written by {what}"
        problems.append(error(spec.source or CONTENT_DIR, message))
    return problems
