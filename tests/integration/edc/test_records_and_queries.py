"""Data entry: validation with actionable messages (nothing written), edit-check queries,
roles, site isolation and the database lock."""

from __future__ import annotations

import datetime as dt

import pytest
from edc_support import SCREENED_ON, TODAY, TrialDb, build_trial, enrol, screening_record
from signing_support import sign_every_casebook

from oligotrial.edc import services
from oligotrial.edc.models import AuditEntry, DataQuery, LabResult, RadiotherapyCourse
from oligotrial.errors import InputError, PermissionDenied, StateError

TOMORROW = TODAY + dt.timedelta(days=1)


def _randomized(t: object, number: str = "S01-001") -> None:
    c = t.coord["S01"]  # type: ignore[attr-defined]
    enrol(c, number)
    services.randomize(c, number, randomized_on=TODAY)


def _unchanged(before: int) -> None:
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        ("lab", {"analyte": "albumin", "value": -1.0, "unit": "g/L", "sampled_on": TODAY}, "value"),
        (
            "lab",
            {"analyte": "albumin", "value": 30.0, "unit": "g/L", "sampled_on": TOMORROW},
            "sampled_on",
        ),
        (
            "lab",
            {"analyte": "albumin", "value": 30.0, "unit": "g/L", "sampled_on": "2026-13-01"},
            "lab.sampled_on",
        ),
        (
            "lab",
            {"analyte": "albumin", "value": 30.0, "colour": "red", "sampled_on": TODAY},
            "lab.colour",
        ),
        (
            "rt_course",
            {"target_site": "liver", "total_dose_gy": 300.0, "fractions": 5, "start_date": TODAY},
            "total_dose_gy",
        ),
        (
            "rt_course",
            {
                "target_site": "liver",
                "total_dose_gy": 40.0,
                "fractions": 5,
                "start_date": TODAY,
                "end_date": TODAY - dt.timedelta(days=3),
            },
            "end_date",
        ),
        ("adverse_event", {"term": "Fatigue", "grade": 6, "onset_date": TODAY}, "grade"),
        (
            "adverse_event",
            {"term": "Hypertension", "grade": 5, "onset_date": TODAY, "outcome": "recovered"},
            "outcome",
        ),
        ("adverse_event", {"term": "Fatigue", "grade": 4, "onset_date": TODAY}, "grade"),
        (
            "adverse_event",
            {"term": "Radiation-induced liver disease", "grade": 2, "onset_date": TODAY},
            "term",
        ),
        (
            "biosample",
            {"kind": "ctdna", "time_point": "week-3", "identifier": "X1", "collected_on": TODAY},
            "time_point",
        ),
        ("death", {"death_date": SCREENED_ON, "cause": "progression"}, "death_date"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_nothing_written(
    trial_db: TrialDb, kind: str, values: dict[str, object], field: str
) -> None:
    t = build_trial()
    _randomized(t)
    before = AuditEntry.objects.count()
    with pytest.raises(InputError) as err:
        services.record(t.coord["S01"], "S01-001", kind, values)
    assert field in err.value.field or field in str(err.value)
    _unchanged(before)
    assert not LabResult.objects.exists() and not RadiotherapyCourse.objects.exists()


def test_no_follow_up_data_before_randomization(trial_db: TrialDb) -> None:
    t = build_trial()
    enrol(t.coord["S01"], "S01-001")
    with pytest.raises(InputError, match="not randomized"):
        services.record(
            t.coord["S01"],
            "S01-001",
            "rt_course",
            {"target_site": "liver", "total_dose_gy": 40.0, "fractions": 5, "start_date": TODAY},
        )
    with pytest.raises(StateError, match="not randomized"):
        services.schedule_visits(t.coord["S01"], "S01-001")


def test_rt_course_bed_is_computed(trial_db: TrialDb) -> None:
    t = build_trial()
    _randomized(t)
    rt = services.record(
        t.coord["S01"],
        "S01-001",
        "rt_course",
        {
            "target_site": "liver",
            "total_dose_gy": 50.0,
            "fractions": 5,
            "start_date": TODAY,
            "end_date": TODAY,
        },
    )
    assert isinstance(rt, RadiotherapyCourse)
    assert rt.bed_gy == pytest.approx(50 * (1 + 10 / 10))  # 100 Gy10


def test_missing_and_out_of_range_values_open_queries_that_corrections_close(
    trial_db: TrialDb,
) -> None:
    t = build_trial()
    _randomized(t)
    c = t.coord["S01"]
    missing = services.record(
        c,
        "S01-001",
        "lab",
        {"analyte": "albumin", "value": None, "unit": "g/L", "sampled_on": TODAY},
    )
    odd = services.record(
        c,
        "S01-001",
        "lab",
        {"analyte": "bilirubin", "value": 5000.0, "unit": "umol/L", "sampled_on": TODAY},
    )
    open_now = services.list_queries(t.dm)
    assert {(q["rule"], q["record"]) for q in open_now} == {
        ("missing", f"edc.LabResult#{missing.pk}"),
        ("out_of_range", f"edc.LabResult#{odd.pk}"),
    }
    assert services.list_queries(t.coord["S01"], "S01") == open_now
    services.correct_value(c, "lab", missing.pk, "value", 36.0, reason="value from lab report")
    services.correct_value(c, "lab", odd.pk, "value", 50.0, reason="typo: extra zero")
    assert services.list_queries(t.dm) == []
    closed = services.list_queries(t.dm, status="closed")
    assert len(closed) == 2 and all(q["status"] == "closed" for q in closed)
    assert DataQuery.objects.filter(status="closed", closed_at__isnull=False).count() == 2


def test_visit_out_of_window_opens_a_query(trial_db: TrialDb) -> None:
    t = build_trial()
    _randomized(t)
    c = t.coord["S01"]
    visits = services.schedule_visits(c, "S01-001", horizon_weeks=60)
    # baseline, weeks 8..48 every 8, then week 60 (q12w continues from week 48)
    assert [v.number for v in visits] == [0, 1, 2, 3, 4, 5, 6, 7]
    assert visits[1].due_date == TODAY + dt.timedelta(weeks=8)
    services.record_visit(c, "S01-001", 0, visit_date=TODAY)
    with pytest.raises(InputError, match="future"):
        services.record_visit(c, "S01-001", 1, visit_date=TOMORROW)
    services.record_visit(c, "S01-001", 1, visit_date=None, missed=True)
    assert services.list_queries(t.dm) == []


def test_late_visit_opens_a_query_that_the_corrected_date_closes(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    start = TODAY - dt.timedelta(days=120)
    services.screen(
        c,
        screening_record(
            "S01-001", "any-extrahepatic", "no-ici", screened_on=start - dt.timedelta(days=5)
        ),
    )
    services.record_consent(c, "S01-001", version="1.0", signed_on=start - dt.timedelta(days=6))
    services.randomize(c, "S01-001", randomized_on=start)
    visits = services.schedule_visits(c, "S01-001", horizon_weeks=16)
    due = start + dt.timedelta(weeks=8)
    assert visits[1].due_date == due and visits[1].window_days == 7
    services.record_visit(c, "S01-001", 1, visit_date=due + dt.timedelta(days=8))
    queries = services.list_queries(c)
    assert [(q["rule"], q["field"]) for q in queries] == [("out_of_window", "visit_date")]
    assert "8 days from its due date" in queries[0]["message"]
    services.correct_value(
        c,
        "visit",
        visits[1].pk,
        "visit_date",
        due + dt.timedelta(days=1),
        reason="entered against the wrong day",
    )
    assert services.list_queries(c) == []
    with pytest.raises(InputError, match="before the randomization date"):
        services.correct_value(
            c, "visit", visits[1].pk, "visit_date", start - dt.timedelta(days=1), reason="x"
        )
    with pytest.raises(InputError, match="set the status to done"):
        services.correct_value(c, "visit", visits[2].pk, "visit_date", TODAY, reason="x")


def test_queries_are_listed_per_site(trial_db: TrialDb) -> None:
    t = build_trial()
    _randomized(t, "S01-001")
    enrol(t.coord["S02"], "S02-001")
    services.randomize(t.coord["S02"], "S02-001", randomized_on=TODAY)
    for site, number in (("S01", "S01-001"), ("S02", "S02-001")):
        services.record(
            t.coord[site],
            number,
            "lab",
            {"analyte": "inr", "value": None, "unit": "", "sampled_on": TODAY},
        )
    assert {q["site"] for q in services.list_queries(t.dm)} == {"S01", "S02"}
    assert {q["site"] for q in services.list_queries(t.dm, "S02")} == {"S02"}
    assert {q["site"] for q in services.list_queries(t.coord["S01"])} == {"S01"}
    assert {q["site"] for q in services.list_queries(t.monitor)} == {"S01"}


def test_roles_and_site_isolation(trial_db: TrialDb) -> None:
    t = build_trial()
    _randomized(t)
    lab = {"analyte": "albumin", "value": 30.0, "unit": "g/L", "sampled_on": TODAY}
    with pytest.raises(InputError, match="no patient"):
        services.record(t.coord["S02"], "S01-001", "lab", lab)
    with pytest.raises(PermissionDenied):
        services.record(t.monitor, "S01-001", "lab", lab)
    with pytest.raises(PermissionDenied):
        services.record(t.dm, "S01-001", "lab", lab)
    saved = services.record(t.coord["S01"], "S01-001", "lab", lab)
    with pytest.raises(InputError, match="no lab"):
        services.correct_value(t.coord["S02"], "lab", saved.pk, "value", 31.0, reason="x")
    with pytest.raises(PermissionDenied):
        services.correct_value(t.monitor, "lab", saved.pk, "value", 31.0, reason="x")
    with pytest.raises(InputError, match="no patient"):
        services.patient_history(t.coord["S02"], "S01-001")
    assert services.patient_history(t.monitor, "S01-001")


def test_only_data_managers_lock_and_a_locked_database_refuses_changes(
    trial_db: TrialDb,
) -> None:
    t = build_trial()
    _randomized(t)
    for who in (t.coord["S01"], t.monitor, t.stat, t.admin):
        with pytest.raises(PermissionDenied):
            services.lock_database(who, reason="final analysis")
    sign_every_casebook(t.admin, ["S01-001"])  # the pre-lock checklist: no unsigned casebook
    services.lock_database(t.dm, reason="final analysis")
    with pytest.raises(StateError, match="locked"):
        services.record(
            t.coord["S01"],
            "S01-001",
            "lab",
            {"analyte": "albumin", "value": 30.0, "unit": "g/L", "sampled_on": TODAY},
        )
    with pytest.raises(StateError, match="locked"):
        enrol(t.coord["S01"], "S01-002")
    # reading still works, and a repeated randomization request still answers
    assert services.randomize(t.coord["S01"], "S01-001", randomized_on=TODAY).already_randomized
    assert services.verify_chain().ok


def test_death_and_withdrawal_close_follow_up(trial_db: TrialDb) -> None:
    t = build_trial()
    _randomized(t)
    c = t.coord["S01"]
    services.record(c, "S01-001", "death", {"death_date": TODAY, "cause": "progression"})
    assert services.patient_summary(c, "S01-001")["status"] == "died"
    with pytest.raises(InputError, match="already exists"):
        services.record(c, "S01-001", "death", {"death_date": TODAY, "cause": "other"})
    enrol(c, "S01-002")
    services.record(
        c,
        "S01-002",
        "withdrawal",
        {"kind": "lost", "last_known_alive": SCREENED_ON, "effective_date": TODAY},
    )
    assert services.patient_summary(c, "S01-002")["status"] == "lost"
    with pytest.raises(StateError):
        services.randomize(c, "S01-002", randomized_on=TODAY)


def test_follow_up_records_are_entered_and_audited(trial_db: TrialDb) -> None:
    t = build_trial()
    _randomized(t)
    c = t.coord["S01"]
    services.schedule_visits(c, "S01-001", horizon_weeks=20)
    services.record_visit(c, "S01-001", 0, visit_date=TODAY)
    services.record(
        c,
        "S01-001",
        "lesion",
        {"code": "T1", "role": "target", "organ": "liver", "oligoprogressive": True},
    )
    m = services.record(
        c,
        "S01-001",
        "measurement",
        {"measured_on": TODAY, "diameter_mm": None, "status": "present"},
        lesion_code="T1",
        visit_number=0,
    )
    assert [q["rule"] for q in services.list_queries(t.dm)] == ["missing"]
    services.correct_value(c, "measurement", m.pk, "diameter_mm", 23.0, reason="read from CT")
    assert services.list_queries(t.dm) == []
    with pytest.raises(InputError, match="no lesion 'T9'"):
        services.record(
            c, "S01-001", "measurement", {"measured_on": TODAY}, lesion_code="T9", visit_number=0
        )
    services.record(
        c,
        "S01-001",
        "exposure",
        {
            "line": "FLST",
            "drug": "atezolizumab",
            "dose": 1200,
            "dose_unit": "mg",
            "start_date": SCREENED_ON - dt.timedelta(days=200),
        },
    )
    services.record(
        c,
        "S01-001",
        "adverse_event",
        {"term": "Fatigue", "grade": 2, "onset_date": TODAY, "related_rt": "possible"},
    )
    services.record(
        c,
        "S01-001",
        "biosample",
        {
            "kind": "ctdna",
            "time_point": "baseline",
            "identifier": "CT-0001",
            "collected_on": SCREENED_ON,
        },
    )
    services.record(c, "S01-001", "new_therapy", {"therapy": "lenvatinib", "start_date": TODAY})
    history = services.patient_history(t.monitor, "S01-001")
    recorded = {h["record"].split("#")[0] for h in history if h["action"] == "create"}
    assert recorded >= {
        "edc.Lesion",
        "edc.LesionMeasurement",
        "edc.Exposure",
        "edc.AdverseEvent",
        "edc.Biosample",
        "edc.NewAnticancerTherapy",
        "edc.Visit",
    }
    assert {"query-open", "query-close", "update"} <= {h["action"] for h in history}
    assert services.verify_chain().ok


def test_dose_change_closes_one_period_and_opens_the_next(trial_db: TrialDb) -> None:
    t = build_trial()
    _randomized(t)
    c = t.coord["S01"]
    start = TODAY - dt.timedelta(days=300)
    first = services.record(
        c,
        "S01-001",
        "exposure",
        {"line": "FLST", "drug": "lenvatinib", "dose": 12, "dose_unit": "mg", "start_date": start},
    )
    with pytest.raises(InputError, match="reason"):
        services.change_dose(c, "S01-001", first.pk, new_dose=8, on=TODAY, reason="")
    second = services.change_dose(
        c,
        "S01-001",
        first.pk,
        new_dose=8,
        on=start + dt.timedelta(days=60),
        reason="grade 2 hypertension",
    )
    from oligotrial.edc.models import Exposure

    periods = list(
        Exposure.objects.order_by("start_date").values_list(
            "dose", "start_date", "stop_date", "change_reason"
        )
    )
    assert periods == [
        (12.0, start, start + dt.timedelta(days=59), ""),
        (8.0, start + dt.timedelta(days=60), None, "grade 2 hypertension"),
    ]
    with pytest.raises(StateError, match="already stopped"):
        services.change_dose(c, "S01-001", first.pk, new_dose=4, on=TODAY, reason="x")
    assert second.pk != first.pk and services.verify_chain().ok


def test_a_locked_sqlite_write_is_retried_as_a_whole(
    trial_db: TrialDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    from oligotrial.edc.models import Site
    from oligotrial.edc.services import transactions
    from oligotrial.edc.services.transactions import atomic_service

    waits: list[float] = []
    monkeypatch.setattr(transactions, "sleep", waits.append)

    calls = []

    @atomic_service
    def flaky() -> int:
        calls.append(1)
        Site.objects.create(code=f"X{len(calls)}", name="x")
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return len(calls)

    assert flaky() == 3
    assert len(waits) == 2 and 0.005 <= waits[0] < waits[1] * 2  # a wait before each retry
    assert list(Site.objects.filter(code__startswith="X").values_list("code", flat=True)) == [
        "X3"
    ]  # the failed attempts left nothing

    @atomic_service
    def broken() -> None:
        raise OperationalError("no such table: nowhere")

    with pytest.raises(OperationalError, match="no such table"):
        broken()
