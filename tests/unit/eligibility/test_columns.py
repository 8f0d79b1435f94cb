"""Column building: ISO dates parsed without Python loops agree with the calendar."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from oligotrial.eligibility.columns import NO_DAY, parse_days

EPOCH = dt.date(1970, 1, 1)


@given(st.lists(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), max_size=30))
def test_valid_dates_match_the_calendar(days: list[dt.date]) -> None:
    parsed, bad = parse_days([d.isoformat() for d in days])
    assert not bad.any()
    assert parsed.tolist() == [(d - EPOCH).days for d in days]


def test_malformed_or_impossible_dates_are_flagged() -> None:
    texts = [
        "2025-02-29",
        "2024-02-29",
        "2025-13-01",
        "2025-00-10",
        "2025-04-31",
        "2025/04/30",
        "20250430xx",
        "0000-01-01",
        "",
        "2025-09-15",
    ]
    parsed, bad = parse_days(texts)
    assert bad.tolist() == [True, False, True, True, True, True, True, True, False, False]
    assert parsed[8] == NO_DAY
    assert parsed[1] == (dt.date(2024, 2, 29) - EPOCH).days


def test_non_ascii_text_is_flagged_not_crashed() -> None:
    _, bad = parse_days(["2025-09-1５", "2025-09-15"])
    assert bad.tolist() == [True, False]
