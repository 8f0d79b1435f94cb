"""Services trust nothing they are given: the acting user is read again from the database,
records referred to must belong to the same patient, another site's patient reads as no
such patient, and every wrong type or implausible value is an InputError naming its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from edc_support import SCREENED_ON, TODAY, TrialDb, build_trial, enrol, screening_record

from oligotrial.edc import services
from oligotrial.edc.models import AdverseEvent, AuditEntry, LabResult, RadiotherapyCourse, Staff
from oligotrial.edc.services.transactions import integrity_error
from oligotrial.errors import ConflictError, InputError, PermissionDenied

LAB = {"analyte": "albumin", "value": 30.0, "unit": "g/L", "sampled_on": TODAY}


def _randomized(c: Staff, number: str = "S01-001") -> None:
    enrol(c, number)
    services.randomize(c, number, randomized_on=TODAY)


def test_a_deactivated_user_cannot_write(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    _randomized(c)
    Staff.objects.filter(pk=c.pk).update(active=False)  # the object in hand still says active
    assert c.active
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied, match="not an active member"):
        services.record(c, "S01-001", "lab", LAB)
    with pytest.raises(PermissionDenied):
        services.patient_summary(c, "S01-001")
    assert AuditEntry.objects.count() == before and LabResult.objects.count() == 0


def test_an_unsaved_or_forged_staff_object_is_not_believed(trial_db: TrialDb) -> None:
    t = build_trial()
    with pytest.raises(PermissionDenied):
        services.read_allocation_list(Staff(username="stat", role="statistician"))
    forged = Staff.objects.get(pk=t.coord["S01"].pk)
    forged.role = "statistician"  # changed in memory only
    with pytest.raises(PermissionDenied, match="coordinator"):
        services.read_allocation_list(forged)
    moved = Staff.objects.get(pk=t.coord["S01"].pk)
    moved.site = t.coord["S02"].site  # claims another site
    enrol(t.coord["S02"], "S02-001")
    with pytest.raises(InputError, match="no patient"):
        services.patient_summary(moved, "S02-001")
    record, _ = services.read_allocation_list(t.stat)
    assert record.seed > 0


def test_another_sites_patient_reads_as_no_such_patient(trial_db: TrialDb) -> None:
    t = build_trial()
    enrol(t.coord["S01"], "S01-001")
    other = t.coord["S02"]
    with pytest.raises(InputError) as exists_elsewhere:
        services.record_consent(other, "S01-001", version="1.0", signed_on=SCREENED_ON)
    with pytest.raises(InputError) as missing:
        services.record_consent(other, "S01-001X", version="1.0", signed_on=SCREENED_ON)
    assert str(exists_elsewhere.value) == str(missing.value).replace("S01-001X", "S01-001")
    with pytest.raises(InputError) as screened:  # re-screening another site's patient
        services.screen(other, screening_record("S01-001"))
    assert str(screened.value) == str(exists_elsewhere.value)


def test_a_lesion_of_another_patient_cannot_be_put_on_an_rt_course(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    _randomized(c, "S01-001")
    _randomized(c, "S01-002")
    theirs = services.record(
        c, "S01-002", "lesion", {"code": "T1", "role": "target", "organ": "liver"}
    )
    course = {"target_site": "liver", "total_dose_gy": 40.0, "fractions": 5, "start_date": TODAY}
    with pytest.raises(InputError, match="lesion_code") as refused:
        services.record(c, "S01-001", "rt_course", {**course, "lesion": theirs})
    assert refused.value.field == "rt_course.lesion"
    with pytest.raises(InputError, match="no lesion"):
        services.record(c, "S01-001", "rt_course", course, lesion_code="T1")
    services.record(c, "S01-001", "lesion", {"code": "T1", "role": "target", "organ": "liver"})
    rt = services.record(c, "S01-001", "rt_course", course, lesion_code="T1")
    assert rt.lesion.patient.screening_number == "S01-001"
    services.record(c, "S01-002", "lesion", {"code": "T2", "role": "target", "organ": "lung"})
    with pytest.raises(InputError, match="no such record"):
        services.correct_value(c, "rt_course", rt.pk, "lesion", "T2", reason="wrong lesion")
    assert RadiotherapyCourse.objects.get(pk=rt.pk).lesion_id == rt.lesion_id


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({**LAB, "value": "30"}, "lab.value"),
        ({**LAB, "value": float("nan")}, "lab.value"),
        ({**LAB, "value": float("inf")}, "lab.value"),
        ({**LAB, "value": True}, "lab.value"),
        ({**LAB, "unit": "g/L\x00"}, "lab.unit"),
        ({**LAB, "unit": "g/\ud800L"}, "lab.unit"),
        ({**LAB, "unit": 7}, "lab.unit"),
        ({**LAB, "sampled_on": "1900-06-01"}, "lab.sampled_on"),
        ({**LAB, "sampled_on": dt.datetime(2026, 1, 1, 8, 0)}, "lab.sampled_on"),
        ({**LAB, "analyte": "ldh"}, "analyte"),
        ({**LAB, "analyte": None}, "lab.analyte"),
        ({k: v for k, v in LAB.items() if k != "sampled_on"}, "lab.sampled_on"),
        ([("analyte", "albumin")], "lab"),
    ],
)
def test_wrong_types_and_values_are_input_errors_naming_the_field(
    trial_db: TrialDb, values: Any, field: str
) -> None:
    t = build_trial()
    c = t.coord["S01"]
    _randomized(c)
    before = AuditEntry.objects.count()
    with pytest.raises(InputError) as refused:
        services.record(c, "S01-001", "lab", values)
    assert refused.value.field == field
    assert AuditEntry.objects.count() == before and LabResult.objects.count() == 0


def test_grades_visit_numbers_and_birth_dates_are_strict(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    _randomized(c)
    ae = {"term": "Fatigue", "grade": 2.5, "onset_date": TODAY}
    with pytest.raises(InputError) as refused:
        services.record(c, "S01-001", "adverse_event", ae)
    assert refused.value.field == "adverse_event.grade"
    saved = services.record(c, "S01-001", "adverse_event", {**ae, "grade": 2})
    with pytest.raises(InputError, match="whole number"):
        services.correct_value(c, "adverse_event", saved.pk, "grade", 3.0, reason="regraded")
    with pytest.raises(InputError, match="whole number"):
        services.correct_value(c, "adverse_event", saved.pk, "grade", "3", reason="regraded")
    assert AdverseEvent.objects.get(pk=saved.pk).grade == 2
    services.schedule_visits(c, "S01-001", horizon_weeks=12)
    with pytest.raises(InputError) as refused:
        services.record_visit(c, "S01-001", "abc", visit_date=TODAY)  # type: ignore[arg-type]
    assert refused.value.field == "visit_number"
    with pytest.raises(InputError) as refused:
        services.record(c, "S01-001", "lab", LAB, visit_number="0")  # type: ignore[arg-type]
    assert refused.value.field == "visit_number"
    with pytest.raises(InputError) as refused:
        services.screen(c, screening_record("S01-002") | {"birth_date": "1900-05-01"})
    assert refused.value.field == "record.birth_date"


class _Diag:
    constraint_name = "visit_unique_number"
    column_name = None
    message_detail = None
    table_name = "edc_visit"


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__("violation")
        self.sqlstate = sqlstate
        self.diag = _Diag()


def _raised(message: str, cause: BaseException | None = None) -> Any:
    from django.db import IntegrityError

    exc = IntegrityError(message)
    exc.__cause__ = cause
    return integrity_error(exc)


def test_integrity_errors_are_reported_by_their_real_cause() -> None:
    unique = _raised("UNIQUE constraint failed: edc_site.code")
    assert isinstance(unique, ConflictError) and "edc_site.code" in str(unique)
    foreign = _raised("FOREIGN KEY constraint failed")
    assert isinstance(foreign, InputError) and "does not exist" in str(foreign)
    check = _raised("CHECK constraint failed: grade_range")
    assert isinstance(check, InputError) and "grade_range" in str(check)
    null = _raised("NOT NULL constraint failed: edc_visit.number")
    assert isinstance(null, InputError) and null.field == "number"
    assert isinstance(_raised("x", _PgError("23505")), ConflictError)
    pg_fk = _raised("x", _PgError("23503"))
    assert isinstance(pg_fk, InputError) and "does not exist" in str(pg_fk)
    assert isinstance(_raised("x", _PgError("23514")), InputError)


def test_a_visit_is_not_recorded_after_the_recorded_death(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    services.randomize(c, "S01-001", randomized_on=TODAY - dt.timedelta(days=5))
    services.schedule_visits(c, "S01-001", horizon_weeks=12)
    died = TODAY - dt.timedelta(days=3)
    services.record(c, "S01-001", "death", {"death_date": died, "cause": "other"})
    with pytest.raises(InputError, match="after the recorded death") as refused:
        services.record_visit(c, "S01-001", 1, visit_date=TODAY)
    assert refused.value.field == "visit_date"
    services.record_visit(c, "S01-001", 1, visit_date=died)
