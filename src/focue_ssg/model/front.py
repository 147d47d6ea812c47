"""The curated front page: the story that leads it, the top stories under that, and a
block of each configured section; and the story that leads each section's page.

Editors choose with front matter (`featured: true`, `pinned_until:`) and the [home]
table of focue.toml. The choice depends on "now" (a pin runs out, a top story ages
out), so the moments it changes by itself are part of when the site is next rebuilt.
Ties are broken by the articles' fixed order (newest first, then path).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..config.home import HomeSettings
from ..core.errors import Diagnostic, did_you_mean, warning
from ..core.layout import CONFIG_FILE
from ..core.text import text_key
from .article import Article
from .taxonomy import Taxonomy


@dataclass(frozen=True)
class Block:
    """A section's newest stories, as the front page shows them."""

    section: str  # the section's key
    paths: tuple[str, ...]


@dataclass(frozen=True)
class Front:
    lead: str | None = None  # the pinned story, else the newest featured one
    top: tuple[str, ...] = ()  # the other top stories: pinned first, then newest
    blocks: tuple[Block, ...] = ()
    section_leads: dict[str, str] = field(default_factory=dict)  # section key -> path

    @property
    def above_river(self) -> frozenset[str]:
        """What the front page shows before its river, which then leaves them out."""
        blocks = (path for block in self.blocks for path in block.paths)
        return frozenset([*((self.lead,) if self.lead else ()), *self.top, *blocks])


def is_pinned(article: Article, now: datetime) -> bool:
    return article.pinned_until is not None and article.pinned_until > now


def _lead(articles: Sequence[Article], now: datetime) -> Article | None:
    pinned = next((a for a in articles if is_pinned(a, now)), None)
    return pinned or next((a for a in articles if a.featured), None)


def _is_top(article: Article, home: HomeSettings, now: datetime) -> bool:
    if is_pinned(article, now):
        return True
    days = home.top_story_days
    return article.featured and (days == 0 or article.date > now - timedelta(days=days))


def _top(
    articles: Sequence[Article], lead: str | None, home: HomeSettings, now: datetime
) -> tuple[str, ...]:
    top = [a for a in articles if a.path != lead and _is_top(a, home, now)]
    top.sort(key=lambda a: not is_pinned(a, now))  # stable: newest first within each
    return tuple(a.path for a in top[: home.top_stories])


def _blocks(
    home: HomeSettings, sections: Taxonomy, shown: set[str]
) -> tuple[tuple[Block, ...], list[Diagnostic]]:
    blocks, problems = [], []
    for name in home.sections:
        term = sections.by_key.get(text_key(name))
        if term is None:
            hint = did_you_mean(name, [t.name for t in sections.terms])
            message = (
                f"home.sections: no published story is in section '{name}'{hint}; "
                "its block is left out"
            )
            problems.append(warning(CONFIG_FILE, message, home.line_of("sections")))
            continue
        paths = [path for path in term.articles if path not in shown]
        blocks.append(Block(term.key, tuple(paths[: home.section_stories])))
    return tuple(blocks), problems


def _section_leads(
    by_path: Mapping[str, Article], sections: Taxonomy, now: datetime
) -> dict[str, str]:
    leads = {}
    for term in sections.terms:
        lead = _lead([by_path[path] for path in term.articles], now)
        if lead is not None:
            leads[term.key] = lead.path
    return leads


def curate(
    articles: Sequence[Article],
    by_path: Mapping[str, Article],
    sections: Taxonomy,
    home: HomeSettings,
    now: datetime,
) -> tuple[Front, list[Diagnostic]]:
    """What leads the front page and each section page, from the published articles
    (newest first)."""
    lead = _lead(articles, now)
    lead_path = lead.path if lead else None
    top = _top(articles, lead_path, home, now)
    blocks, problems = _blocks(home, sections, {*top, *((lead_path,) if lead_path else ())})
    leads = _section_leads(by_path, sections, now)
    return Front(lead_path, top, blocks, leads), problems


def front_moments(articles: Sequence[Article], home: HomeSettings, now: datetime) -> list[datetime]:
    """When the choice changes with no edit: a pin runs out, a top story ages out."""
    moments = [a.pinned_until for a in articles if a.pinned_until and a.pinned_until > now]
    if home.top_story_days and home.top_stories:
        window = timedelta(days=home.top_story_days)
        moments += [a.date + window for a in articles if a.featured and a.date + window > now]
    return moments
