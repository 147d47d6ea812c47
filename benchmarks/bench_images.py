#!/usr/bin/env python3
"""Time photo processing: focue_ssg beside Hugo and Eleventy Image, on a corpus with photos.

    python benchmarks/bench_images.py [--articles 1000] [--runs 3] [--work DIR] [--focue SRC]
                                      [--hugo PATH] [--eleventy PATH] [--no-peers]

The corpus comes from make_corpus.py --images: about one article in ten shows a
camera-sized JPEG lead photo (with EXIF, some turned on their side). Corpora are
kept in the work folder (default: focue-bench-images in the system's temporary
folder), named by article count and by a digest of make_corpus.py, so a rerun
does not draw the photos again.

Each round times, for every tool in turn (as bench.py does, so a machine whose
speed drifts treats them alike): a cold build (no output, no cache), a rebuild
with nothing changed, one after one photo was edited (make_corpus.py
--edit-image), and a cold build whose photo variants are still cached (output and
every other cache removed). focue runs three times over: with its default formats
(AVIF, WebP and JPEG), with WebP and JPEG, and with JPEG alone, so that what AVIF
and WebP each add can be told apart. Hugo (0.122 or later, with peers/hugo-images/)
and Eleventy Image (@11ty/eleventy-img installed beside the eleventy command, with
peers/eleventy-images/) resize each lead photo to WebP at focue's widths and
quality. Prints bench.py's table, then the cost per photo and per variant: a cold
build's time less that of the cold build with variants cached, and, for focue,
the images phase of its --report; every sample goes to results-N.json in the
work folder. `--focue SRC` times focue_ssg from another src/ folder, such as a
copy of the tree (`git archive HEAD src themes`), so that edits made while the
benchmark runs do not mix in. Stdlib only (Pillow for the photos, which focue
needs anyway); runs from a clean clone.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path

import bench
from make_corpus import published_photos

REPORT = ".bench-report.json"  # focue's --report, in the site folder
FOCUE_FORMATS = {  # name -> [images] formats (None: focue's default, all three)
    "focue": None,
    "focue webp+jpeg": ("webp", "jpeg"),
    "focue jpeg": ("jpeg",),
}
KINDS = ("cold", "no change", "one-photo edit", "cold, variants cached")


@dataclass(frozen=True)
class Contender:
    tool: bench.Tool
    variant_cache: str  # glob, in the site, of what the "cold, variants cached" build keeps
    report: bool = False  # focue: read the images phase from --report
    links: tuple[tuple[str, Path], ...] = ()  # symlinks made in the site: (name, target)


def corpus(work: Path, articles: int, fmt: str) -> Path:
    """The corpus with photos, generated once per article count, format and version of
    make_corpus.py (the manifest is written last, so a half-made one is made again)."""
    digest = hashlib.sha256(bench.CORPUS.read_bytes()).hexdigest()[:10]
    folder = work / f"corpus-{fmt}-{articles}-{digest}"
    if not (folder / "manifest.json").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating {folder.name} (photos take about 0.35 s each)", file=sys.stderr)
        bench.run_corpus(str(folder), "--articles", str(articles), "--format", fmt, "--images")
    return folder


def focue_contender(
    name: str, formats: tuple[str, ...] | None, work: Path, source: Path | None
) -> Contender:
    tool = bench.focue_tool(source, name)
    setup: tuple[tuple[Path, str], ...] = ()
    if formats is not None:
        config = work / "configs" / bench.folder_name(name) / "focue.toml"
        config.parent.mkdir(parents=True, exist_ok=True)
        listed = ", ".join(f'"{kind}"' for kind in formats)
        config.write_text(f"[images]\nformats = [{listed}]\n", encoding="utf-8")
        setup = ((config, "."),)
    command = [*tool.command, "--report", REPORT]
    return Contender(replace(tool, command=command, setup=setup), ".focue-cache/media*", True)


def hugo_contender(binary: str) -> tuple[Contender | None, str]:
    tool = bench.hugo_tool(binary, bench.PEERS / "hugo-images")
    minor = re.search(r"v0\.(\d+)", tool.name)
    if minor is not None and int(minor.group(1)) < 122:
        return None, f"{tool.name} skipped: images.AutoOrient needs Hugo 0.122 or later"
    return Contender(replace(tool, name=f"{tool.name} webp"), "resources/_gen"), ""


def eleventy_contender(binary: str) -> tuple[Contender | None, str]:
    """Eleventy with Eleventy Image, found in the node_modules the eleventy command is in."""
    modules = next((p for p in Path(binary).resolve().parents if p.name == "node_modules"), None)
    if modules is None or not (modules / "@11ty" / "eleventy-img").is_dir():
        where = modules.parent if modules else "the folder eleventy is installed in"
        return None, (
            f"Eleventy Image skipped: @11ty/eleventy-img is not installed beside {binary} "
            f"(npm install @11ty/eleventy-img in {where})"
        )
    tool = bench.eleventy_tool(binary, bench.PEERS / "eleventy-images")
    tool = replace(tool, name=f"{tool.name} + eleventy-img webp")
    return Contender(tool, "_site/img", links=(("node_modules", modules),)), ""


def contenders(args: argparse.Namespace, work: Path) -> tuple[list[Contender], list[str]]:
    found = [
        focue_contender(name, formats, work, args.focue) for name, formats in FOCUE_FORMATS.items()
    ]
    notes = []
    if args.no_peers:
        return found, notes
    hugo = args.hugo or shutil.which("hugo")
    eleventy = args.eleventy or shutil.which("eleventy")
    for binary, make, missing in (
        (hugo, hugo_contender, "Hugo skipped: no hugo on PATH (give --hugo PATH)"),
        (eleventy, eleventy_contender, "Eleventy Image skipped: no eleventy (give --eleventy)"),
    ):
        if not binary:
            notes.append(missing)
            continue
        contender, note = make(binary)
        if contender is not None:
            found.append(contender)
        if note:
            notes.append(note)
    return found, notes


def prepare(site: Path, pristine: Path, contender: Contender) -> None:
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(pristine, site)
    bench.install(site, contender.tool)
    for name, target in contender.links:
        (site / name).symlink_to(target, target_is_directory=True)


def clear(folder: Path, keep: tuple[Path, ...] = ()) -> None:
    """Remove a folder, or everything in it but the paths in `keep`."""
    inside = tuple(path for path in keep if path.is_relative_to(folder))
    if not inside:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for child in folder.iterdir():
        if child in inside:
            continue
        if any(path.is_relative_to(child) for path in inside):
            clear(child, inside)
        elif child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def measure(site: Path, contender: Contender) -> dict:
    sample = bench.timed_build(site, contender.tool)
    if contender.report:
        report = json.loads((site / REPORT).read_text(encoding="utf-8"))
        sample["images_s"] = report["timings"].get("images", 0.0)
        sample["encoded"] = report["images_encoded"]
    return sample


def one_round(site: Path, contender: Contender, results: dict[str, list[dict]]) -> None:
    """Cold, no change, one photo edited, then cold again with the variants cached."""
    scratch = [site / name for name in contender.tool.scratch]
    for folder in scratch:
        clear(folder)
    results.setdefault(KINDS[0], []).append(measure(site, contender))
    results.setdefault(KINDS[1], []).append(measure(site, contender))
    bench.run_corpus(str(site), "--edit-image")
    results.setdefault(KINDS[2], []).append(measure(site, contender))
    kept = tuple(site.glob(contender.variant_cache))
    for folder in scratch:
        clear(folder, kept)
    results.setdefault(KINDS[3], []).append(measure(site, contender))


@dataclass(frozen=True)
class Cost:
    """The image work of a cold build: its time less that of a cold build with every
    variant already made (paired by round, median over the rounds)."""

    variants: int
    wall: float
    cpu: float

    def minus(self, other: Cost) -> Cost:
        return Cost(self.variants - other.variants, self.wall - other.wall, self.cpu - other.cpu)


def image_cost(results: dict[str, list[dict]]) -> Cost:
    pairs = list(zip(results[KINDS[0]], results[KINDS[3]], strict=True))
    return Cost(
        round(statistics.median(cold["images_written"] for cold, _ in pairs)),
        statistics.median(cold["wall"] - cached["wall"] for cold, cached in pairs),
        statistics.median(cold["cpu"] - cached["cpu"] for cold, cached in pairs),
    )


def cost_row(name: str, cost: Cost, photos: int) -> str:
    per = max(cost.variants, 1)
    return (
        f"| {name} | {cost.variants:,} | {cost.wall:.1f} | {cost.cpu:.1f} | "
        f"{cost.wall / photos:.2f} | {1000 * cost.wall / per:.0f} | {1000 * cost.cpu / per:.0f} |"
    )


def median_of(samples: list[dict], key: str) -> float:
    return statistics.median(s[key] for s in samples)


def focue_lines(results: dict[str, dict[str, list[dict]]], photos: int) -> list[str]:
    """The images phase of focue's own report, and what it encoded in each build."""
    lines = []
    for name in FOCUE_FORMATS:
        kinds = results[name]
        seconds = median_of(kinds[KINDS[0]], "images_s")
        encoded = round(median_of(kinds[KINDS[0]], "encoded"))
        others = ", ".join(
            f"{kind} {round(median_of(kinds[kind], 'encoded'))}" for kind in KINDS[1:]
        )
        lines.append(
            f"- {name}: images phase of the cold build {seconds:.1f} s for {encoded:,} variants"
            f" = {seconds / photos:.2f} s per photo, {1000 * seconds / max(encoded, 1):.0f} ms"
            f" per variant; variants encoded by the other builds: {others}"
        )
    return lines


def marginal_lines(costs: dict[str, Cost], photos: int) -> list[str]:
    """What AVIF adds to WebP and JPEG, and WebP to JPEG, in focue; and a peer's WebP."""
    lines = []
    for label, more, fewer in (
        ("AVIF", "focue", "webp+jpeg"),
        ("WebP", "focue webp+jpeg", "jpeg"),
    ):
        below = costs[f"focue {fewer}"]
        extra = costs[more].minus(below)
        per = max(extra.variants, 1)
        share = 100 * extra.wall / below.wall if below.wall else 0.0
        lines.append(
            f"- {label} in focue adds {extra.wall:.1f} s wall, {extra.cpu:.1f} s CPU for "
            f"{extra.variants:,} variants: {1000 * extra.wall / per:.0f} ms wall, "
            f"{1000 * extra.cpu / per:.0f} ms CPU per {label} variant, "
            f"{extra.wall / photos:.2f} s per photo (+{share:.0f}% over {fewer} alone)"
        )
    return lines


def report(
    articles: int,
    photos: list[Path],
    chosen: list[Contender],
    results: dict[str, dict[str, list[dict]]],
) -> None:
    print(bench.TABLE_HEADER)
    for contender in chosen:
        name = contender.tool.name
        for kind in KINDS:
            print(bench.row(articles, name, kind, results[name][kind]))
    count = len(photos)
    megabytes = sum(p.stat().st_size for p in photos) / 1e6
    costs = {c.tool.name: image_cost(results[c.tool.name]) for c in chosen}
    print(
        f"\nImage work: {count} photos shown by published articles ({megabytes:.0f} MB); a cold "
        "build's time less that of a cold build with the variants cached, median over the runs."
    )
    print(
        "\n| tool | variants | image work wall s | CPU s | wall s per photo "
        "| wall ms per variant | CPU ms per variant |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, cost in costs.items():
        print(cost_row(name, cost, count))
    print("\nfocue's --report:")
    print("\n".join(focue_lines(results, count)))
    print("\nWhat each format costs:")
    print("\n".join(marginal_lines(costs, count)))
    base = costs["focue webp+jpeg"]
    webp = base.minus(costs["focue jpeg"])
    for name in (name for name in costs if not name.startswith("focue")):
        peer = costs[name]
        per_variant = peer.cpu / max(peer.variants, 1)
        print(
            f"- {name}: {1000 * peer.wall / max(peer.variants, 1):.0f} ms wall, "
            f"{1000 * per_variant:.0f} ms CPU per WebP variant: "
            f"{per_variant / (base.cpu / max(base.variants, 1)):.1f}× focue webp+jpeg's CPU per "
            f"variant, {per_variant / (webp.cpu / max(webp.variants, 1)):.1f}× focue's per WebP one"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="corpus size (default 1000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "focue-bench-images",
        help="where corpora and sites go; kept, so that reruns reuse the photos",
    )
    parser.add_argument(
        "--focue", type=Path, metavar="SRC", help="time focue_ssg from this src/ folder"
    )
    parser.add_argument("--hugo", help="the hugo binary (default: hugo on PATH, if any)")
    parser.add_argument(
        "--eleventy", help="the eleventy command (default: eleventy on PATH, if any)"
    )
    parser.add_argument("--no-peers", action="store_true", help="time focue only")
    args = parser.parse_args()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    chosen, notes = contenders(args, work)
    pristine = {fmt: corpus(work, args.articles, fmt) for fmt in {c.tool.format for c in chosen}}
    sites = {c.tool.name: work / "sites" / bench.folder_name(c.tool.name) for c in chosen}
    for contender in chosen:
        prepare(sites[contender.tool.name], pristine[contender.tool.format], contender)
    results: dict[str, dict[str, list[dict]]] = {c.tool.name: {} for c in chosen}
    for run in range(args.runs):
        for contender in chosen:
            name = contender.tool.name
            print(f"run {run + 1}/{args.runs}: {name}", file=sys.stderr, flush=True)
            one_round(sites[name], contender, results[name])
    print(
        f"focue image benchmark: {args.articles:,} articles, {args.runs} runs; "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, Pillow {version('pillow')}; "
        f"tools: {', '.join(c.tool.name for c in chosen)}\n"
    )
    for note in notes:
        print(f"{note}\n")
    samples = work / f"results-{args.articles}.json"
    samples.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    report(args.articles, published_photos(pristine["focue"]), chosen, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
