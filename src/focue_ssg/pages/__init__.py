"""Which pages the site has and what each shows: one module per kind of page in
`kinds/`, the registry of kinds, and the recipes their contexts and keys come from."""
