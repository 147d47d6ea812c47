import re

from focue_ssg.markup import (
    LINK_TOKEN_PATTERN,
    READ_MORE_PATTERN,
    extract_conventions,
    render_body,
    split_names,
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
