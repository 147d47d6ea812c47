"""Content digests: what caches, keys and signatures compare."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

SIZE = 16


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=SIZE).digest()


def file_digest(path: Path | str, size: int = SIZE) -> bytes:
    """A file's digest, read a block at a time: static files may be videos larger
    than the machine's memory."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=size)).digest()


def digest_parts(parts: Iterable[bytes]) -> bytes:
    """One digest of several byte strings, each length-prefixed so that no two
    different sequences of parts can run together into the same bytes."""
    h = hashlib.blake2b(digest_size=SIZE)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()
