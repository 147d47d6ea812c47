"""`focue serve`: the preview server and the rebuild loop behind it."""
