"""Build on a Dask cluster when one machine is not enough.

`focue build --executor dask://HOST:PORT` (or `--scheduler-file FILE`) sends the
parse and page chunks to a `distributed` cluster through the concurrent.futures
executor its client offers (`Client.get_executor()`), in place of local processes.
The cluster's workers need not share a file system with the build:

- a parse chunk carries its sources' bytes, and the parsed articles come back;
- the page work (the site plan, its stories without their bodies, and the theme's
  templates as text) is scattered to every worker once per build; each chunk names
  its page numbers and carries the bodies those pages show, read from the build
  cache as it is sent (an article page its own, a feed its stories');
- a page whose bytes changed comes back as bytes, which the main process stages
  and commits as it does its own, so the output folder has one writer.

Chunks are submitted a few per worker thread ahead of the one awaited, so sources
and pages in flight stay bounded, and results are taken in submission order: the
output does not depend on which worker ran what. When a worker dies, Dask runs its
tasks again elsewhere; every task is a pure function of its input.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..core.files import is_file, unusable

SCHEME = "dask://"
CONNECT_SECONDS = 20
AHEAD = 4  # chunks in flight per worker thread


class ClusterUnavailable(Exception):
    """The cluster cannot be used: the extra is not installed, or no scheduler answers."""


@dataclass(frozen=True)
class ClusterAddress:
    """Where the scheduler is: an address (tcp://HOST:PORT), or the file it wrote."""

    address: str | None = None
    scheduler_file: str | None = None

    def __str__(self) -> str:
        return self.address or f"the scheduler in {self.scheduler_file}"


def parse_executor(value: str) -> ClusterAddress | None:
    """--executor: 'local' (None), or dask://HOST:PORT."""
    if value == "local":
        return None
    if not value.startswith(SCHEME) or ":" not in value.removeprefix(SCHEME):
        raise ValueError("is neither 'local' nor dask://HOST:PORT")
    address = "tcp://" + value.removeprefix(SCHEME)
    problem = _not_host_and_port(address)
    if problem is not None:
        raise ValueError(f"is not dask://HOST:PORT{problem}")
    return ClusterAddress(address=address)


def _not_host_and_port(address: str) -> str | None:
    """Why `address` is not SCHEME://HOST:PORT (': ...' or ''), or None. Checked before
    Dask sees it: Dask takes a malformed address for one it cannot reach yet."""
    try:
        parts = urlsplit(address)
        port, host = parts.port, parts.hostname
    except ValueError as exc:  # an unclosed bracket, a port past 65535
        return f": {exc}"
    return "" if port is None or not host or parts.path or parts.query else None


class Cluster:
    """A connected client and its executor; given to a build as its `jobs`."""

    def __init__(self, client: Any):
        self.client = client
        self.executor = client.get_executor(pure=False)

    @property
    def threads(self) -> int:
        """Worker threads across the cluster now (it may grow or shrink)."""
        return max(1, sum(self.client.nthreads().values()))

    def map(
        self, fn: Callable[..., Any], chunks: Iterable[Any], shared: Any = None
    ) -> Iterator[Any]:
        """`fn(chunk)`, or `fn(shared, chunk)` with `shared` sent to each worker once,
        for each chunk, in order."""
        handle = None if shared is None else self.client.scatter(shared, broadcast=True, hash=False)
        front = () if handle is None else (handle,)
        ahead = self.threads * AHEAD
        waiting: deque = deque()
        try:
            for chunk in chunks:
                waiting.append((self.executor.submit(fn, *front, chunk), chunk))
                if len(waiting) >= ahead:
                    yield self._result(fn, front, *waiting.popleft())
            while waiting:
                yield self._result(fn, front, *waiting.popleft())
        finally:
            for future, _ in waiting:
                future.cancel()
            if handle is not None:
                handle.release()

    def _result(self, fn: Callable[..., Any], front: tuple, future: Any, chunk: Any) -> Any:
        """The chunk's result, sent once more if its first future failed. Our tasks turn
        their own errors into diagnostics, so a failure is the cluster's, and one Dask
        does not survive: a worker killed just after finishing a task loses its result,
        and the executor, seeing the task no longer finished, reads the result it did
        get as an error (a ValueError: too many values to unpack)."""
        try:
            return future.result()
        except Exception:
            return self.executor.submit(fn, *front, chunk).result()

    def close(self) -> None:
        self.executor.shutdown(wait=False)
        self.client.close()


def _appears(file: Path) -> bool:
    """Whether a scheduler's file is there, or comes within the connection's time (a
    scheduler started beside the build writes it once it listens). Dask's own wait for
    the file has no end."""
    deadline = time.monotonic() + CONNECT_SECONDS
    while not is_file(file):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _scheduler_file(name: str) -> None:
    """Raises ClusterUnavailable unless `name` is, or becomes, a file a Dask scheduler
    wrote: JSON with its address (Dask fails an assertion on other JSON)."""
    file = Path(name)
    problem = unusable(file)
    if problem is not None:
        raise ClusterUnavailable(f"cannot use the scheduler file {name}: {problem}")
    if not _appears(file):
        raise ClusterUnavailable(
            f"no scheduler file {name} after {CONNECT_SECONDS} s: start one "
            f"with dask scheduler --scheduler-file {name}"
        )
    try:
        written = json.loads(file.read_bytes())
    except (OSError, ValueError) as exc:
        raise ClusterUnavailable(f"cannot read the scheduler file {name}: {exc}") from None
    address = written.get("address") if isinstance(written, dict) else None
    if not isinstance(address, str) or _not_host_and_port(address) is not None:
        raise ClusterUnavailable(
            f"{name} is not a file a Dask scheduler wrote: no HOST:PORT address in it"
        )


def connect(where: ClusterAddress) -> Cluster:
    """A client of the cluster's scheduler; raises ClusterUnavailable with the reason."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterUnavailable(
            "a Dask executor needs the dask extra: pip install 'focue-ssg[dask]'"
        ) from None
    if where.scheduler_file is not None:
        _scheduler_file(where.scheduler_file)
    try:
        client = Client(
            where.address,
            scheduler_file=where.scheduler_file,
            timeout=CONNECT_SECONDS,
            set_as_default=False,
        )
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterUnavailable(f"cannot reach {where}: {exc}") from None
    return Cluster(client)
