"""Tags, sections and authors: names grouped into terms with slugs and article lists.

Names match ignoring case, spacing and curly quotes; a term shows its most used
spelling. Distinct terms always get distinct slugs: C, C++ and C# become c,
c-plus-plus and c-sharp, and slugs that still clash get -2, -3 in key order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..core.text import slugify, text_key
from .article import Article


@dataclass(frozen=True)
class Term:
    name: str
    key: str
    slug: str
    articles: tuple[str, ...]  # paths, in the order the articles were given (newest first)


@dataclass(frozen=True)
class Taxonomy:
    kind: str  # one term's kind ("tag"): the slug of a term whose name has none
    folder: str  # where its pages live ("tags")
    terms: tuple[Term, ...]  # by key
    by_key: dict[str, Term]

    def of(self, name: str) -> Term:
        return self.by_key[text_key(name)]


def collect(
    kind: str,
    folder: str,
    articles: Sequence[Article],
    names_of: Callable[[Article], Iterable[str]],
    display: Callable[[str, str], str] = lambda key, name: name,
) -> Taxonomy:
    """Group articles by the names `names_of` gives; `display(key, spelling)` names a term."""
    spellings: dict[str, dict[str, int]] = {}
    members: dict[str, list[str]] = {}
    for article in articles:
        for name in names_of(article):
            key = text_key(name)
            if key not in members:
                spellings[key], members[key] = {}, []
            counts = spellings[key]
            counts[name] = counts.get(name, 0) + 1
            members[key].append(article.path)
    taken: set[str] = set()
    terms = []
    for key in sorted(members):
        spelling = min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0]
        name = display(key, spelling)
        base = slugify(name) or kind
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        terms.append(Term(name, key, slug, tuple(dict.fromkeys(members[key]))))
    return Taxonomy(kind, folder, tuple(terms), {t.key: t for t in terms})
