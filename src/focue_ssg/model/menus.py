"""The site's menus: focue.toml's entries resolved to where they lead, pages that add
themselves, and a main menu of its own when focue.toml gives none.

An entry that leads nowhere (a page, section or tag the site does not have) is an
error at its line in focue.toml.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..config.menus import MENUS, PAGE, URL, MenuEntry
from ..config.settings import SiteConfig
from ..core.errors import Diagnostic, did_you_mean, error
from ..core.layout import CONFIG_FILE
from ..core.text import text_key
from .page import Page
from .paths import term_index_link, term_link
from .taxonomy import Taxonomy

LARGEST_SECTIONS = 5  # in the main menu focue.toml does not give


@dataclass(frozen=True)
class MenuLink:
    name: str
    href: str  # a site path ('/sections/world/') or a URL of another site


def _page_link(value: str, pages: Sequence[Page], links: dict[str, str]) -> str | None:
    name = value.strip("/")
    page = next((p for p in pages if name in (p.slug, f"{p.folders}{p.slug}")), None)
    return links[page.path] if page else None


def _term_link(value: str, taxonomy: Taxonomy) -> str | None:
    term = taxonomy.by_key.get(text_key(value))
    return term_link(taxonomy, term) if term else None


def _resolve(
    entry: MenuEntry, pages: Sequence[Page], links: dict[str, str], taxonomies: dict[str, Taxonomy]
) -> MenuLink | Diagnostic:
    if entry.target == URL:
        return MenuLink(entry.name, entry.value)
    if entry.target == PAGE:
        found, choices = _page_link(entry.value, pages, links), [p.slug for p in pages]
    else:
        taxonomy = taxonomies[entry.target]
        found, choices = _term_link(entry.value, taxonomy), [t.name for t in taxonomy.terms]
    if found is not None:
        return MenuLink(entry.name, found)
    hint = did_you_mean(entry.value, choices)
    message = f"menu.{entry.menu} entry '{entry.name}': no {entry.target} '{entry.value}'{hint}"
    return error(CONFIG_FILE, message, entry.line)


def _default_main(by_target: dict[str, Taxonomy]) -> list[MenuLink]:
    """Latest, the largest sections, and the indexes of sections, tags and authors."""
    sections = by_target["section"]
    largest = sorted(sections.terms, key=lambda t: (-len(t.articles), t.key))[:LARGEST_SECTIONS]
    found = [MenuLink("Latest", "/")]
    found += [MenuLink(term.name, term_link(sections, term)) for term in largest]
    indexes = (sections, by_target["tag"], by_target["author"])
    found += [MenuLink(t.folder.title(), term_index_link(t)) for t in indexes]
    return found


def build_menus(
    config: SiteConfig,
    pages: Sequence[Page],
    links: dict[str, str],
    taxonomies: Sequence[Taxonomy],
) -> tuple[dict[str, tuple[MenuLink, ...]], list[Diagnostic]]:
    """Every menu's links, in order: focue.toml's entries, then the pages that add
    themselves (by path). `taxonomies`: tags, sections, authors."""
    by_target = {t.kind: t for t in taxonomies}
    menus: dict[str, list[MenuLink]] = {menu: [] for menu in MENUS}
    problems: list[Diagnostic] = []
    for entry in config.menu:
        found = _resolve(entry, pages, links, by_target)
        if isinstance(found, Diagnostic):
            problems.append(found)
        else:
            menus[entry.menu].append(found)
    if not any(entry.menu == "main" for entry in config.menu):
        menus["main"] = _default_main(by_target)
    for page in pages:
        for menu in page.menus:
            menus[menu].append(MenuLink(page.title, links[page.path]))
    return {menu: tuple(found) for menu, found in menus.items()}, problems
