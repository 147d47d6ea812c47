#!/usr/bin/env python3
"""focue on a local Dask cluster beside its own process pool, on generated news corpora.

    python benchmarks/bench_cluster.py [--sizes 10000] [--runs 3] [--work DIR] [--workers 2]

For each size it generates a corpus with make_corpus.py and times cold builds (no
output, no cache), alternating: `focue build -j W` (W local processes) and `focue
build --executor dask://...` on a `distributed.LocalCluster` of W worker processes
with one thread each, started once and kept warm, as a real cluster would be. The
difference is what going through Dask costs on one machine: scattering the site to
the workers, pickling sources, articles and pages across processes, and the
scheduler's per-task work.

It also measures the traffic a remote worker would see, with the serializer Dask
uses for these objects (pickle): bytes sent per source (a parse chunk) and returned
per parsed story, the page work scattered to each worker once per build (the site
model, with no bodies), the bodies sent with the chunks of pages, per page, and the
bytes returned per page (a cold build returns every page). Needs the dask extra.
"""

from __future__ import annotations

import argparse
import pickle
import shutil
import statistics
import sys
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from bench import NOW, Tool, focue_tool, make_corpus, timed_build


def cluster_tool(address: str) -> Tool:
    tool = focue_tool()
    url = address.replace("tcp://", "dask://")
    return replace(tool, name="focue on Dask", command=[*tool.command, "--executor", url])


def traffic(site: Path, sample: int = 480) -> dict[str, float]:
    """Bytes per source, per parsed story, per page, and the page work scattered once,
    for the site as a cold build sees it (its output folder already built)."""
    from focue_ssg.output.cache import BuildCache
    from focue_ssg.output.parsing import ParseTask, parse_files
    from focue_ssg.output.workers import PAGE_CHUNK, PageWork, _with_bodies, chunked
    from focue_ssg.pipeline import BuildOptions, load_site, plan_pages
    from focue_ssg.render.theme import template_files

    options = BuildOptions(site, datetime.fromisoformat(NOW))
    cache = BuildCache(site)  # as the last build left it: bodies in files, not in the work
    cache.prepare_state()
    loaded = load_site(options, cache)
    planned = plan_pages(options, loaded, cache)
    files = template_files(loaded.theme)
    work = PageWork(
        planned.plan, loaded.theme, planned.salt, {}, None, False, site, None, site / "output",
        check_disk=False, templates=files,
    )  # fmt: skip
    from focue_ssg.source.parse import ParseSettings

    settings = ParseSettings(
        loaded.config.timezone, loaded.config.smart_quotes, loaded.config.language,
        loaded.config.search, loaded.config.html,
    )  # fmt: skip
    sources = sorted((site / "content").rglob("*.md"))[:sample]
    content = site / "content"
    tasks = [ParseTask(str(f.relative_to(content)), str(f), settings) for f in sources]
    parsed = parse_files(tasks, 1)
    pages = list((site / "output").rglob("*.html"))
    every = chunked(range(len(planned.plan.specs)), PAGE_CHUNK)
    sent = sum(len(b) for _, bodies in _with_bodies(planned.plan, every) for b in bodies.values())
    return {
        "source": sum(f.stat().st_size for f in sources) / len(sources),
        "story": len(pickle.dumps(parsed, protocol=5)) / len(parsed),
        "page work": len(pickle.dumps(work, protocol=5)),
        "page": sum(p.stat().st_size for p in pages) / len(pages),
        "pages": len(pages),
        "bodies": sent / len(planned.plan.specs),
    }


def measure(site: Path, runs: int, workers: int) -> list[str]:
    from distributed import LocalCluster

    local = focue_tool()
    local = replace(local, name=f"focue -j {workers}", command=[*local.command, "-j", str(workers)])
    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        dask = cluster_tool(cluster.scheduler_address)
        walls: dict[str, list[float]] = {local.name: [], dask.name: []}
        for _ in range(runs):
            for tool in (local, dask):
                for name in tool.scratch:
                    shutil.rmtree(site / name, ignore_errors=True)
                walls[tool.name].append(timed_build(site, tool)["wall"])
                print(f"  {tool.name}: {walls[tool.name][-1]:.2f} s", flush=True)
    mid = {name: statistics.median(times) for name, times in walls.items()}
    sizes = traffic(site)
    return [
        f"| {mid[local.name]:.2f} | {mid[dask.name]:.2f} | {mid[dask.name] / mid[local.name]:.2f} "
        f"| {sizes['source'] / 1024:.1f} | {sizes['story'] / 1024:.1f} "
        f"| {sizes['page work'] / 2**20:.1f} | {sizes['bodies'] / 1024:.1f} "
        f"| {sizes['page'] / 1024:.1f} |"
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "focue-cluster")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        site = args.work / f"focue-{size}"
        if not (site / "content").is_dir():
            print(f"generating {size:,} articles", flush=True)
            make_corpus(site, size, focue_tool())
        print(f"{size:,} articles, {args.runs} runs, {args.workers} workers", flush=True)
        rows += [f"| {size:,} " + row for row in measure(site, args.runs, args.workers)]
    print(
        "\n| articles | local pool, s | Dask, s | ratio | KB sent per source "
        "| KB back per story | MB of page work per worker | KB of bodies sent per page "
        "| KB back per page |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
