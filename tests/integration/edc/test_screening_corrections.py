"""Corrections of the stored screening record: reason, strict validation, audit, history,
and what a correction may not do after randomization."""

from __future__ import annotations

import json
from typing import Any

import pytest
from edc_support import TODAY, TrialDb, build_trial, enrol, screening_record

from oligotrial.edc import services
from oligotrial.edc.models import Allocation, AuditEntry, DataQuery, Patient, Screening, Staff
from oligotrial.errors import InputError, StateError


def _screened(trial_db: TrialDb) -> Staff:
    t = build_trial()
    c = t.coord["S01"]
    services.screen(c, screening_record("S01-001"))
    return c


def _counts() -> tuple[int, int, int]:
    return Screening.objects.count(), AuditEntry.objects.count(), DataQuery.objects.count()


def test_a_correction_is_a_new_version_audited_field_by_field_and_rescreened(
    trial_db: TrialDb,
) -> None:
    c = _screened(trial_db)
    corrected = services.correct_screening_record(
        c, "S01-001", path="labs.afp.value", value=10000, reason="transcription error"
    )
    assert corrected.version == 2 and corrected.origin == "correction"
    assert corrected.record["labs"]["afp"]["value"] == 10000
    assert corrected.reason == "transcription error"
    assert not corrected.eligible and corrected.facts["afp_ng_ml"] == 10000
    assert Patient.objects.get().status == "screen_failed"  # before randomization: follows
    entry = AuditEntry.objects.get(action="correction")
    assert json.loads(entry.changes) == {"record.labs.afp.value": [845, 10000]}
    assert entry.reason == "transcription error"
    assert entry.object_id == str(corrected.pk)
    history = services.screening_history(c, "S01-001")
    assert [h["version"] for h in history] == [1, 2]
    assert history[0]["verdict_changes"] == [] and history[0]["eligible"]
    assert history[1]["record_changes"] == {"labs.afp.value": [845, 10000]}
    assert history[1]["verdict_changes"] == [{"id": "E9", "before": "not_met", "after": "met"}]
    assert history[1]["overall"] == "ineligible" and history[1]["reason"] == "transcription error"
    back = services.correct_screening_record(
        c, "S01-001", path="labs.afp.value", value=845, reason="source document re-read"
    )
    assert back.version == 3 and back.eligible
    assert Patient.objects.get().status == "screening"


def test_list_items_are_addressed_by_index(trial_db: TrialDb) -> None:
    c = _screened(trial_db)
    corrected = services.correct_screening_record(
        c,
        "S01-001",
        path="oligoprogression.lesions.0.longest_diameter_mm",
        value=8,
        reason="re-measured on the source images",
    )
    assert corrected.record["oligoprogression"]["lesions"][0]["longest_diameter_mm"] == 8
    i5 = next(v for v in corrected.verdicts if v["id"] == "I5")
    assert i5["values"]["measurable_oligoprogressive_lesions"] == 0 and i5["status"] == "not_met"


@pytest.mark.parametrize(
    ("path", "value", "field", "says"),
    [
        ("labs.albumin.value", -1, "record.labs.albumin.value", "finite number 0 or more"),
        ("labs.albumin.value", float("nan"), "record.labs.albumin.value", "NaN"),
        ("labs.albumin.colour", 1, "record.labs.albumin.colour", "not a field of labs.albumin"),
        (
            "oligoprogression.lesions.7.organ",
            "lung",
            "record.oligoprogression.lesions.7.organ",
            "items 0 to 1",
        ),
        ("ecog", 9, "record.ecog", "less than or equal to 5"),
        ("labs.afp.value", 845, "record.labs.afp.value", "equals the recorded one"),
        ("patient_id", "S01-999", "record.patient_id", "cannot be corrected"),
        ("flst.start_date", "2099-01-01", "record.flst.start_date", "in the future"),
        ("labs..value", 1, "path", "dotted field path"),
    ],
)
def test_a_bad_correction_names_the_path_and_writes_nothing(
    trial_db: TrialDb, path: str, value: Any, field: str, says: str
) -> None:
    c = _screened(trial_db)
    before = _counts()
    with pytest.raises(InputError) as err:
        services.correct_screening_record(c, "S01-001", path=path, value=value, reason="fix")
    assert err.value.field == field
    assert says in err.value.problem
    assert _counts() == before


def test_a_correction_needs_a_reason(trial_db: TrialDb) -> None:
    c = _screened(trial_db)
    before = _counts()
    for reason in ("", "   "):
        with pytest.raises(InputError) as err:
            services.correct_screening_record(c, "S01-001", path="ecog", value=1, reason=reason)
        assert err.value.field == "reason"
    assert _counts() == before


def test_another_site_cannot_correct(trial_db: TrialDb) -> None:
    t = build_trial()
    services.screen(t.coord["S01"], screening_record("S01-001"))
    with pytest.raises(InputError, match="no patient 'S01-001' at your site"):
        services.correct_screening_record(
            t.coord["S02"], "S01-001", path="ecog", value=1, reason="fix"
        )


def test_after_randomization_strata_stay_and_a_change_opens_a_query(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001", ici="ici")
    services.randomize(c, "S01-001", randomized_on=TODAY)
    allocation = Allocation.objects.get()
    used = dict(Patient.objects.get().stratification)
    corrected = services.correct_screening_record(
        c, "S01-001", path="flst.contains_ici", value=False, reason="regimen re-checked"
    )
    assert corrected.strata["flst_ici"] == "no-ici"  # what the record now says
    patient = Patient.objects.get()
    assert patient.stratification == used and patient.status == "randomized"
    assert Allocation.objects.get().stratum == allocation.stratum
    queries = services.list_queries(t.dm)
    assert [(q["field"], q["rule"]) for q in queries] == [
        ("strata.flst_ici", "stratum_changed_after_randomization")
    ]
    assert "flst_ici = no-ici" in queries[0]["message"]
    assert "flst_ici = ici (kept)" in queries[0]["message"]
    services.correct_screening_record(
        c, "S01-001", path="flst.contains_ici", value=True, reason="first correction wrong"
    )
    assert services.list_queries(t.dm) == []  # the disagreement is gone: closed
    assert DataQuery.objects.get().status == "closed"


def test_eligibility_lost_after_randomization_opens_a_query_and_stays_randomized(
    trial_db: TrialDb,
) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    result = services.randomize(c, "S01-001", randomized_on=TODAY)
    services.correct_screening_record(c, "S01-001", path="ecog", value=2, reason="re-assessed")
    patient = Patient.objects.get()
    assert patient.status == "randomized"
    assert patient.randomization_number == result.randomization_number
    queries = services.list_queries(t.dm)
    assert [(q["field"], q["rule"]) for q in queries] == [
        ("eligible", "eligibility_changed_after_randomization")
    ]
    assert "ineligible" in queries[0]["message"] and "I7" in queries[0]["message"]


def test_a_patient_without_a_stored_record_cannot_be_corrected(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    patient = Patient.objects.create(site=c.site, screening_number="OLD-1")
    Screening.objects.create(
        patient=patient,
        screened_on=TODAY,
        protocol_id="NCT06841172",
        protocol_version="1.0",
        eligible=True,
    )
    with pytest.raises(StateError, match="no stored screening record"):
        services.correct_screening_record(c, "OLD-1", path="ecog", value=1, reason="fix")
