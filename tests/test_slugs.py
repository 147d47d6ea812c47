import pytest

from focue_ssg.core.text import MAX_SEGMENT_BYTES, MAX_SLUG_LENGTH, slug_problem, slugify


@pytest.mark.parametrize(
    "text, slug",
    [
        (
            "Will Xi Jinping’s Gamble on Vladimir Putin Pay Off?",
            "will-xi-jinpings-gamble-on-vladimir-putin-pay-off",
        ),
        (
            "Xi’s $1 Trillion ‘Project of the Century’ Gets a Reality Check",
            "xis-1-trillion-project-of-the-century-gets-a-reality-check",
        ),
        ("Un café à Paris", "un-cafe-a-paris"),
        ("Côte d’Ivoire", "cote-divoire"),
        ("Straße", "strasse"),
        ("Москва", "moskva"),
        (
            "What we can learn from the Interior&#39;s social feeds",
            "what-we-can-learn-from-the-interiors-social-feeds",
        ),
        ("2024", "2024"),
        ("!!!", ""),
    ],
)
def test_slugs_are_ascii_and_readable(text, slug):
    assert slugify(text) == slug


def test_symbols_keep_distinct_tags_distinct():
    assert len({slugify("C"), slugify("C++"), slugify("C#")}) == 3


def test_long_titles_are_cut_at_a_word_boundary():
    slug = slugify("headline " * 80)
    assert len(slug) <= MAX_SLUG_LENGTH
    assert slug.endswith("headline")


@pytest.mark.parametrize(
    "slug", ["same-story", "a", "2023_report", "v1.2", "x" * MAX_SEGMENT_BYTES]
)
def test_valid_slugs(slug):
    assert slug_problem(slug) is None


@pytest.mark.parametrize(
    "slug",
    ["../../../../tmp/owned", "a/b", "..", ".hidden", "", "café", "a b", "x\\y", "x" * 241],
)
def test_invalid_slugs(slug):
    assert slug_problem(slug) is not None
