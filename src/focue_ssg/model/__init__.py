"""The content model: articles, and the site they make (what is published, its URLs,
taxonomies, links and related stories). It knows nothing of parsing or pages."""
