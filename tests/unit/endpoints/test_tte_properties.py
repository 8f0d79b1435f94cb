"""Properties that must hold for any patient: PFS never ends after OS, codes are consistent."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from oligotrial.endpoints import PatientRecord, derive_patient

RAND = dt.date(2025, 1, 1)
status = st.one_of(st.integers(0, 90), st.just("not-assessed"))


@settings(max_examples=200, deadline=None)
@given(
    visit_days=st.lists(st.integers(1, 700), max_size=8, unique=True),
    data=st.data(),
)
def test_pfs_os_consistency(visit_days: list[int], data: st.DataObject) -> None:
    visit_days.sort()
    last = visit_days[-1] if visit_days else 0
    death = data.draw(st.one_of(st.none(), st.integers(last, last + 400)))
    therapy = data.draw(st.one_of(st.none(), st.integers(0, 800)))
    raw = {
        "subject_id": "x",
        "randomization_date": RAND.isoformat(),
        "baseline": [{"id": "T1", "role": "target", "organ": "liver", "longest_mm": 50}],
        "assessments": [
            {
                "date": (RAND + dt.timedelta(days=d)).isoformat(),
                "targets": [
                    {"lesion": "T1", "status": s}
                    if isinstance(s, str)
                    else {"lesion": "T1", "mm": s}
                ],
            }
            for d in visit_days
            for s in [data.draw(status)]
        ],
        "last_known_alive": (RAND + dt.timedelta(days=last + 10)).isoformat()
        if death is None
        else None,
        "death_date": None if death is None else (RAND + dt.timedelta(days=death)).isoformat(),
        "new_therapy_date": None
        if therapy is None
        else (RAND + dt.timedelta(days=therapy)).isoformat(),
    }
    r = derive_patient(PatientRecord.model_validate(raw))
    assert r.pfs.days >= 1 and r.pfs.date <= r.os.date
    assert r.pfs.cnsr in (0, 1, 2, 3, 4, 5)
    assert (r.pfs.event_description is None) == (r.pfs.cnsr != 0)
    if r.pfs.cnsr == 0 and r.pfs.event_description == "Death":
        assert r.os.cnsr == 0 and r.os.date == r.pfs.date
    if r.pfs.cnsr == 0 and r.pfs.event_description == "Disease progression":
        assert r.response is not None and r.pfs.date == r.response.progression_date
    if r.pfs.cnsr in (2, 3, 4, 5) and r.pfs.date != RAND:
        adequate = {tp.date for tp in r.response.time_points if tp.adequate}
        assert r.pfs.date in adequate  # censored at an adequate assessment
    if r.dor is not None:
        assert r.best.response in ("CR", "PR") and r.dor.date >= r.dor.start_date
