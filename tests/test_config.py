from pathlib import Path

from focue_ssg.config.settings import SiteConfig, load_config, parse_config


def test_every_key_has_a_default():
    config, problems = parse_config("")
    assert problems == ()
    assert config == SiteConfig()
    assert config.timezone == "UTC"
    assert config.page_size == 10
    assert config.permalink == "/{year}/{month}/{day}/{slug}/"
    assert config.related_articles == 5


def test_missing_file_gives_defaults(tmp_path: Path):
    assert load_config(tmp_path) == (SiteConfig(), ())


def test_values_are_read_and_base_url_normalised():
    config, problems = parse_config(
        'title = "Daily"\nbase_url = "https://user.github.io/news"\ntimezone = "Asia/Shanghai"\n'
        "page_size = 3\n"
    )
    assert problems == ()
    assert config.title == "Daily"
    assert config.base_url == "https://user.github.io/news/"
    assert config.base_path == "/news/"
    assert config.zone.key == "Asia/Shanghai"
    assert config.page_size == 3


def test_unknown_key_is_an_error_with_line_and_hint():
    _, problems = parse_config('title = "x"\n\npage_sise = 4\n')
    assert [p.format() for p in problems] == [
        "focue.toml:3: error: unknown key 'page_sise' (did you mean 'page_size'?)"
    ]


def test_wrong_types_and_bad_values_are_errors():
    text = (
        'page_size = "ten"\ntimezone = "Mars/Olympus"\npermalink = "/{slug}"\n'
        'base_url = "ftp://x.org/"\nrelated_articles = -1\ntheme = "../up"\n'
    )
    _, problems = parse_config(text)
    by_line = {p.line: p.message for p in problems}
    assert "must be an integer" in by_line[1]
    assert "IANA time zone" in by_line[2]
    assert "must end with '/'" in by_line[3]
    assert "http(s)" in by_line[4]
    assert "0 or more" in by_line[5]
    assert "folder name" in by_line[6]


def test_permalink_must_hold_slug_and_known_fields():
    assert "must contain {slug}" in parse_config('permalink = "/{year}/"')[1][0].message
    assert "unknown field '{hour}'" in parse_config('permalink = "/{hour}/{slug}/"')[1][0].message
    config, problems = parse_config('permalink = "/{section}/{slug}.html"')
    assert problems == () and config.permalink == "/{section}/{slug}.html"


def test_invalid_toml_names_line_and_column():
    _, problems = parse_config('title = "x"\npage_size = \n')
    assert problems[0].line == 2
    assert problems[0].message.startswith("invalid TOML")
