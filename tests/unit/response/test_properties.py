"""Property check: the engine agrees with a plain re-statement of the RECIST 1.1 target rules."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from oligotrial.response import TumourRecord, best_overall_response, evaluate

RAND = dt.date(2025, 1, 1)
ORGANS = ("liver", "lung", "adrenal")
size = st.one_of(st.integers(0, 80), st.sampled_from(["gone", "too-small", "not-assessed"]))


def _naive(baseline: list[int], visits: list[list[object]]) -> list[str]:
    """Target response per visit, written directly from the published wording (floats)."""
    total = float(sum(baseline))
    nadir = total
    out = []
    for visit in visits:
        values = [
            0.0
            if v == "gone"
            else 5.0
            if v == "too-small"
            else None
            if v == "not-assessed"
            else float(v)
            for v in visit
        ]  # type: ignore[arg-type]
        known = sum(v for v in values if v is not None)
        pd = known >= 1.2 * nadir - 1e-9 and known - nadir >= 5 - 1e-9
        if any(v is None for v in values):
            out.append("PD" if pd else "NE")
            continue
        if all(v == 0 for v in values):
            out.append("CR")
        elif pd:
            out.append("PD")
        elif known <= 0.7 * total + 1e-9:
            out.append("PR")
        else:
            out.append("SD")
        nadir = min(nadir, known)
    return out


@settings(max_examples=300, deadline=None)
@given(
    baseline=st.lists(st.integers(10, 60), min_size=1, max_size=3),
    data=st.data(),
)
def test_engine_matches_plain_rules(baseline: list[int], data: st.DataObject) -> None:
    n_visits = data.draw(st.integers(1, 6))
    visits = [
        data.draw(st.lists(size, min_size=len(baseline), max_size=len(baseline)))
        for _ in range(n_visits)
    ]
    record = TumourRecord.model_validate(
        {
            "randomization_date": RAND.isoformat(),
            "baseline": [
                {"id": f"T{i}", "role": "target", "organ": ORGANS[i], "longest_mm": mm}
                for i, mm in enumerate(baseline)
            ],
            "assessments": [
                {
                    "date": (RAND + dt.timedelta(days=56 * (k + 1))).isoformat(),
                    "targets": [
                        {"lesion": f"T{i}", "status": v}
                        if isinstance(v, str)
                        else {"lesion": f"T{i}", "mm": v}
                        for i, v in enumerate(visit)
                    ],
                }
                for k, visit in enumerate(visits)
            ],
        }
    )
    result = evaluate(record)
    got = [tp.overall for tp in result.time_points]
    assert got == _naive(baseline, visits)
    best = best_overall_response(result)
    first_pd = got.index("PD") if "PD" in got else len(got)
    considered = got[: first_pd + 1]
    if "CR" in considered:
        assert best.response == "CR"
    elif "PR" in considered:
        assert best.response == "PR"
    elif "SD" in considered:
        assert best.response == "SD"  # every visit here is ≥ 56 days
    else:
        assert best.response == ("PD" if "PD" in considered else "NE")
