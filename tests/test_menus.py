"""Menus (issue 12): [[menu.main]] and [[menu.footer]] in focue.toml, pages that add
themselves, a main menu of its own without one, and the current entry marked."""

from __future__ import annotations

import pytest
from conftest import article, menu

MENUS = """title = "Menus"

[[menu.main]]
name = "World news"
section = "World"

[[menu.main]]
name = "China"
tag = "china"

[[menu.main]]
name = "About us"
page = "about"

[[menu.footer]]
name = "Elsewhere"
url = "https://example.org/"
"""


@pytest.fixture
def newsroom(site):
    site.write(
        {
            "focue.toml": MENUS,
            "content/a.md": article("A", section="World", tags=["China"]),
            "content/b.md": article("B", "2023-10-16", section="Business"),
            "content/pages/about.md": "---\ntitle: About\nmenu: footer\n---\n\nUs.\n",
            "content/pages/privacy.md": "---\ntitle: Privacy\nmenu: [footer]\n---\n\nData.\n",
        }
    )
    result = site.build()
    assert result.ok, [d.format() for d in result.diagnostics]
    return site


def test_both_menus_are_on_every_page_in_the_order_written(newsroom):
    pages = sorted(newsroom.output.rglob("*.html"))
    assert len(pages) == 16  # with /search/
    for path in pages:
        html = path.read_text()
        assert [name for name, _, _ in menu(html, "Site")] == ["World news", "China", "About us"]
        assert [name for name, _, _ in menu(html, "More")] == ["Elsewhere", "About", "Privacy"]


def test_the_current_entry_is_marked_and_no_other(newsroom):
    section = menu(newsroom.page("sections/world/index.html"), "Site")
    assert section == [
        ("World news", "/sections/world/", True),
        ("China", "/tags/china/", False),
        ("About us", "/about/", False),
    ]
    about = newsroom.page("about/index.html")
    assert [current for _, _, current in menu(about, "Site")] == [False, False, True]
    assert [current for _, _, current in menu(about, "More")] == [False, True, False]
    article_page = newsroom.page("2023/10/17/a/index.html")
    assert not any(current for _, _, current in menu(article_page, "Site"))


def test_without_a_main_menu_the_site_makes_one(site):
    files = {
        f"content/{section}-{n}.md": article(
            f"{section} {n}", f"2023-10-{n + 1:02d}", section=section
        )
        for section, count in (("World", 3), ("Business", 2), ("Tech", 1))
        for n in range(count)
    }
    site.write(files)
    assert site.build().ok
    assert menu(site.page("index.html"), "Site") == [
        ("Latest", "/", True),
        ("World", "/sections/world/", False),  # the largest section first
        ("Business", "/sections/business/", False),
        ("Tech", "/sections/tech/", False),
        ("Sections", "/sections/", False),
        ("Tags", "/tags/", False),
        ("Authors", "/authors/", False),
    ]
    assert 'aria-label="More"' not in site.page("index.html")  # no footer menu, no nav


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            'name = "Wrld"\nsection = "Wrld"',
            "focue.toml:2: error: menu.main entry 'Wrld': no section 'Wrld' (did you mean 'World'?)",
        ),
        (
            'name = "T"\ntag = "nothing"',
            "focue.toml:2: error: menu.main entry 'T': no tag 'nothing'",
        ),
        (
            'name = "P"\npage = "abot"',
            "focue.toml:2: error: menu.main entry 'P': no page 'abot' (did you mean 'about'?)",
        ),
        (
            'name = "Two"\nurl = "/"\npage = "about"',
            "focue.toml:2: error: menu.main entry 'Two' needs exactly one of 'url', 'page', "
            "'section', 'tag'",
        ),
        (
            'url = "/"',
            "focue.toml:2: error: menu.main: an entry needs a 'name', the text of its link",
        ),
        (
            'name = "X"\nlink = "/"',
            "focue.toml:2: error: menu.main: unknown key 'link'",
        ),
    ],
)
def test_an_entry_that_leads_nowhere_is_an_error_at_its_line(site, entry, message):
    site.write(
        {
            "focue.toml": f'title = "T"\n[[menu.main]]\n{entry}\n',
            "content/a.md": article("A", section="World"),
            "content/pages/about.md": "---\ntitle: About\n---\n\nUs.\n",
        }
    )
    result = site.build()
    assert [d.format() for d in result.diagnostics] == [message]


def test_a_menu_that_is_not_one_is_an_error(site):
    site.write(
        {"focue.toml": '[[menu.sidebar]]\nname = "X"\nurl = "/"\n', "content/a.md": article("A")}
    )
    result = site.build()
    assert [d.format() for d in result.diagnostics] == [
        "focue.toml:1: error: 'menu.sidebar' is not a menu; choose main or footer"
    ]
