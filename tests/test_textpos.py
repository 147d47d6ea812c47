import tomllib

import pytest

from focue_ssg.core.textpos import line_col, line_of_key, toml_error_position


def test_line_col_is_one_based():
    assert line_col("ab\ncd", 0) == (1, 1)
    assert line_col("ab\ncd", 4) == (2, 2)


def test_line_of_key_finds_assignments_not_mentions():
    text = '# page_size is set below\ntitle = "page_size"\n\n  page_size = 3\n'
    assert line_of_key(text, "page_size") == 4
    assert line_of_key(text, "missing") is None


def test_toml_error_position():
    with pytest.raises(tomllib.TOMLDecodeError) as info:
        tomllib.loads("a = 1\nb = \n")
    assert toml_error_position(info.value) == (2, 5)
    assert toml_error_position(ValueError("no position")) == (None, None)
