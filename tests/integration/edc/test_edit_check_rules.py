"""Edit-check rules: which lesion sizes are required (RECIST 1.1) and lab plausibility in the
unit entered (converted to the canonical unit before the range is applied)."""

from __future__ import annotations

from typing import Any

import pytest
from edc_support import TODAY, TrialDb, build_trial, enrol

from oligotrial.edc import services
from oligotrial.edc.models import LabResult, Staff
from oligotrial.errors import InputError


def _patient_with_visits() -> tuple[Any, Staff]:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    services.randomize(c, "S01-001", randomized_on=TODAY)
    services.schedule_visits(c, "S01-001", horizon_weeks=20)
    services.record_visit(c, "S01-001", 0, visit_date=TODAY)
    services.record_visit(c, "S01-001", 1, visit_date=TODAY)  # early: its own window query
    return t, c


def _measurement_queries(dm: Staff) -> list[tuple[str, str, str]]:
    return sorted(
        (q["record"], q["field"], q["rule"])
        for q in services.list_queries(dm)
        if q["record"].startswith("edc.LesionMeasurement#")
    )


# (lesion role, status, visit) -> whether a missing diameter opens a query
MISSING_SIZE_CASES = [
    ("non_target", "present", 0, False),
    ("non_target", "present", 1, False),
    ("non_target", "unequivocal_pd", 1, False),
    ("non_target", "not_evaluated", 1, False),
    ("new", "unequivocal_pd", 1, False),
    ("target", "present", 0, True),
    ("target", "present", 1, True),
    ("target", "unequivocal_pd", 1, True),
    ("target", "too_small", 1, False),
    ("target", "absent", 1, False),
    ("target", "not_evaluated", 1, False),
]


def test_a_missing_size_is_queried_only_where_recist_measures_the_lesion(
    trial_db: TrialDb,
) -> None:
    t, c = _patient_with_visits()
    expected = []
    for k, (role, status, visit, queried) in enumerate(MISSING_SIZE_CASES):
        code = f"L{k}"
        services.record(c, "S01-001", "lesion", {"code": code, "role": role, "organ": "liver"})
        m = services.record(
            c,
            "S01-001",
            "measurement",
            {"measured_on": TODAY, "status": status, "diameter_mm": None},
            lesion_code=code,
            visit_number=visit,
        )
        if queried:
            expected.append((f"edc.LesionMeasurement#{m.pk}", "diameter_mm", "missing"))
    assert _measurement_queries(t.dm) == sorted(expected)
    assert len(expected) == 3


def test_non_target_present_without_size_opens_no_query_and_target_still_does(
    trial_db: TrialDb,
) -> None:
    t, c = _patient_with_visits()
    for code, role in (("T1", "target"), ("NT1", "non_target")):
        services.record(c, "S01-001", "lesion", {"code": code, "role": role, "organ": "liver"})
    services.record(
        c,
        "S01-001",
        "measurement",
        {"measured_on": TODAY, "status": "present"},
        lesion_code="NT1",
        visit_number=1,
    )
    assert _measurement_queries(t.dm) == []
    target = services.record(
        c,
        "S01-001",
        "measurement",
        {"measured_on": TODAY, "status": "present"},
        lesion_code="T1",
        visit_number=1,
    )
    queries = [q for q in services.list_queries(t.dm) if q["rule"] == "missing"]
    assert [q["record"] for q in queries] == [f"edc.LesionMeasurement#{target.pk}"]
    assert "target lesion T1" in queries[0]["message"]
    services.correct_value(c, "measurement", target.pk, "diameter_mm", 31.0, reason="CT read")
    assert _measurement_queries(t.dm) == []


def _lab(c: Staff, analyte: str, value: float, unit: str) -> Any:
    return services.record(
        c,
        "S01-001",
        "lab",
        {"analyte": analyte, "value": value, "unit": unit, "sampled_on": TODAY},
    )


def _lab_queries(dm: Staff) -> dict[str, dict[str, Any]]:
    return {q["record"]: q for q in services.list_queries(dm)}


def test_albumin_in_g_per_dl_is_checked_after_conversion_and_reported_in_g_per_dl(
    trial_db: TrialDb,
) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    normal = _lab(c, "albumin", 3.5, "g/dL")  # 35 g/L
    low = _lab(c, "albumin", 0.9, "g/dL")  # 9 g/L: implausible
    queries = _lab_queries(t.dm)
    assert f"edc.LabResult#{normal.pk}" not in queries
    query = queries[f"edc.LabResult#{low.pk}"]
    assert query["rule"] == "out_of_range" and query["field"] == "value"
    assert query["message"].startswith("albumin 0.9 g/dL is outside the plausible range")
    assert "1–7 g/dL" in query["message"] and "(10–70 g/L)" in query["message"]
    services.correct_value(c, "lab", low.pk, "value", 2.9, reason="transcription error")
    assert _lab_queries(t.dm) == {}


# analyte, value, unit entered, implausible?  (canonical value in the comment)
LAB_CASES = [
    ("bilirubin", 0.5, "mg/dL", False),  # 8.55 µmol/L
    ("bilirubin", 70.0, "mg/dL", True),  # 1197 µmol/L
    ("bilirubin", 12.0, "umol/L", False),
    ("albumin", 35.0, "g/L", False),
    ("albumin", 9.0, "g/L", True),
    ("afp", 4.0, "IU/mL", False),  # 4.84 ng/mL
    ("inr", 1.1, "", False),
    ("inr", 1.1, "1", False),
    ("platelets", 150000.0, "cells/uL", False),  # 150 10^9/L
    ("platelets", 150000.0, "10^9/L", True),
    ("neutrophils", 3200.0, "/mm3", False),  # 3.2 10^9/L
    ("alt", 0.5, "ukat/L", False),  # 30 U/L
    ("hbv_dna", 3.0, "log10 IU/mL", False),  # 1000 IU/mL
    ("creatinine", 0.9, "mg/dL", False),  # 79.6 µmol/L
    ("creatinine", 80.0, "umol/L", False),
    ("creatinine", 80.0, "mg/dL", True),  # 7072 µmol/L
]


def test_every_plausible_range_is_applied_in_the_canonical_unit(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    implausible = {}
    for analyte, value, unit, bad in LAB_CASES:
        lab = _lab(c, analyte, value, unit)
        if bad:
            implausible[f"edc.LabResult#{lab.pk}"] = (analyte, value, unit)
    queries = _lab_queries(t.dm)
    assert set(queries) == set(implausible)
    for record, (analyte, value, unit) in implausible.items():
        assert queries[record]["rule"] == "out_of_range"
        assert queries[record]["message"].startswith(f"{analyte} {value:g} {unit} is outside")


def test_a_unit_that_cannot_be_converted_is_refused_at_entry_and_correction(
    trial_db: TrialDb,
) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    with pytest.raises(InputError, match="mmol/L") as refused:
        _lab(c, "albumin", 3.5, "mmol/L")
    assert refused.value.field == "unit" and "g/dL" in refused.value.problem
    lab = _lab(c, "albumin", 3.5, "g/dL")
    with pytest.raises(InputError, match="unknown unit") as refused:
        services.correct_value(c, "lab", lab.pk, "unit", "mmol/L", reason="unit misread")
    assert refused.value.field == "unit"
    assert LabResult.objects.get(pk=lab.pk).unit == "g/dL"
    assert services.list_queries(t.dm) == []


def test_analytes_outside_the_vocabulary_are_refused(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    for analyte, unit in (("ldh", "U/L"), ("crp", "mg/L")):
        with pytest.raises(InputError, match="unknown analyte") as refused:
            _lab(c, analyte, 123.0, unit)
        assert refused.value.field == "analyte"
    assert LabResult.objects.count() == 0
    lab = _lab(c, " Albumin ", 35.0, "g/L")  # stored by its canonical name
    assert LabResult.objects.get(pk=lab.pk).analyte == "albumin"


def test_correcting_a_lesion_role_reruns_the_size_check_of_its_measurements(
    trial_db: TrialDb,
) -> None:
    t, c = _patient_with_visits()
    lesion = services.record(
        c, "S01-001", "lesion", {"code": "T1", "role": "target", "organ": "liver"}
    )
    m = services.record(
        c,
        "S01-001",
        "measurement",
        {"measured_on": TODAY, "status": "present"},
        lesion_code="T1",
        visit_number=1,
    )
    queried = [(f"edc.LesionMeasurement#{m.pk}", "diameter_mm", "missing")]
    assert _measurement_queries(t.dm) == queried
    services.correct_value(c, "lesion", lesion.pk, "role", "non_target", reason="not target")
    assert _measurement_queries(t.dm) == []
    services.correct_value(c, "lesion", lesion.pk, "role", "target", reason="is a target")
    assert _measurement_queries(t.dm) == queried
