"""A story with thousands of tags or authors builds in time in proportion to them.

Such a story is in each of its tags' and authors' feeds, and each entry named all of
them: 5,000 tags took 28 s and 5,000 authors 37 s to build, growing with the square.
An entry now names the first 50 (the story's page names them all). Its search record
is shortened to fit its slot one author at a time, once per author it held: now it
starts from no more authors than could ever fit, which gives the same record.
"""

from __future__ import annotations

import re

from conftest import NOW_ARG, article
from hypothesis import given
from hypothesis import strategies as st

from focue_ssg.core.text import compact_json, text_key
from focue_ssg.pages.kinds.feed import MAX_NAMES
from focue_ssg.pages.kinds.search import SLOT, _record, _shorter, slotted


def test_a_feed_entry_names_the_first_fifty_tags_and_authors(site, focue):
    tags = [f"Tag {n}" for n in range(MAX_NAMES + 10)]
    authors = [f"Writer {n}" for n in range(MAX_NAMES + 10)]
    site.write(
        {"content/2023/10/a.md": article("Many", "2023-10-16 07:45", tags=tags, authors=authors)}
    )
    assert focue("build", str(site.root), "--now", NOW_ARG).code == 0
    for feed in ("feed.xml", "tags/tag-7/feed.xml", "authors/writer-3/feed.xml"):
        rss = (site.output / feed).read_text()
        assert re.findall(r"<category>(.*?)</category>", rss) == tags[:MAX_NAMES]
        assert re.findall(r"<dc:creator>(.*?)</dc:creator>", rss) == authors[:MAX_NAMES]
    atom = (site.output / "tags/tag-59/atom.xml").read_text()
    assert re.findall(r'<category term="([^"]*)"', atom) == tags[:MAX_NAMES]
    page = (site.output / "2023/10/16/many/index.html").read_text()
    assert all(f">{tag}</a>" in page for tag in tags)


def old_slotted(card: dict) -> str:
    """The record of every author, shortened one at a time."""
    record = _record({**card, "authors": []})
    record[-1] = [[a["name"], text_key(a["name"])] for a in card["authors"]]
    text = compact_json(record)
    while len(text.encode()) >= SLOT:
        record = _shorter(record)
        text = compact_json(record)
    return text + " " * (SLOT - 1 - len(text.encode()))


NAMES = st.text(alphabet="ab é", min_size=1, max_size=3)


@given(st.lists(NAMES, max_size=200), st.text(alphabet="ab ", max_size=300))
def test_a_record_of_many_authors_is_the_one_shortening_them_all_gave(names, summary):
    card = {
        "title": "T",
        "url": "/t/",
        "date_iso": "2023-10-16T07:45:00+00:00",
        "section": None,
        "summary": summary,
        "tags": [{"name": "x"}],
        "authors": [{"name": name} for name in names],
    }
    assert slotted(_record(card)) == old_slotted(card)
