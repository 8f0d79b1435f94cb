"""The database hands the analysis typed endpoint records, with nothing invented."""

from __future__ import annotations

from typing import Any

import pytest
from edc_support import TODAY, Trial, TrialDb, build_trial, enrol

from oligotrial.edc import services
from oligotrial.edc.export import extract
from oligotrial.endpoints.derive import derive_all
from oligotrial.endpoints.inputs import PatientRecord
from oligotrial.errors import InputError


def _randomized_with_lesions(trial_db: TrialDb) -> Trial:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001", ici="no-ici")
    services.randomize(c, "S01-001", randomized_on=TODAY)
    services.schedule_visits(c, "S01-001", horizon_weeks=8)
    services.record_visit(c, "S01-001", 0, visit_date=TODAY)
    lesions: list[tuple[dict[str, Any], dict[str, Any]]] = [
        ({"code": "T1", "role": "target", "organ": "Liver segment 7"}, {"diameter_mm": 30}),
        (
            {
                "code": "T2",
                "role": "target",
                "organ": "left lung",
                "previously_irradiated": True,
                "progressed_after_rt": True,
            },
            {"diameter_mm": 22, "slice_thickness_mm": 7.5},
        ),
        (
            {"code": "NT1", "role": "non_target", "organ": "bone", "previously_irradiated": True},
            {"diameter_mm": None},
        ),
    ]
    for lesion, measurement in lesions:
        services.record(c, "S01-001", "lesion", lesion)
        services.record(
            c,
            "S01-001",
            "measurement",
            {"measured_on": TODAY, **measurement},
            visit_number=0,
            lesion_code=lesion["code"],
        )
    return t


def test_endpoint_records_are_typed_and_missing_data_stay_missing(trial_db: TrialDb) -> None:
    t = _randomized_with_lesions(trial_db)
    data = extract(t.stat, data_cutoff=TODAY)
    (patient,) = data.patients
    assert isinstance(patient, PatientRecord)
    assert patient.strata == {"oligoprogression_site": "intrahepatic-only", "flst_ici": "no-ici"}
    lesions = {les.id: les for les in patient.baseline}
    assert lesions["T1"].intrahepatic  # a liver segment is the liver
    assert lesions["T1"].slice_thickness_mm is None  # not recorded: not assumed to be 5 mm
    assert lesions["T2"].slice_thickness_mm == 7.5 and lesions["T2"].progressed_after_rt is True
    assert not lesions["T2"].intrahepatic
    # irradiated, progression after RT not recorded: unknown, not copied from "irradiated"
    assert lesions["NT1"].previously_irradiated and lesions["NT1"].progressed_after_rt is None
    (row,) = data.subjects
    assert (row["CPSCORE"], row["BCLC"], row["NPROGLES"], row["ECOGBL"]) == (5, "C", 1, 0)
    assert derive_all(data.patients)[0].patient.subject_id == "S01-001"


def test_baseline_columns_follow_the_corrected_record(trial_db: TrialDb) -> None:
    t = _randomized_with_lesions(trial_db)
    c = t.coord["S01"]
    services.correct_screening_record(c, "S01-001", path="ecog", value=1, reason="re-assessed")
    (row,) = extract(t.stat, data_cutoff=TODAY).subjects
    assert row["ECOGBL"] == 1


def test_an_irradiated_target_with_unknown_progression_is_named(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    services.randomize(c, "S01-001", randomized_on=TODAY)
    services.schedule_visits(c, "S01-001", horizon_weeks=8)
    services.record_visit(c, "S01-001", 0, visit_date=TODAY)
    services.record(
        c,
        "S01-001",
        "lesion",
        {"code": "T1", "role": "target", "organ": "lung", "previously_irradiated": True},
    )
    services.record(
        c,
        "S01-001",
        "measurement",
        {"measured_on": TODAY, "diameter_mm": 25},
        visit_number=0,
        lesion_code="T1",
    )
    records = extract(t.stat, data_cutoff=TODAY).patients
    with pytest.raises(InputError, match="whether it progressed since is not recorded"):
        derive_all(records)


def test_progression_after_rt_of_a_lesion_never_irradiated_is_refused(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    with pytest.raises(InputError) as err:
        services.record(
            c,
            "S01-001",
            "lesion",
            {"code": "T1", "role": "target", "organ": "lung", "progressed_after_rt": True},
        )
    assert err.value.field == "lesion.progressed_after_rt"
