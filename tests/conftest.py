"""Shared helpers: small fixture sites written to tmp_path, and the CLI run in-process."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
import struct
import textwrap
import types
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from focue_ssg.cli.main import main
from focue_ssg.pipeline import BuildOptions, BuildResult, build

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
BADINPUT = FIXTURES / "badinput"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
NOW_ARG = "2026-01-01T00:00:00+00:00"


def article(title: str, date: str = "2023-10-17 07:45", body: str = "Body text.", **fields) -> str:
    """Markdown source with YAML front matter; list values become YAML flow lists."""
    lines = [
        "---",
        f"title: {title!r}" if "'" not in title else f'title: "{title}"',
        f"date: {date}",
    ]
    for name, value in fields.items():
        if isinstance(value, (list, tuple)):
            items = ", ".join(f'"{v}"' for v in value)
            lines.append(f"{name}: [{items}]")
        elif isinstance(value, bool):
            lines.append(f"{name}: {'true' if value else 'false'}")
        else:
            lines.append(f"{name}: {value}")
    lines += ["---", "", textwrap.dedent(body).strip(), ""]
    return "\n".join(lines)


def json_ld(html: str) -> dict:
    """A page's JSON-LD block, parsed."""
    block = re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', html, re.S)
    return json.loads(block.group(1))


def menu(html: str, label: str) -> list[tuple[str, str, bool]]:
    """(name, url, is current) of each entry of the nav with this aria-label."""
    nav = re.search(rf'<nav class="[\w-]+" aria-label="{label}">(.*?)</nav>', html, re.S)
    items = re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav.group(1))
    return [(name, url, bool(current)) for url, current, name in items]


def lead(html: str) -> str | None:
    """The headline a listing page leads with, if it leads with one."""
    pattern = r'<article class="lead-story">.*?<h2 class="lead-story-title"><a[^>]*>([^<]+)'
    found = re.search(pattern, html, re.S)
    return found.group(1) if found else None


SAMPLE_PARTS = ("content", "static", "themes", "data", "focue.toml")


def copy_sample(target: Path) -> Path:
    """A copy of the sample site (its sources, not its output) at `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for name in SAMPLE_PARTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.exists():
            shutil.copy(source, target / name)
    return target


def photo(
    width: int = 1600,
    height: int = 1000,
    *,
    fmt: str = "JPEG",
    gps: bool = False,
    orientation: int | None = None,
    alpha: bool = False,
    seed: int = 0,
) -> bytes:
    """A small photo-like image, with the EXIF a camera writes (and a GPS position if
    asked): shapes over a gradient, so encoders have real work and crops differ."""
    import io

    from PIL import Image, ImageDraw

    mode = "RGBA" if alpha else "RGB"
    image = Image.linear_gradient("L").resize((width, height)).convert(mode)
    draw = ImageDraw.Draw(image)
    for i in range(6):
        x, y = (seed * 37 + i * 211) % width, (seed * 53 + i * 157) % height
        fill = (
            (i * 40 + seed) % 256,
            (i * 90) % 256,
            (200 - i * 30) % 256,
            255 if not alpha else 128,
        )
        draw.ellipse((x, y, x + width // 4, y + height // 4), fill=fill[: len(mode)])
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x013B] = "Focue Camera Co.", "FC-1", "Staff Photographer"
    exif[0xA431] = "SERIAL-12345"  # body serial number (in the main IFD here, as some cameras do)
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 30.0)})
    out = io.BytesIO()
    image.save(out, fmt, exif=exif) if fmt != "PNG" else image.save(out, fmt)
    return out.getvalue()


def bomb_png(width: int, height: int) -> bytes:
    """A PNG whose header claims this size; its few bytes of data never decode."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@contextmanager
def nested(root: Path, depth: int) -> Iterator[list[Path]]:
    """`root` and a chain of `depth` folders below it, removed bottom up afterwards with
    whatever files the test left in them: shutil.rmtree recurses once per folder."""
    folders = [root] + [root.joinpath(*["a"] * n) for n in range(1, depth + 1)]
    for folder in folders:
        folder.mkdir(parents=folder is root, exist_ok=folder is root)
    try:
        yield folders
    finally:
        for folder in reversed(folders):
            for leftover in folder.iterdir():
                if not leftover.is_dir() or leftover.is_symlink():
                    leftover.unlink()
            folder.rmdir()


def benchmark(name: str) -> types.ModuleType:
    """A script of benchmarks/ (which is not a package), loaded as a module."""
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under root with its content hash and mtime, to prove nothing changed."""
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def contents(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@dataclass
class Site:
    root: Path

    @property
    def output(self) -> Path:
        return self.root / "output"

    def write(self, files: dict[str, str | bytes]) -> Site:
        write_files(self.root, files)
        return self

    def build(self, **options) -> BuildResult:
        options.setdefault("now", NOW)
        return build(BuildOptions(site_dir=self.root, **options))

    def page(self, rel: str) -> str:
        return (self.output / rel).read_text(encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Site:
    (tmp_path / "site" / "content").mkdir(parents=True)
    return Site(tmp_path / "site")


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def focue(capsys) -> Callable[..., CliResult]:
    """Run `focue ARGS` in-process, returning exit code and captured output."""

    def run(*args: str) -> CliResult:
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def every_kind_files(redirects_file: bool = False) -> dict[str, str | bytes]:
    """A small site with a page of every kind: tags, sections and authors with pages,
    archives, feeds, a story in the news window, aliases (as redirect pages, or as
    `_redirects` rules), Read More lines, links between stories, an author's details
    and photo, a standalone page, a corrected story, a pinned and a featured story,
    section blocks, a lead photo and one in a body."""
    return {
        "static/images/alpha.jpg": photo(480, 320, gps=True),
        "static/images/wei.jpg": photo(400, 400, seed=3),
        "content/2023/chart.png": photo(360, 240, fmt="PNG", alpha=True, seed=5),
        "focue.toml": (
            f'title = "Every Kind"\npage_size = 2\nredirects_file = {str(redirects_file).lower()}\n'
            '[home]\nsections = ["World", "Business"]\nsection_stories = 1\n'
        ),
        "data/authors.toml": '["Wei Chen"]\nbio = "Covers trade."\nurl = "https://example.org/wei"\n'
        'image = "images/wei.jpg"\n',
        "content/2023/a.md": article(
            "Alpha Story",
            "2023-10-17 07:45",
            "First paragraph.\n\nRead More: Beta Story\n\nSee [the gamma story](c.md#details)."
            '\n\n![A chart of trade](chart.png "Trade, by month")',
            tags=["China", "Trade"],
            section="World",
            authors=["Wei Chen"],
            aliases=["/old/alpha/"],
            image="images/alpha.jpg",
            image_alt="A port at dawn",
            pinned_until="2030-01-01 00:00",
        ),
        "content/2023/b.md": article(
            "Beta Story",
            "2023-10-16 07:45",
            "Beta body.\n\n--With assistance from Ann Lee and Bo Park",
            tags=["China"],
            section="Business",
            authors=["Wei Chen", "Sam Okafor"],
            updated="2023-10-18 09:00",
        ),
        "content/2023/c.md": article(
            "Gamma Story",
            "2023-09-15 07:45",
            "## Details\n\nGamma body.",
            tags=["Trade"],
            summary="A summary of gamma.",
            read_more=["a.md"],
            corrections="[{date: 2023-09-16 08:00, text: Fixed a figure.}]",
            updates="[{date: 2023-09-17 08:00, text: Adds a response.}]",
        ),
        "content/2025/fresh.md": article(
            "Fresh Story",
            "2025-12-31 08:00",
            "Just in.",
            section="World",
            slug="fresh",
            featured=True,
        ),
        "content/2025/draft.md": article("Draft Story", "2025-12-30 08:00", draft=True),
        "content/pages/about.md": (
            "---\ntitle: About Us\nupdated: 2025-12-01 10:00\nsummary: Who we are.\n"
            "image: /images/wei.jpg\nimage_alt: The newsroom\n---\n\n"
            "We wrote [the alpha story](../2023/a.md).\n"
        ),
    }
