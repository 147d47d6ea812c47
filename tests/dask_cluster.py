"""A local Dask cluster of two worker processes, for tests/test_cluster.py, run in a
process of its own so the test process never starts Dask's threads (a process with
other threads running does not fork its workers).

    python tests/dask_cluster.py LOG [--kill KIND MARKER]

Prints the scheduler's address (and writes it as a scheduler file, LOG.scheduler),
runs until its standard input closes, then writes the keys of the tasks the
scheduler saw to LOG. With --kill, the first worker to
finish its second task whose key starts with KIND kills itself (SIGKILL), once:
MARKER records that it did.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from distributed import Client, LocalCluster, WorkerPlugin


class KillOnce(WorkerPlugin):
    def __init__(self, kind: str, marker: str):
        self.kind, self.marker, self.finished = kind, marker, 0

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish != "memory" or not str(key).startswith(self.kind):
            return
        self.finished += 1
        if self.finished == 2:
            try:
                os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL))
            except FileExistsError:
                return
            os.kill(os.getpid(), signal.SIGKILL)


def task_keys(dask_scheduler) -> list[str]:
    return sorted({str(event[0]) for event in dask_scheduler.transition_log})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("--kill", nargs=2, metavar=("KIND", "MARKER"))
    args = parser.parse_args()
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        if args.kill:
            client.register_plugin(KillOnce(*args.kill))
        client.write_scheduler_file(f"{args.log}.scheduler")
        print(cluster.scheduler_address, flush=True)
        sys.stdin.read()
        Path(args.log).write_text("\n".join(client.run_on_scheduler(task_keys)))


if __name__ == "__main__":
    main()
