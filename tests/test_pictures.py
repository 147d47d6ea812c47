"""Photos (issue 13): every local image in its widths and formats, sized and cropped,
with no metadata but its colour profile, encoded once, and bad files reported."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from conftest import NOW_ARG, article, bomb_png, contents, json_ld, photo, snapshot
from PIL import Image

GPS_IFD = 0x8825


def two_halves(width: int, height: int) -> bytes:
    """Red on the left, blue on the right: which half a crop kept shows in its pixels."""
    image = Image.new("RGB", (width, height), (220, 20, 20))
    image.paste((20, 20, 220), (width // 2, 0, width, height))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def animation_bomb(frames: int = 800) -> bytes:
    """A GIF of few bytes a frame whose frames hold more pixels than max_megapixels."""
    colours = [Image.new("RGB", (400, 400), ("red", "blue")[n % 2]) for n in range(frames)]
    out = io.BytesIO()
    colours[0].save(out, "GIF", save_all=True, append_images=colours[1:], duration=20)
    return out.getvalue()


def photo_site(root: Path) -> Path:
    files = {
        "focue.toml": 'title = "Photo Desk"\nbase_url = "https://photos.example.org/"\n'
        'logo = "images/logo.png"\n',
        "data/authors.toml": '["Ann Lens"]\nimage = "images/ann.jpg"\n',
        "static/images/logo.png": photo(600, 120, fmt="PNG", alpha=True, seed=1),
        "static/images/ann.jpg": photo(500, 500, seed=2),
        "static/images/market.jpg": photo(900, 600, gps=True, seed=3),
        "static/images/chart.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"/>',
        # a story in its own folder, its photo beside it (Hugo's page bundles)
        "content/2023/10/harbour/index.md": article(
            "Harbour Reopens",
            "2023-10-17 07:45",
            "The harbour reopened.\n\n"
            '![Cranes at the quay](cranes.jpg "Cranes were back at work by noon.")\n\n'
            "Traders returned ![a market stall](/images/market.jpg) in the afternoon.\n\n"
            "![The chart](/images/chart.svg)",
            authors=["Ann Lens"],
            image="quay.jpg",
            image_alt="Ships at the quay at dawn",
            image_caption="The quay at dawn.",
            image_credit="Ann Lens/Focue",
            featured=True,
        ),
        "content/2023/10/harbour/quay.jpg": photo(1200, 800, gps=True, orientation=1, seed=4),
        "content/2023/10/harbour/cranes.jpg": photo(800, 600, gps=True, orientation=6, seed=5),
        "content/2023/10/remote.md": article(
            "Remote Photo Story",
            "2023-10-16 07:45",
            image="https://images.example.net/a.jpg",
            image_alt="A remote photo",
            image_width="1600",
            image_height="900",
        ),
    }
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


@pytest.fixture
def desk(tmp_path):
    return photo_site(tmp_path / "site")


def build(focue, site: Path, *extra: str) -> dict:
    report = site.parent / "report.json"
    result = focue("build", str(site), "--now", NOW_ARG, "--report", str(report), *extra)
    data = json.loads(report.read_text())
    data["code"], data["err"] = result.code, result.err
    return data


def images_in(html: str) -> list[str]:
    return re.findall(r"<img\b[^>]*>", html)


def attribute(tag: str, name: str) -> str | None:
    found = re.search(rf'\s{name}="([^"]*)"', tag)
    return found.group(1) if found else None


def test_every_img_has_width_height_alt_and_srcset(desk, focue):
    assert build(focue, desk)["code"] == 0
    pages = [p for p in (desk / "output").rglob("*.html") if "http-equiv" not in p.read_text()]
    tags = [(page, tag) for page in pages for tag in images_in(page.read_text())]
    assert len(tags) >= 6  # lead, two body photos, the SVG, the front page's lead, the author
    for page, tag in tags:
        assert attribute(tag, "alt") is not None, (page, tag)
        assert attribute(tag, "width") and attribute(tag, "height"), (page, tag)
        if ".svg" not in attribute(tag, "src") and "images.example.net" not in tag:
            assert attribute(tag, "srcset"), (page, tag)


def test_the_article_page_offers_every_width_and_format(desk, focue):
    assert build(focue, desk)["code"] == 0
    html = (desk / "output/2023/10/17/harbour-reopens/index.html").read_text()
    lead = html.split('<figure class="lead-image">')[1].split("</figure>")[0]
    sources = re.findall(r'<source type="([^"]+)" srcset="([^"]+)" sizes="[^"]+">', lead)
    assert [kind for kind, _ in sources] == ["image/avif", "image/webp"]
    widths = [int(w) for w in re.findall(r" (\d+)w", sources[0][1])]
    assert widths == [320, 640, 960, 1200]  # the configured widths below its own, never wider
    img = images_in(lead)[0]
    assert attribute(img, "fetchpriority") == "high" and "loading" not in img
    assert (attribute(img, "width"), attribute(img, "height")) == ("1200", "800")
    assert "The quay at dawn." in lead and "Ann Lens/Focue" in lead
    body = html.split('<div class="article-body">')[1].split("</div>")[0]
    figure = re.search(
        r"<figure><picture>.*?</picture><figcaption>(.*?)</figcaption></figure>", body
    )
    assert figure and figure.group(1) == "Cranes were back at work by noon."
    for tag in images_in(body):
        assert attribute(tag, "loading") == "lazy" and attribute(tag, "decoding") == "async"
    # the camera said "turn a quarter": the page is told the upright size
    cranes = images_in(figure.group(0))[0]
    assert (attribute(cranes, "width"), attribute(cranes, "height")) == ("600", "800")
    assert 'src="/images/chart.svg"' in body  # SVG as it is


def test_variants_are_upright_and_carry_no_metadata_but_the_colour_profile(desk, focue):
    assert build(focue, desk)["code"] == 0
    output = desk / "output"
    media = sorted((output / "media").iterdir())
    assert len(media) > 40
    for path in media:
        image = Image.open(path)
        exif = image.getexif()
        assert not exif and GPS_IFD not in exif, path
        assert b"SERIAL-12345" not in path.read_bytes() and b"Focue Camera" not in path.read_bytes()
    for path in output.rglob("*"):  # no original with its GPS position, anywhere
        if path.suffix in (".jpg", ".png") and path.parent.name != "media":
            pytest.fail(f"an original was copied: {path}")
    cranes = [p for p in media if p.name.startswith("cranes-") and "w-" in p.name]
    assert cranes and all(Image.open(p).height > Image.open(p).width for p in cranes)


def test_search_and_social_crops_are_in_the_page_and_big_enough(desk, focue):
    assert build(focue, desk)["code"] == 0
    output = desk / "output"
    html = (output / "2023/10/17/harbour-reopens/index.html").read_text()
    data = json_ld(html)
    assert len(data["image"]) == 3
    sizes = []
    for url in data["image"]:
        image = Image.open(output / url.removeprefix("https://photos.example.org/"))
        sizes.append(image.size)
        assert image.width * image.height >= 50_000
    assert [round(w / h, 2) for w, h in sizes] == [1.78, 1.33, 1.0]
    social = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert Image.open(output / social.removeprefix("https://photos.example.org/")).size == (
        1200,
        630,
    )
    assert f'<meta name="twitter:image" content="{social}">' in html
    assert data["publisher"]["logo"]["url"].endswith(".png")  # transparency keeps PNG


def test_image_focus_decides_what_the_crops_keep(tmp_path, focue):
    def square_crop(focus: str) -> tuple[int, int, int]:
        site = tmp_path / focus.replace(",", "_")
        (site / "content").mkdir(parents=True)
        (site / "content/two.jpg").write_bytes(two_halves(1600, 600))
        (site / "content/story.md").write_text(
            article("Two Halves", image="two.jpg", image_alt="Red and blue", image_focus=focus)
        )
        assert build(focue, site)["code"] == 0
        html = next((site / "output").rglob("two-halves/index.html")).read_text()
        data = json_ld(html)
        square = Image.open(site / "output" / data["image"][-1].lstrip("/")).convert("RGB")
        return square.getpixel((square.width // 2, square.height // 2))

    left, right = square_crop("0,0.5"), square_crop("1,0.5")
    assert left[0] > 150 > left[2]  # red: the left edge kept
    assert right[2] > 150 > right[0]  # blue: the right edge kept


def test_each_variant_is_encoded_once_across_a_cold_build_and_three_rebuilds(desk, focue):
    cold = build(focue, desk)
    variants = len(list((desk / "output/media").iterdir()))
    assert cold["images_encoded"] == variants - 0 > 40
    assert build(focue, desk)["images_encoded"] == 0  # nothing changed
    story = desk / "content/2023/10/harbour/index.md"
    story.write_text(
        story.read_text().replace("The harbour reopened.", "The harbour opened again.")
    )
    edited = build(focue, desk)
    assert edited["code"] == 0 and edited["images_encoded"] == 0  # the text, not a photo
    other = desk / "content/2023/10/remote.md"
    other.write_text(other.read_text() + "\n![The quay again](harbour/quay.jpg)\n")
    again = build(focue, desk)
    assert again["code"] == 0 and again["images_encoded"] == 0  # a photo already made


def test_a_one_image_edit_rewrites_only_its_variants_and_its_pages(desk, focue):
    assert build(focue, desk)["code"] == 0
    before = contents(desk / "output")
    edit = photo(800, 600, gps=True, orientation=6, seed=9)  # the same shape, new pixels
    (desk / "content/2023/10/harbour/cranes.jpg").write_bytes(edit)
    result = build(focue, desk)
    assert result["code"] == 0
    after = contents(desk / "output")
    changed = {rel for rel in after if before.get(rel) != after[rel]}
    removed = set(before) - set(after)
    pages = {rel for rel in changed if not rel.startswith("media/")}
    assert pages == {"2023/10/17/harbour-reopens/index.html", "feed.xml", "atom.xml"} | {
        rel for rel in pages if rel.endswith(("atom.xml", "feed.xml"))
    }  # its page, and the feeds that carry its body
    assert {rel.split("/")[1].split("-")[0] for rel in changed - pages} == {"cranes"}
    assert {rel.split("/")[1].split("-")[0] for rel in removed} == {"cranes"}
    assert result["images_encoded"] == len(changed - pages) == len(removed)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (b"this is not a photo at all", r"image content/2023/10/harbour/cranes\.jpg is corrupt"),
        (bomb_png(20000, 20000), r"20000×20000 \(400 megapixels\), more than max_megapixels = 120"),
        (animation_bomb(), r"800 frames of 400×400 \(128 megapixels in all\), more than max_"),
        ("truncated", r"image content/2023/10/harbour/cranes\.jpg cannot be decoded"),
    ],
)
def test_a_bad_image_is_one_diagnostic_naming_it_and_the_output_is_untouched(
    desk, focue, bad, message
):
    assert build(focue, desk)["code"] == 0
    before = snapshot(desk / "output")
    if bad == "truncated":
        whole = photo(900, 700, seed=11)
        bad = whole[: len(whole) // 2]
    (desk / "content/2023/10/harbour/cranes.jpg").write_bytes(bad)
    result = build(focue, desk)
    assert result["code"] == 1
    errors = [line for line in result["err"].splitlines() if ": error: " in line]
    assert len(errors) == 1, errors
    assert re.match(r"content/2023/10/harbour/index\.md:\d+:\d+: error: ", errors[0]), errors[0]
    assert re.search(message, errors[0]), errors[0]
    assert "Traceback" not in result["err"]
    assert snapshot(desk / "output") == before


def test_missing_images_are_errors_where_they_are_named(desk, focue):
    story = desk / "content/2023/10/harbour/index.md"
    text = story.read_text().replace("image: quay.jpg", "image: gone.jpg")
    story.write_text(text.replace("cranes.jpg", "nowhere.jpg"))
    result = build(focue, desk)
    assert result["code"] == 1
    line = text.splitlines().index("image: gone.jpg") + 1
    assert (
        f"content/2023/10/harbour/index.md:{line}: error: image 'gone.jpg' not found (looked for "
        "content/2023/10/harbour/gone.jpg and static/gone.jpg)" in result["err"]
    )
    assert re.search(r"index\.md:\d+:\d+: error: image 'nowhere\.jpg' not found", result["err"])


def test_a_lead_image_without_alt_text_is_a_warning(desk, focue):
    story = desk / "content/2023/10/harbour/index.md"
    story.write_text(story.read_text().replace("image_alt: Ships at the quay at dawn\n", ""))
    result = build(focue, desk)
    assert result["code"] == 0
    assert re.search(
        r"harbour/index\.md:\d+: warning: the lead image has no alt text: describe it in "
        r"image_alt; its caption stands in",
        result["err"],
    )


def test_remote_images_are_left_as_they_are_and_sized_when_told(desk, focue):
    assert build(focue, desk)["code"] == 0
    html = (desk / "output/2023/10/16/remote-photo-story/index.html").read_text()
    assert (
        '<img alt="A remote photo" src="https://images.example.net/a.jpg" width="1600" '
        'height="900" fetchpriority="high">' in html
    )
    assert '<meta property="og:image" content="https://images.example.net/a.jpg">' in html


def test_settings_choose_widths_and_formats(desk, focue):
    config = desk / "focue.toml"
    config.write_text(
        config.read_text() + '[images]\nwidths = [400, 800]\nformats = ["webp", "jpeg"]\n'
    )
    assert build(focue, desk)["code"] == 0
    html = (desk / "output/2023/10/17/harbour-reopens/index.html").read_text()
    assert "image/avif" not in html and not list((desk / "output/media").glob("*.avif"))
    lead = html.split('<figure class="lead-image">')[1].split("</figure>")[0]
    assert re.findall(r" (\d+)w", lead) == ["400", "800", "400", "800"]  # WebP, then JPEG


def test_bad_image_settings_are_errors_at_their_line(desk, focue):
    config = desk / "focue.toml"
    config.write_text(config.read_text() + '[images]\nformats = ["avif"]\njpeg_quality = 0\n')
    result = build(focue, desk)
    assert result["code"] == 1
    assert 'focue.toml:5: error: images.formats must include "jpeg"' in result["err"]
    assert (
        "focue.toml:6: error: images.jpeg_quality must be an integer from 1 to 100" in result["err"]
    )


def test_the_same_photos_give_the_same_bytes(tmp_path, focue):
    first, second = photo_site(tmp_path / "one"), photo_site(tmp_path / "two")
    assert build(focue, first, "--no-cache")["code"] == 0
    assert build(focue, second, "-j", "2")["code"] == 0
    assert contents(first / "output") == contents(second / "output")


def test_the_store_keeps_only_what_some_output_shows(desk, focue):
    assert build(focue, desk)["code"] == 0
    store = next((desk / ".focue-cache").glob("media-*"))
    stale = desk / ".focue-cache/media-0.0"  # a store of another version of Pillow
    stale.mkdir()
    assert any(p.name.startswith("cranes-") for p in store.iterdir())
    story = desk / "content/2023/10/harbour/index.md"
    text = story.read_text()
    story.write_text(
        text.replace('![Cranes at the quay](cranes.jpg "Cranes were back at work by noon.")', "")
    )
    assert build(focue, desk)["code"] == 0
    assert not any(p.name.startswith("cranes-") for p in store.iterdir())
    assert sorted(p.name for p in store.iterdir()) == sorted(
        p.name for p in (desk / "output/media").iterdir()
    )
    assert not stale.exists()
    story.write_text(text)  # shown again: made again
    assert build(focue, desk)["images_encoded"] > 0


def test_an_animation_keeps_its_frames_and_loses_its_metadata(desk, focue):
    frames = [Image.new("RGB", (120, 80), colour) for colour in ("red", "green", "blue")]
    out = io.BytesIO()
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (39.0, 54.0, 27.0)}
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], duration=200, exif=exif)
    assert GPS_IFD in Image.open(io.BytesIO(out.getvalue())).getexif()
    (desk / "content/2023/10/harbour/cranes.jpg").unlink()
    (desk / "content/2023/10/harbour/loop.webp").write_bytes(out.getvalue())
    story = desk / "content/2023/10/harbour/index.md"
    story.write_text(story.read_text().replace("cranes.jpg", "loop.webp"))
    assert build(focue, desk)["code"] == 0
    (made,) = (desk / "output/media").glob("loop-*.webp")
    animation = Image.open(made)
    assert animation.n_frames == 3 and animation.size == (120, 80)
    assert not animation.getexif()
    html = (desk / "output/2023/10/17/harbour-reopens/index.html").read_text()
    assert f'src="/media/{made.name}"' in html


def test_a_drafts_photo_is_neither_shown_nor_copied(desk, focue):
    """A draft's static/ photo is not published as it is either: GPS and all."""
    story = desk / "content/2023/10/remote.md"
    story.write_text(
        article("Draft With Photo", "2023-10-16 07:45", draft="true", image="images/market.jpg")
    )
    (desk / "content/2023/10/harbour/index.md").write_text(
        article("Harbour", "2023-10-17 07:45", image="quay.jpg", image_alt="Quay")
    )
    assert build(focue, desk)["code"] == 0
    output = desk / "output"
    assert not (output / "images/market.jpg").exists()
    assert not [p for p in (output / "media").iterdir() if p.name.startswith("market-")]
    assert (output / "images/chart.svg").exists()  # a static file no story shows as a photo


def test_a_build_without_photos_or_cache_makes_no_scratch_store(tmp_path, focue, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content/plain.md").write_text(article("Plain Story", "2023-10-17 07:45"))
    assert build(focue, site, "--no-cache")["code"] == 0
    assert not [p for p in scratch.iterdir() if p.name.startswith("focue-media-")]
    desk = photo_site(tmp_path / "desk")  # with photos, the scratch store is made
    assert build(focue, desk, "--no-cache")["code"] == 0
    assert [p for p in scratch.iterdir() if p.name.startswith("focue-media-")]
