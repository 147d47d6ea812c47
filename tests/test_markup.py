import re
from pathlib import Path

import markdown
import pytest
from markdown.extensions.def_list import DefListExtension
from markdown.inlinepatterns import SimpleTagInlineProcessor

from focue_ssg.core.text import split_names
from focue_ssg.model.article import LINK_TOKEN_PATTERN, READ_MORE_PATTERN
from focue_ssg.source.conventions import extract_conventions
from focue_ssg.source.markdown import (
    PLAIN_PARAGRAPH,
    BodyRefused,
    _check_nesting,
    inline_triggers,
    knows_block_processors,
    new_markdown,
    render_body,
)


def test_read_more_lines_become_placeholders_with_their_lines():
    body = (
        "Intro.\n\nRead More: [Other Story](2023/10/other.md)\n\nRead More: Some Headline\n\nEnd.\n"
    )
    text, refs, _ = extract_conventions(body, first_line=5)
    assert [(r.kind, r.target, r.text, r.line, r.column) for r in refs] == [
        ("link", "2023/10/other.md", "Other Story", 7, 26),
        ("title", "Some Headline", "Some Headline", 9, 12),
    ]
    assert "Read More" not in text
    assert text.count("\n") == body.count("\n")


def test_read_more_to_other_sites_and_inside_code_stays_as_written():
    body = (
        "Read More: [Elsewhere](https://example.com/x)\n\n"
        "```\nRead More: In Code\n```\n\n"
        "    Read More: indented code\n\n"
        "Text continues\nRead More: not a paragraph of its own\n"
    )
    _, refs, _ = extract_conventions(body, 1)
    assert refs == ()


def test_bold_label_and_link_title_are_understood():
    _, refs, _ = extract_conventions('**Read More:** [A](<a b.md> "title")\n', 1)
    assert (refs[0].target, refs[0].text) == ("a b.md", "A")


def test_closing_assistance_line_becomes_contributors():
    body = "Story.\n\n--With assistance from Clara Ferreira Marques, Sarah Chen and Xiao Zibang.\n"
    text, _, contributors = extract_conventions(body, 1)
    assert contributors == ("Clara Ferreira Marques", "Sarah Chen", "Xiao Zibang")
    assert "assistance" not in text


def test_assistance_line_elsewhere_is_body_text():
    body = "--With assistance from A and B.\n\nMore story.\n"
    _, _, contributors = extract_conventions(body, 1)
    assert contributors == ()


def test_split_names_handles_oxford_comma_and_ampersand():
    assert split_names("A, B, and C") == ("A", "B", "C")
    assert split_names("A & B") == ("A", "B")
    assert split_names("Anderson Cooper") == ("Anderson Cooper",)


def test_render_body_keeps_placeholders_and_finds_summary():
    body = render_body("First *paragraph* here.\n\nRead More: Other\n\nSecond.\n", 5)
    assert READ_MORE_PATTERN.search(body.html)
    assert body.summary == "First paragraph here."
    assert body.read_more[0].line == 7


def test_headings_get_anchors_and_h1_is_demoted():
    html = render_body("# Big\n\n## Smaller\n\nText.\n", 1).html
    assert "<h1" not in html
    assert re.search(r'<h2 id="big">Big<a class="headerlink" href="#big"', html)
    assert '<h3 id="smaller">' in html


def test_links_to_markdown_files_become_tokens():
    body = render_body("See [the other](../09/other.md#part) and [web](https://x.org/a.md).\n", 10)
    assert LINK_TOKEN_PATTERN.search(body.html)
    assert 'href="https://x.org/a.md"' in body.html
    assert [(link.target, link.line) for link in body.links] == [("../09/other.md#part", 10)]


def test_template_syntax_from_other_generators_is_text():
    html = render_body('{% image "a.jpg" "alt" %}\n\nLink: {{ "/x/" | url }}\n', 1).html
    assert "{% image" in html and "{{" in html


def test_raw_html_is_kept():
    html = render_body('<div class="box">\n<p>Inside</p>\n</div>\n\nAfter.\n', 1).html
    assert '<div class="box">' in html


def test_summary_is_the_first_paragraph_with_text():
    body = "![](x.jpg)\n\n<div>\n<p>In a block</p>\n</div>\n\nRead More: X\n\nReal <em>text</em> &amp; <b>more</b>.\n"
    assert render_body(body, 1).summary == "Real text & more."
    long = render_body("word " * 200, 1).summary
    assert len(long) <= 301 and long.endswith("…")


def test_smart_quotes_are_optional():
    plain = render_body('"Quoted" -- it\'s', 1).html
    smart = render_body('"Quoted" -- it\'s', 1, smart_quotes=True).html
    assert '"Quoted"' in plain
    assert "&ldquo;Quoted&rdquo; &ndash; it&rsquo;s" in smart


# -- the plain-text fast path must not change a single byte -----------------------

TRICKY = [
    "line one  \nline two",
    "text\\\nnext, a \\*literal\\* star",
    "a & b, &amp; &copy; &#169; &#xA9;",
    "<span class='x'>inline</span> html and <http://example.com> and <me@example.com>",
    "`code` and ``double `tick` code``",
    "*em* **strong** ***both*** _em_ __strong__ snake_case_word 2 * 3",
    "[link](a.md) [ref][r] ![img](a.png) [short]\n\n[r]: /x\n[short]: /y",
    "Footnote[^1].\n\n[^1]: The note, with *emphasis*.",
    "It's \"quoted\" -- dashed --- and... trailing 'single' and <<angled>>",
    "# Heading {#custom}\n\nPara {: .lead }\n\n## Second heading",
    "| a | b |\n|---|---|\n| *x* | plain |\n| y | [z](b.md) |",
    "- plain item\n- *em* item\n    - nested plain\n\n1. one\n2. two",
    "> quoted plain\n> with *em*\n\n    indented code *not em*",
    "```\nfenced *code* & <b>\n```\n\nafter fence",
    "<div>\nraw *block*\n</div>\n\nplain after raw",
    "plain with\ttab and unicode — “already curly” … done",
    "Title line\n===\n\nSub line\n---\n\npara\n***\n\npara\n   - - -\n\n__ __ __",
    "text\n# not a heading in a paragraph\n\ntext\n> quote starts here\n\n2023. A year",
    "1. one\n\nlazy paragraph after a list\n\n- item\ncontinued lazily\n\nplain again",
    "- item\n\n    indented second paragraph\n\nback at the top",
    "text\n[ref]: /there\n\n[ref] used\n\nsome+plus and 5+3 and a-b",
    "\u00a0starts with a no-break space\n\nnext para",
    "Note[^n]\n\n[^n]: first\n\n    second, indented\n\nplain after the note",
    "> quoted\nlazy quote line\n\nafter the quote",
    "a | b\n--|--\n1 | 2",
]


def _fixture_bodies() -> list[str]:
    import frontmatter

    root = Path(__file__).parent
    bodies = []
    for path in sorted((root / "fixtures").rglob("*.md")) + sorted(
        (root.parent / "content").rglob("*.md")
    ):
        try:
            bodies.append(frontmatter.loads(path.read_text(encoding="utf-8")).content)
        except Exception:  # badinput holds files that are not articles at all
            bodies.append(path.read_bytes().decode("utf-8", "replace"))
    return bodies


def _convert(md: markdown.Markdown, body: str) -> str:
    md.reset()
    md.focue_source, md.focue_first_line = body, 1  # what render_body hands the extension
    return md.convert(body)


def _refused(body: str) -> bool:
    try:
        _check_nesting(body, 1)
    except BodyRefused:
        return True
    return False


def _without_fast_path(smart_quotes: bool) -> markdown.Markdown:
    md = new_markdown(smart_quotes)
    md.treeprocessors.deregister("focue_plain_text")
    md.parser.blockprocessors.deregister(PLAIN_PARAGRAPH)
    return md


@pytest.mark.parametrize("smart_quotes", [False, True])
def test_plain_text_fast_paths_give_identical_html(smart_quotes):
    fast, slow = new_markdown(smart_quotes), _without_fast_path(smart_quotes)
    bodies = TRICKY + _fixture_bodies()
    # 25 tricky cases, 549 fixture files (510 real-world, 34 bad input, 5 more), 14 articles
    assert len(bodies) == 591
    for body in bodies:
        if _refused(body):
            continue  # nested too deep for the parser: render_body refuses it first
        assert _convert(fast, body) == _convert(slow, body), body[:200]


def test_fast_path_knows_the_patterns_in_use():
    triggers = inline_triggers(new_markdown(False))
    assert triggers is not None
    assert triggers.search("Plain wire copy, with 3.5% growth (and commas).") is None
    for text in ("a *b*", "a_b", "[x]", "<b>", "&amp;", "`c`", "a\\b", "line  \nnext"):
        assert triggers.search(text), text
    smart = inline_triggers(new_markdown(True))
    assert smart is not None and smart.search("it's") and not triggers.search("it's")


def test_fast_path_steps_aside_for_unknown_patterns():
    md = new_markdown(False)
    md.inlinePatterns.register(SimpleTagInlineProcessor(r"()%%(.+?)%%", "mark"), "mark", 55)
    assert inline_triggers(md) is None
    assert "<mark>plain</mark>" in _convert(md, "some %%plain%% text")


def test_plain_paragraphs_skip_the_block_processors():
    md = new_markdown(False)
    plain = md.parser.blockprocessors[PLAIN_PARAGRAPH]
    assert plain.test(None, "Wire copy, 3.5% growth.\nA second line (with commas).")
    for block in ("# Head", "text\n---", "> q", "- item", "1. one", "[r]: /x", "a | b", "    code"):
        assert not plain.test(None, block), block


def test_the_block_fast_path_steps_aside_for_unknown_processors():
    md = new_markdown(False)
    DefListExtension().extendMarkdown(md)
    assert not knows_block_processors(md)
    assert "<dl>" in _convert(md, "Term\n: definition")
    assert knows_block_processors(new_markdown(False))
