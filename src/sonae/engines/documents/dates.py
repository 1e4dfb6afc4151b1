"""Japanese date formatting: 2026年11月26日, and 和暦 (令和8年11月26日) where the official form uses it."""

from __future__ import annotations

import datetime as dt
import re

# Era start dates (the first day of each era). Dates before 昭和 fall back to the western year.
_ERAS = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
)

_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")

MIN_YEAR = 1868
MAX_YEAR = 2200


def parse_date(value: object) -> dt.date | None:
    """"YYYY-MM-DD" (or a date) → date; None when it is not a real date in a sane range."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    match = _DATE_RE.match(value.strip())
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_month(value: object) -> tuple[int, int] | None:
    """"YYYY-MM" → (year, month); None when malformed or out of range."""
    if not isinstance(value, str):
        return None
    match = _MONTH_RE.match(value.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return None
    return year, month


def months_inclusive(start: tuple[int, int], end: tuple[int, int]) -> int:
    """Number of calendar months from start to end, both included (2026-12 → 2029-11 = 36)."""
    return (end[0] - start[0]) * 12 + (end[1] - start[1]) + 1


def wareki_year(year: int, month: int = 12, day: int = 31) -> str:
    """令和8年 for 2026; 令和元年 for the first year of an era; 西暦 before 昭和."""
    date = dt.date(year, month, day)
    for start, name in _ERAS:
        if date >= start:
            number = year - start.year + 1
            return f"{name}{'元' if number == 1 else number}年"
    return f"{year}年"


def format_date(value: object, style: str = "western") -> str:
    """A date as 2026年11月26日 (western) or 令和8年11月26日 (wareki); unparsable text is kept as is."""
    date = parse_date(value)
    if date is None:
        return "" if value is None else str(value)
    if style == "wareki":
        return f"{wareki_year(date.year, date.month, date.day)}{date.month}月{date.day}日"
    return f"{date.year}年{date.month}月{date.day}日"


def format_month(value: object, style: str = "western") -> str:
    """A month as 2027年4月 or 令和9年4月."""
    parsed = parse_month(value)
    if parsed is None:
        return "" if value is None else str(value)
    year, month = parsed
    if style == "wareki":
        # The era is decided by the last day of the month, so 2019-05 is 令和元年5月.
        last_day = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
        return f"{wareki_year(year, month, last_day)}{month}月"
    return f"{year}年{month}月"


def format_any_date(value: object, style: str = "western") -> str:
    """Dates, datetimes or ISO strings (for approved_at); falls back to str()."""
    if isinstance(value, dt.datetime):
        return format_date(value.date(), style)
    if isinstance(value, str) and len(value) > 10 and parse_date(value[:10]):
        return format_date(value[:10], style)
    return format_date(value, style)
