"""A patient's status and a visit's state, from what the database holds."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.usefixtures("web_root")  # Django configured (lazy translations)


def test_screening_outcome() -> None:
    from oligotrial.edc.web.site.status import screening_outcome

    assert screening_outcome(None) == "screening"
    assert screening_outcome("eligible") == "eligible"
    assert screening_outcome("ineligible", False) == "not_eligible"
    assert screening_outcome("incomplete", False) == "incomplete"
    # rows stored before the record was kept: their per-criterion verdicts
    assert screening_outcome("", True) == "eligible"
    assert screening_outcome("", False, [{"id": "I2", "in_favour": None}]) == "incomplete"
    assert screening_outcome("", False, [{"id": "I2", "in_favour": False}]) == "not_eligible"


def test_status_precedence() -> None:
    from oligotrial.edc.web.site.status import patient_status

    base = {
        "died": False,
        "withdrawal_kind": None,
        "randomized": False,
        "consented": False,
        "screening": "eligible",
    }
    assert patient_status(**base) == "eligible"
    assert patient_status(**{**base, "consented": True}) == "consented"
    assert patient_status(**{**base, "consented": True, "randomized": True}) == "randomized"
    assert patient_status(**{**base, "randomized": True, "withdrawal_kind": "lost"}) == "lost"
    assert patient_status(**{**base, "withdrawal_kind": "withdrawal"}) == "withdrawn"
    assert patient_status(**{**base, "died": True, "withdrawal_kind": "lost"}) == "died"


@pytest.mark.parametrize(
    ("kind", "status", "due", "window", "state"),
    [
        ("assessment", "done", "2026-01-01", 7, "done"),
        ("assessment", "missed", "2026-01-01", 7, "missed"),
        ("assessment", "scheduled", "2026-03-01", 7, "overdue"),  # window ended 03-08
        ("assessment", "scheduled", "2026-03-03", 7, "in_window"),  # window ends 03-10
        ("assessment", "scheduled", "2026-03-16", 7, "in_window"),  # window opens 03-09
        ("assessment", "scheduled", "2026-03-17", 7, "due"),
        ("baseline", "scheduled", "2026-03-08", 28, "overdue"),  # its window lies before
        ("baseline", "scheduled", "2026-03-09", 28, "in_window"),
    ],
)
def test_visit_state(kind: str, status: str, due: str, window: int, state: str) -> None:
    from oligotrial.edc.web.site.overview import visit_state

    visit = SimpleNamespace(
        kind=kind, status=status, due_date=dt.date.fromisoformat(due), window_days=window
    )
    assert visit_state(visit, dt.date(2026, 3, 9)) == state  # type: ignore[arg-type]
