"""NewsArticle structured data (JSON-LD) for article pages.

Built at render time from the page's own context (`{{ news_article_json(article,
page, site) }}`), so it can say nothing the context does not already hold, and the
page's key (the digest of what its context is made from) covers it. Serialised with
`<`, `>` and `&` escaped, so no value from front matter can close the script.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin

from markupsafe import Markup

from ..model.article import GENRES

POLICIES = (  # the site block's policy links, and their names in schema.org
    ("corrections_policy_url", "correctionsPolicy"),
    ("ethics_policy_url", "ethicsPolicy"),
    ("masthead_url", "masthead"),
)


def _person(name: str, url: str | None = None) -> dict[str, str]:
    person = {"@type": "Person", "name": name}
    if url:
        person["url"] = url
    return person


def _publisher(site: dict[str, Any]) -> dict[str, Any]:
    publisher: dict[str, Any] = {
        "@type": "NewsMediaOrganization",
        "name": site["publication"],
        "url": urljoin(site["base_url"], site["url"]),
    }
    if site["logo_url"]:
        publisher["logo"] = {"@type": "ImageObject", "url": site["logo_url"]}
    for key, name in POLICIES:
        if site.get(key):
            publisher[name] = site[key]
    return publisher


def news_article(
    article: dict[str, Any], page: dict[str, Any], site: dict[str, Any]
) -> dict[str, Any]:
    """The NewsArticle object (or its kind's: OpinionNewsArticle, …) for an article page's
    context."""
    base = site["base_url"]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": GENRES[article["genre"]].schema_type,
        "headline": article["title"],
        "description": article["summary"],
        "datePublished": article["date_iso"],
        "dateModified": article["updated_iso"] or article["date_iso"],
        "author": [_person(a["name"], urljoin(base, a["url"])) for a in article["authors"]],
        "publisher": _publisher(site),
        "mainEntityOfPage": {"@type": "WebPage", "@id": page["canonical"]},
        "url": article["absolute_url"],
        "inLanguage": site["language"],
    }
    if article["image"]:
        data["image"] = [crop["url"] for crop in article["image"]["search"]]
    if article["section"]:
        data["articleSection"] = article["section"]
    if article["tags"]:
        data["keywords"] = [tag["name"] for tag in article["tags"]]
    if article["contributors"]:
        data["contributor"] = [_person(name) for name in article["contributors"]]
    if article["corrections"]:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c["text"], "datePublished": c["date_iso"]}
            for c in article["corrections"]
        ]
    source = article["source"]
    if source:
        based_on: dict[str, Any] = {
            "@type": "NewsArticle",
            "publisher": {"@type": "Organization", "name": source["name"]},
        }
        if source["url"]:
            based_on["url"] = source["url"]
        data["isBasedOn"] = based_on
    return data


def news_article_json(
    article: dict[str, Any], page: dict[str, Any], site: dict[str, Any]
) -> Markup:
    """The JSON-LD text, safe inside `<script type="application/ld+json">`. One line:
    indenting it would take json's pure-Python encoder, a fifth of rendering a page."""
    text = json.dumps(news_article(article, page, site), ensure_ascii=False)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))
