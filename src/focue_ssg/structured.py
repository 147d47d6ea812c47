"""NewsArticle structured data (JSON-LD) for article pages.

Built as data and serialised once, with `<`, `>` and `&` escaped so no value
from front matter can close the script element.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .dates import isoformat
from .model import Article
from .urls import term_link

if TYPE_CHECKING:
    from .plan import Planner


def _person(name: str, url: str | None = None) -> dict[str, str]:
    person = {"@type": "Person", "name": name}
    if url:
        person["url"] = url
    return person


def _publisher(planner: Planner) -> dict[str, Any]:
    config = planner.site.config
    publisher: dict[str, Any] = {
        "@type": "NewsMediaOrganization",
        "name": config.publication,
        "url": planner.urls.absolute("/"),
    }
    if config.logo:
        publisher["logo"] = {
            "@type": "ImageObject",
            "url": planner.urls.absolute_media(config.logo),
        }
    return publisher


def news_article(planner: Planner, a: Article, article: dict[str, Any], canonical: str) -> Markup:
    site = planner.site
    authors = [
        _person(
            site.authors.of(name).name,
            planner.urls.absolute(term_link("author", site.authors.of(name))),
        )
        for name in a.authors
    ]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": a.summary,
        "datePublished": isoformat(a.date),
        "dateModified": isoformat(a.updated or a.date),
        "author": authors,
        "publisher": _publisher(planner),
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": article["absolute_url"],
        "inLanguage": site.config.language,
    }
    if a.image is not None:
        data["image"] = [article["image"]["absolute_url"]]
    if a.section:
        data["articleSection"] = a.section
    if a.tags:
        data["keywords"] = list(a.tags)
    if a.contributors:
        data["contributor"] = [_person(name) for name in a.contributors]
    if a.source is not None:
        based_on: dict[str, Any] = {
            "@type": "NewsArticle",
            "publisher": {"@type": "Organization", "name": a.source.name},
        }
        if a.source.url:
            based_on["url"] = a.source.url
        data["isBasedOn"] = based_on
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))
