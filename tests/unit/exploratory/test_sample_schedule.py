"""Sample windows from the protocol: anchors, offsets, overdue; progression only once known."""

from __future__ import annotations

from datetime import date, timedelta

from oligotrial.exploratory import due_samples
from oligotrial.protocol import load_protocol

R = date(2026, 3, 2)


def _due(rt_end: date | None, progression: date | None) -> dict[tuple[str, str], object]:
    s = load_protocol().schedule
    rows = due_samples(
        {"ctdna": s.ctdna, "biopsy": s.biopsy},
        s.sample_windows,
        randomized_on=R,
        rt_end=rt_end,
        progression_on=progression,
    )
    return {(d.kind, d.time_point): d for d in rows}


def test_windows_follow_the_protocol_file() -> None:
    s = load_protocol().schedule
    w = s.sample_windows["first-follow-up-after-rt"]
    rows = _due(R + timedelta(days=10), None)
    follow = rows[("ctdna", "first-follow-up-after-rt")]
    assert follow.due == R + timedelta(days=10 + w.offset_days)  # type: ignore[attr-defined]
    assert follow.latest == follow.due + timedelta(days=w.after_days)  # type: ignore[attr-defined]
    assert rows[("ctdna", "progression")].due is None  # type: ignore[attr-defined]
    assert not rows[("ctdna", "progression")].overdue(R + timedelta(days=999))  # type: ignore[attr-defined]


def test_without_rt_the_follow_up_counts_from_randomization() -> None:
    s = load_protocol().schedule
    follow = _due(None, None)[("ctdna", "first-follow-up-after-rt")]
    offset = s.sample_windows["first-follow-up-after-rt"].offset_days
    assert follow.due == R + timedelta(days=offset)  # type: ignore[attr-defined]


def test_progression_samples_are_due_once_progression_is_known() -> None:
    p = R + timedelta(days=100)
    rows = _due(None, p)
    assert rows[("biopsy", "progression")].due == p  # type: ignore[attr-defined]
    assert rows[("biopsy", "progression")].overdue(p + timedelta(days=60))  # type: ignore[attr-defined]
