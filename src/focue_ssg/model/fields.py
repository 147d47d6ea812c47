"""The names each front-matter field goes by.

Sites migrating from Jekyll, Hugo or Eleventy keep their files: `author`,
`excerpt`/`description`, `lastmod`/`modified`, `categories`, `published` and
`redirect_from` are read as our fields.
"""

from __future__ import annotations

# canonical name -> names read as it, in order of preference
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "date": ("date",),
    "updated": ("updated", "lastmod", "modified", "last_modified_at"),
    "slug": ("slug",),
    "summary": ("summary", "description", "excerpt"),
    "section": ("section", "categories", "category"),
    "tags": ("tags",),
    "authors": ("authors", "author"),
    "contributors": ("contributors",),
    "draft": ("draft",),
    "published": ("published",),
    "read_more": ("read_more",),
    "image": ("image",),
    "image_caption": ("image_caption",),
    "image_credit": ("image_credit",),
    "image_alt": ("image_alt",),
    "image_focus": ("image_focus",),
    "image_width": ("image_width",),
    "image_height": ("image_height",),
    "source": ("source",),
    "aliases": ("aliases", "redirect_from"),
    "timezone": ("timezone",),
    "canonical": ("canonical", "canonical_url"),
    "noindex": ("noindex",),
    "expires": ("expires", "expiry_date", "unpublish"),
    "menu": ("menu", "menus"),
    "genre": ("genre",),
    "corrections": ("corrections",),
    "updates": ("updates",),
    "featured": ("featured", "sticky"),
    "pinned_until": ("pinned_until",),
}
# what only articles have: a page that sets one is told it has no effect
ARTICLE_ONLY = (
    "date", "section", "tags", "authors", "contributors", "read_more", "source",
    "aliases", "expires", "genre", "corrections", "updates", "featured", "pinned_until",
)  # fmt: skip
KNOWN_FIELDS = frozenset(name for names in ALIASES.values() for name in names)
