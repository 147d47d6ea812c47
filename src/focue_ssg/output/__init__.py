"""Getting bytes to disk safely and only when needed: the build cache, the worker
processes, incremental rendering, staging and the atomic commit."""
