"""What the build cache keeps between builds besides parsed articles: each source's
stats and digest, related articles, the cutoff memo, each output folder's manifest
and photo probes."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from typing import Any

from .manifest import Manifest, unpacked


@dataclass(frozen=True)
class SourceStat:
    size: int
    mtime_ns: int
    digest: bytes
    checked_ns: int = 0  # the file system's time when the digest was taken


Seen = tuple[int, int, bytes, int]  # a SourceStat as a plain tuple, which loads far faster


@dataclass
class State:
    """Each field is pickled apart and unpickled when first read: a build with nothing
    to do reads only its manifest, not the 100,000 sources or the memo."""

    sources: dict[str, Seen] = field(default_factory=dict)
    # no class-level default: a field must be missing from an instance to be unpickled
    related: tuple[bytes, dict] | None = field(default_factory=lambda: None)
    memo: dict[bytes, bytes] = field(default_factory=dict)  # cutoff recipes (pages/recipe.py)
    manifests: dict[str, Manifest] = field(default_factory=dict)
    photos: dict[str, tuple] = field(default_factory=dict)  # probes, by file (source/pictures.py)

    def __getstate__(self) -> dict:
        packed = dict(self.__dict__.get("_packed", {}))
        for name, value in self.__dict__.items():
            if name != "_packed":
                packed[name] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return {"_packed": packed}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def __getattr__(self, name: str) -> Any:  # only for a field not read yet
        packed = self.__dict__.get("_packed")
        if packed is None or name not in packed:
            raise AttributeError(name)
        value = unpacked(packed.pop(name), vars(State())[name])
        setattr(self, name, value)
        return value
