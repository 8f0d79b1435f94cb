"""The visit-entry services: a form's records stored all or none, a repeated submission
stored once (also two at once on PostgreSQL), errors naming the entry, site isolation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from edc_support import TODAY, TrialDb, randomized_patients

from oligotrial.edc import services
from oligotrial.edc.models import AuditEntry, LabResult, LesionMeasurement, RadiotherapyCourse
from oligotrial.edc.services.visit_entry import record_assessment, record_labs, record_once
from oligotrial.errors import InputError

P = "S01-000"
LABS = [
    {"analyte": "albumin", "value": 38.0, "unit": "g/L"},
    {"analyte": "afp", "value": 12.0, "unit": "ng/mL"},
]
BASELINE = [
    {"code": "T1", "role": "target", "organ": "liver", "status": "present", "diameter_mm": 40.0},
    {"code": "NT1", "role": "non_target", "organ": "bone", "status": "present"},
]


def _trial() -> Any:
    t = randomized_patients(1)
    services.schedule_visits(t.coord["S01"], P, horizon_weeks=30)
    services.record_visit(t.coord["S01"], P, 0, visit_date=TODAY)
    return t


def test_labs_are_stored_all_or_none_and_once(trial_db: TrialDb) -> None:
    coord = _trial().coord["S01"]
    before = AuditEntry.objects.count()
    bad = [*LABS, {"analyte": "alt", "value": 30.0, "unit": "furlongs"}]
    with pytest.raises(InputError) as caught:
        record_labs(coord, P, 0, sampled_on=TODAY, results=bad)
    assert caught.value.field == "labs.alt.unit"
    assert AuditEntry.objects.count() == before and not LabResult.objects.exists()
    first = record_labs(coord, P, 0, sampled_on=TODAY, results=LABS)
    again = record_labs(coord, P, 0, sampled_on=TODAY.isoformat(), results=LABS)
    assert [lab.pk for lab in again] == [lab.pk for lab in first]
    assert LabResult.objects.count() == 2
    changed = record_labs(coord, P, 0, sampled_on=TODAY, results=[{**LABS[0], "value": 39.0}])
    assert changed[0].pk not in {lab.pk for lab in first}  # another value is another result


def test_a_repeated_record_is_returned_not_copied(trial_db: TrialDb) -> None:
    coord = _trial().coord["S01"]
    course = {"target_site": "liver", "total_dose_gy": 50.0, "fractions": 5, "start_date": TODAY}
    made, new = record_once(coord, P, "rt_course", course)
    same, again = record_once(coord, P, "rt_course", dict(course))
    assert new and not again and same.pk == made.pk
    assert RadiotherapyCourse.objects.get().bed_gy == 100.0
    with pytest.raises(InputError) as caught:  # a bad value is refused by the record service
        record_once(coord, P, "rt_course", {**course, "fractions": "5"})
    assert caught.value.field == "rt_course.fractions"


def test_assessment_lesions_by_visit_and_errors_named_by_lesion(trial_db: TrialDb) -> None:
    coord = _trial().coord["S01"]
    made = record_assessment(coord, P, 0, measured_on=TODAY, added=BASELINE)
    assert sorted(m.lesion.code for m in made) == ["NT1", "T1"]
    assert record_assessment(coord, P, 0, measured_on=TODAY, added=BASELINE)[0].pk == made[0].pk
    before = AuditEntry.objects.count()
    with pytest.raises(InputError) as caught:
        record_assessment(coord, P, 1, measured_on=TODAY, added=[{**BASELINE[0], "code": "T2"}])
    assert caught.value.field == "added.0.role"  # targets are chosen at baseline only
    with pytest.raises(InputError) as caught:
        record_assessment(
            coord,
            P,
            1,
            measured_on=TODAY,
            measurements=[
                {"lesion_code": "NT1", "status": "present"},
                {"lesion_code": "T1", "status": "absent", "diameter_mm": 5.0},
            ],
        )
    assert caught.value.field == "lesions.T1.diameter_mm"
    assert AuditEntry.objects.count() == before  # NT1 of the same assessment is not kept
    assert LesionMeasurement.objects.count() == 2


def test_another_sites_patient_is_unknown(trial_db: TrialDb) -> None:
    t = _trial()
    before = AuditEntry.objects.count()
    for call in (
        lambda: record_labs(t.coord["S02"], P, 0, sampled_on=TODAY, results=LABS),
        lambda: record_assessment(t.coord["S02"], P, 0, measured_on=TODAY, added=BASELINE),
        lambda: record_once(
            t.coord["S02"], P, "new_therapy", {"therapy": "TACE", "start_date": TODAY}
        ),
    ):
        with pytest.raises(InputError) as caught:
            call()
        assert caught.value.field == "patient"
    assert AuditEntry.objects.count() == before


@pytest.mark.postgres
@pytest.mark.parametrize("trial_db", ["postgres"], indirect=True)
def test_two_submissions_at_once_store_one_set(trial_db: TrialDb) -> None:
    from test_concurrent_writes import at_once

    coord = _trial().coord["S01"]
    for round_ in range(4):
        day = TODAY - dt.timedelta(days=round_)
        results = at_once(
            *(
                lambda day=day: record_labs(coord, P, 0, sampled_on=day, results=LABS)
                for _ in range(2)
            )
        )
        assert all(isinstance(r, list) for r in results), results
        assert LabResult.objects.filter(sampled_on=day).count() == 2
