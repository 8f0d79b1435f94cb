"""Safety summaries by arm (CTCAE v5.0; REFERENCE §4).

Treatment-emergent adverse events are those starting on or after randomization. Overview:
patients with any AE, with any grade 3–4 AE, with any grade 5 AE, with any serious AE.
By SOC and term: each patient counted once per row at his maximum grade for that row
(a SOC row counts a patient once whatever the number of terms); columns any grade,
grade 3–4 and grade 5 by the maximum grade. Laboratory values are graded with
:func:`oligotrial.clinical.ctcae.grade_lab`, baseline being the last value on or before
randomization (used for the abnormal-baseline rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from oligotrial.clinical.ctcae import grade_lab
from oligotrial.endpoints.inputs import AdverseEvent, PatientRecord


def emergent(patient: PatientRecord) -> tuple[AdverseEvent, ...]:
    """Adverse events starting on or after randomization."""
    return tuple(ae for ae in patient.adverse_events if ae.start_date >= patient.randomization_date)


@dataclass(frozen=True)
class OverviewRow:
    arm: str
    patients: int
    any_ae: int
    grade_3_4: int
    grade_5: int
    serious: int


@dataclass(frozen=True)
class SocTermRow:
    """Patients by maximum grade for one SOC (term None) or one term within it."""

    soc: str
    term: str | None
    arm: str
    any_grade: int
    grade_3_4: int
    grade_5: int


def _arms(patients: Sequence[PatientRecord]) -> list[str]:
    return sorted({p.arm or "-" for p in patients})


def overview(patients: Sequence[PatientRecord]) -> tuple[OverviewRow, ...]:
    """Patients with any AE / grade 3–4 / grade 5 / serious, by arm."""
    rows = []
    for arm in _arms(patients):
        members = [emergent(p) for p in patients if (p.arm or "-") == arm]
        rows.append(
            OverviewRow(
                arm,
                len(members),
                sum(1 for aes in members if aes),
                sum(1 for aes in members if any(ae.grade in (3, 4) for ae in aes)),
                sum(1 for aes in members if any(ae.grade == 5 for ae in aes)),
                sum(1 for aes in members if any(ae.serious for ae in aes)),
            )
        )
    return tuple(rows)


def by_soc_and_term(patients: Sequence[PatientRecord]) -> tuple[SocTermRow, ...]:
    """SOC rows then their term rows, sorted by name, one row per arm."""
    max_grade: dict[tuple[str, str | None, str, str], int] = {}
    for p in patients:
        arm = p.arm or "-"
        for ae in emergent(p):
            for key in ((ae.soc, None, arm, p.subject_id), (ae.soc, ae.term, arm, p.subject_id)):
                max_grade[key] = max(max_grade.get(key, 0), ae.grade)
    counts: dict[tuple[str, str | None, str], list[int]] = {}
    for (soc, term, arm, _), grade in max_grade.items():
        c = counts.setdefault((soc, term, arm), [0, 0, 0])
        c[0] += 1
        c[1] += grade in (3, 4)
        c[2] += grade == 5
    arms = _arms(patients)
    rows = []
    for soc, term in sorted(
        {(s, t) for s, t, _ in counts}, key=lambda k: (k[0], k[1] is not None, k[1] or "")
    ):
        for arm in arms:
            a, b, c5 = counts.get((soc, term, arm), [0, 0, 0])
            rows.append(SocTermRow(soc, term, arm, a, b, c5))
    return tuple(rows)


@dataclass(frozen=True)
class LabGrade:
    test: str
    date: dt.date
    value: float
    grade: int | None
    baseline: float | None


def lab_grades(patient: PatientRecord) -> tuple[LabGrade, ...]:
    """CTCAE grade of every post-baseline lab value (None when the ULN/LLN is missing)."""
    rand = patient.randomization_date
    out = []
    for test in sorted({lab.test for lab in patient.labs}):
        values = sorted((lab for lab in patient.labs if lab.test == test), key=lambda lab: lab.date)
        before = [lab for lab in values if lab.date <= rand]
        baseline = before[-1].value if before else None
        for lab in values:
            if lab.date > rand:
                grade = grade_lab(test, lab.value, uln=lab.uln, lln=lab.lln, baseline=baseline)
                out.append(LabGrade(test, lab.date, lab.value, grade, baseline))
    return tuple(out)
