from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from focue_ssg.core.text import isoformat
from focue_ssg.source.dates import DateError, InvalidTimestamp, date_from_file_name, to_datetime

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_naive_times_are_read_in_the_given_zone():
    value = to_datetime("2023-10-17 07:45", SHANGHAI)
    assert isoformat(value) == "2023-10-17T07:45:00+08:00"
    assert (
        isoformat(to_datetime(datetime(2023, 10, 17, 7, 45), SHANGHAI))
        == "2023-10-17T07:45:00+08:00"
    )


def test_times_with_an_offset_keep_the_writers_local_time():
    assert isoformat(to_datetime("2023-10-16T23:45:00Z", SHANGHAI)) == "2023-10-16T23:45:00+00:00"
    yaml_value = datetime(2023, 10, 17, 7, 45, tzinfo=timezone(timedelta(hours=-4)))
    assert isoformat(to_datetime(yaml_value, SHANGHAI)) == "2023-10-17T07:45:00-04:00"


def test_converting_shows_the_same_instant_in_the_zone():
    value = to_datetime("2023-10-16T23:45:00Z", SHANGHAI, convert=True)
    assert isoformat(value) == "2023-10-17T07:45:00+08:00"


def test_bare_dates_are_midnight_local():
    assert isoformat(to_datetime(date(2023, 10, 17), SHANGHAI)) == "2023-10-17T00:00:00+08:00"
    assert isoformat(to_datetime("2015-02-11", SHANGHAI)) == "2015-02-11T00:00:00+08:00"


def test_jekyll_style_offsets_in_quoted_strings():
    value = to_datetime("2015-03-17 14:00:00 -4", ZoneInfo("UTC"))
    assert isoformat(value) == "2015-03-17T14:00:00-04:00"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("next tuesday", "'next tuesday' is not a date"),
        ("2023-02-30", "'2023-02-30' is not a valid date (day is out of range for month)"),
        (InvalidTimestamp("2023-02-30", "day is out of range for month"), "is not a valid date"),
        (2023, "2023 is not a date"),
    ],
)
def test_bad_dates_say_what_is_wrong(value, expected):
    with pytest.raises(DateError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        to_datetime(value, SHANGHAI)


def test_file_name_dates_like_jekyll():
    assert date_from_file_name("2024-12-5-18f-project-defaults", SHANGHAI) == datetime(
        2024, 12, 5, tzinfo=SHANGHAI
    )
    assert date_from_file_name("no-date-here", SHANGHAI) is None
    with pytest.raises(DateError, match="not a valid date"):
        date_from_file_name("2023-13-01-x", SHANGHAI)
