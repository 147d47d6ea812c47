"""Embeds that cost nothing until clicked (issue 13): a paragraph holding only a
YouTube, Vimeo, X, Instagram or Datawrapper URL becomes a facade that asks nothing of
the provider until the reader clicks; every other URL stays as written."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import pytest
from conftest import NOW_ARG, REPO, article

from focue_ssg.source.embeds import parse_embed
from focue_ssg.source.markdown import render_body

FORMS = [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"),
    ("https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42", "youtube",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&start=42"),
    ("https://youtu.be/dQw4w9WgXcQ", "youtube",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"),
    ("https://www.youtube.com/shorts/a_B-c1D2e3F", "youtube",
     "https://www.youtube-nocookie.com/embed/a_B-c1D2e3F?autoplay=1"),
    ("https://vimeo.com/76979871", "vimeo",
     "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1"),
    ("https://vimeo.com/76979871/8f3a2b1c9d", "vimeo",
     "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1&h=8f3a2b1c9d"),
    ("https://x.com/nytimes/status/1717170139148140657", "x", None),
    ("https://twitter.com/Reuters/status/1717170139148140657?s=20", "x", None),
    ("https://www.instagram.com/p/CzX1a2B3c4D/", "instagram",
     "https://www.instagram.com/p/CzX1a2B3c4D/embed/"),
    ("https://instagram.com/reel/C0dE5fG6h7I", "instagram",
     "https://www.instagram.com/reel/C0dE5fG6h7I/embed/"),
    ("https://datawrapper.dwcdn.net/Ab3De/4/", "datawrapper",
     "https://datawrapper.dwcdn.net/Ab3De/4/"),
    ("https://www.datawrapper.de/_/Ab3De/", "datawrapper", "https://datawrapper.dwcdn.net/Ab3De/"),
]  # fmt: skip
PROVIDERS = {
    "youtube": ("YouTube", "Watch the video on YouTube"),
    "vimeo": ("Vimeo", "Watch the video on Vimeo"),
    "x": ("X", "View the post on X"),
    "instagram": ("Instagram", "View the post on Instagram"),
    "datawrapper": ("Datawrapper", "View the chart on Datawrapper"),
}


def facades(page: str) -> list[dict[str, str | None]]:
    """Each facade's provider, iframe address, link and whether it has a load button."""
    found = []
    for attributes, inner in re.findall(r'<figure class="embed ([^>]*)>(.*?)</figure>', page, re.S):
        frame = re.search(r'data-embed="([^"]+)"', attributes)
        link = re.search(r'<a class="embed-link" href="([^"]+)"[^>]*>([^<]+)</a>', inner)
        found.append(
            {
                "provider": re.match(r"embed-(\w+)", attributes).group(1),
                "frame": html.unescape(frame.group(1)) if frame else None,
                "href": html.unescape(link.group(1)),
                "text": link.group(2),
                "name": re.search(r'<p class="embed-provider">([^<]+)</p>', inner).group(1),
                "button": "<button" in inner,
            }
        )
    return found


@pytest.mark.parametrize(("url", "provider", "frame"), FORMS)
@pytest.mark.parametrize("written", ["{}", "<{}>", "[{}]({})"], ids=["bare", "auto", "link"])
def test_a_paragraph_of_a_provider_url_becomes_a_facade(url, provider, frame, written):
    body = render_body(f"Before.\n\n{written.format(url, url)}\n\nAfter.\n", 1).html
    name, text = PROVIDERS[provider]
    assert facades(body) == [
        {
            "provider": provider,
            "frame": frame,
            "href": url,
            "text": text,
            "name": name,
            "button": frame is not None,
        }
    ]
    assert body.startswith("<p>Before.</p>\n<figure") and body.endswith("</figure>\n<p>After.</p>")


def test_the_load_button_waits_for_the_script_and_x_has_none():
    youtube = render_body("https://youtu.be/dQw4w9WgXcQ\n", 1).html
    button = '<button class="embed-load" hidden type="button">Load the video from YouTube</button>'
    assert button in youtube and 'data-title="YouTube video"' in youtube
    post = render_body("https://x.com/nytimes/status/1717170139148140657\n", 1).html
    assert "data-embed" not in post and "<button" not in post


ORDINARY = [
    "Watch https://youtu.be/dQw4w9WgXcQ now.",
    "https://youtu.be/dQw4w9WgXcQ https://youtu.be/dQw4w9WgXcQ",
    "https://example.com/watch?v=dQw4w9WgXcQ",
    "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://notyoutube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com/watch?v=dQw4w9WgXc",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&v=aaaaaaaaaaa",
    "https://www.youtube.com/channel/dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ/extra",
    "https://user@youtu.be/dQw4w9WgXcQ",
    "https://youtu.be:8080/dQw4w9WgXcQ",
    "ftp://youtu.be/dQw4w9WgXcQ",
    "https://vimeo.com/channels/staffpicks",
    "https://vimeo.com/76979871/NOTAHASH",
    "https://x.com/nytimes",
    "https://x.com/nytimes/status/12a4",
    "https://www.instagram.com/nytimes/",
    'https://www.instagram.com/p/a"b/',
    "https://datawrapper.dwcdn.net/Ab3De/latest/",
    "https://datawrapper.dwcdn.net/Ab3Def/",
    "https://app.datawrapper.de/chart/Ab3De/visualize",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_other_urls_and_lookalikes_stay_as_written(text):
    assert parse_embed(text) is None
    assert "<figure" not in render_body(f"<{text}>\n\n{text}\n", 1).html


def test_a_link_with_its_own_words_and_a_nested_url_stay_links():
    body = "[the video](https://youtu.be/dQw4w9WgXcQ)\n\n> https://youtu.be/dQw4w9WgXcQ\n"
    page = render_body(body, 1).html
    assert "<figure" not in page
    assert '<a href="https://youtu.be/dQw4w9WgXcQ">the video</a>' in page


def test_smart_quotes_leave_ids_and_facade_alone():
    page = render_body("https://youtu.be/ab--cd_efgh\n", 1, smart_quotes=True).html
    assert (
        facades(page)[0]["frame"] == "https://www.youtube-nocookie.com/embed/ab--cd_efgh?autoplay=1"
    )
    assert "&ndash;" not in page


def test_an_embed_is_not_the_summary():
    assert render_body("https://youtu.be/dQw4w9WgXcQ\n\nThe story.\n", 1).summary == "The story."


def test_sponsored_articles_facade_links_are_sponsored():
    url = "https://vimeo.com/76979871"
    paid = render_body(f"{url}\n", 1, sponsored=True).html
    assert f'<a class="embed-link" href="{url}" rel="sponsored">' in paid
    assert "rel=" not in render_body(f"{url}\n", 1).html


def test_the_built_page_asks_nothing_of_a_provider_before_the_click(tmp_path, focue):
    body = "\n\n".join(["Intro.", *(url for url, _, _ in FORMS), "End."])
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content/embeds.md").write_text(article("Embeds", body=body), encoding="utf-8")
    (site / "content/plain.md").write_text(article("Plain", "2023-10-16"), encoding="utf-8")
    assert focue("build", str(site), "--now", NOW_ARG).code == 0
    page = (site / "output/2023/10/17/embeds/index.html").read_text(encoding="utf-8")
    assert [facade["href"] for facade in facades(page)] == [url for url, _, _ in FORMS]
    assert "<iframe" not in page
    sources = re.findall(r'\bsrc="([^"]*)"', page)
    assert sources and all(source.startswith("/") for source in sources)
    assert re.search(r'<script src="/static/embeds\.js\?v=\w+" defer></script>', page)
    assert (site / "output/static/embeds.js").is_file()
    plain = (site / "output/2023/10/16/plain/index.html").read_text(encoding="utf-8")
    assert "embeds.js" not in plain


# A few stand-ins for the DOM: enough to run the script's click and message handlers.
DOM_STUB = """
const listeners = {}, frames = [];
const element = (tag) => ({
  tag, hidden: true, dataset: {}, style: {}, classes: [], events: {},
  classList: { add(name) { this.owner.classes.push(name); } },
  addEventListener(type, handler) { this.events[type] = handler; },
  replaceChildren(child) { this.children = [child]; child.parentNode = this; },
  focus() { focused = this; },
});
let focused = null;
const button = element("button");
const figure = element("figure");
figure.classList.owner = figure;
figure.dataset = { embed: FRAME, title: "YouTube video" };
figure.querySelector = () => button;
global.window = { addEventListener(type, handler) { listeners[type] = handler; } };
global.document = {
  createElement(tag) { const made = element(tag); frames.push(made); return made; },
  querySelectorAll: (selector) => selector.startsWith("figure") ? [figure] : frames,
};
"""
DOM_CHECK = """
const visible = !button.hidden;
button.events.click();
const frame = figure.children[0];
frame.contentWindow = "chart";
listeners.message({ origin: "https://datawrapper.dwcdn.net", source: "chart",
                    data: { "datawrapper-height": { Ab3De: 512 } } });
console.log(JSON.stringify({ visible, tag: frame.tag, src: frame.src, title: frame.title,
  loading: frame.loading, allow: frame.allow, focused: focused === frame,
  classes: figure.classes, height: frame.style.height }));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run the script")
def test_the_script_shows_the_button_and_swaps_in_the_frame_on_click():
    frame = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    script = (REPO / "themes/focue/static/embeds.js").read_text(encoding="utf-8")
    program = f"const FRAME = {json.dumps(frame)};\n{DOM_STUB}\n{script}\n{DOM_CHECK}"
    result = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == {
        "visible": True,
        "tag": "iframe",
        "src": frame,
        "title": "YouTube video",
        "loading": "lazy",
        "allow": "autoplay; encrypted-media; fullscreen; picture-in-picture",
        "focused": True,
        "classes": ["embed-loaded"],
        "height": "512px",
    }
