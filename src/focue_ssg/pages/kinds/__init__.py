"""The kinds of page, one module each; `pages.registry` lists them."""
