"""Japanese dates: 西暦 and 和暦, era boundaries, months, three-year periods."""

from __future__ import annotations

import datetime as dt

import pytest

from sonae.engines.documents.dates import format_any_date, format_date, format_month, months_inclusive


@pytest.mark.parametrize(
    ("value", "western", "wareki"),
    [
        ("2026-11-26", "2026年11月26日", "令和8年11月26日"),
        ("2019-05-01", "2019年5月1日", "令和元年5月1日"),
        ("2019-04-30", "2019年4月30日", "平成31年4月30日"),
        ("1989-01-08", "1989年1月8日", "平成元年1月8日"),
        ("1989-01-07", "1989年1月7日", "昭和64年1月7日"),
        ("1985-04-01", "1985年4月1日", "昭和60年4月1日"),
        ("1900-01-01", "1900年1月1日", "1900年1月1日"),
    ],
)
def test_format_date(value, western, wareki):
    assert format_date(value) == western
    assert format_date(value, "wareki") == wareki


def test_format_month_uses_the_era_of_the_month():
    assert format_month("2027-04", "wareki") == "令和9年4月"
    assert format_month("2019-05", "wareki") == "令和元年5月"
    assert format_month("2019-04", "wareki") == "平成31年4月"
    assert format_month("2027-04") == "2027年4月"


def test_unparsable_values_are_kept():
    assert format_date("someday") == "someday"
    assert format_month("2027-13") == "2027-13"


def test_approval_timestamps():
    assert format_any_date(dt.datetime(2026, 12, 1, 9, 30)) == "2026年12月1日"
    assert format_any_date("2026-12-01T09:30:00+09:00", "wareki") == "令和8年12月1日"


def test_months_inclusive():
    assert months_inclusive((2026, 12), (2029, 11)) == 36
    assert months_inclusive((2027, 1), (2027, 1)) == 1
    assert months_inclusive((2027, 2), (2027, 1)) == 0
