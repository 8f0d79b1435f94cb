"""Screening stores the record; every verdict, fact and stratum comes from the one engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from edc_support import TODAY, TrialDb, build_trial, example, screening_record

from oligotrial import __version__
from oligotrial.edc import services
from oligotrial.edc.models import AuditEntry, Patient, Screening
from oligotrial.edc.services.screening_engine import record_schema
from oligotrial.edc.trial_config import from_protocol
from oligotrial.eligibility import evaluate
from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.eligibility.strata import stratum_values
from oligotrial.errors import InputError, StateError
from oligotrial.protocol import load_protocol


def test_configuration_comes_from_the_protocol_file() -> None:
    second = load_protocol(Path(__file__).parents[2] / "unit/protocol/data/oligo_breast.yaml")
    config = from_protocol(second)
    assert (config.protocol_id, config.arms, config.ratio) == (
        "TEST-OMBC-01",
        ("S", "R", "X"),
        (1, 2, 1),
    )
    assert (config.method, config.p_best, config.factors) == (
        "minimization",
        0.75,
        (("metastases", ("1", "2-3")),),
    )
    assert [a.every_weeks for a in config.assessments] == [12, 24]


def test_eligible_record_is_stored_with_what_the_engine_derived_and_can_be_randomized(
    trial_db: TrialDb,
) -> None:
    t = build_trial()
    c = t.coord["S01"]
    record = example("eligible-01.json")
    screening = services.screen(c, record)
    assert screening.eligible and screening.overall == "eligible"
    assert (screening.protocol_id, screening.protocol_version) == ("NCT06841172", "1.0")
    assert screening.software_version == __version__
    assert screening.record_schema == record_schema()
    assert screening.version == 1 and screening.origin == "screen"
    parsed = ScreeningRecord.model_validate(record)
    assert screening.record == parsed.model_dump(mode="json")  # the source is stored
    expected = evaluate(load_protocol(), parsed).to_dict()["criteria"]
    assert [v["status"] for v in screening.verdicts] == [v["status"] for v in expected]
    assert len(screening.verdicts) == 27
    assert all(v["in_favour"] is True for v in screening.verdicts)
    assert screening.facts["child_pugh_score"] == 5
    assert screening.facts["bclc_stage_at_flst_start"] == "C"
    assert screening.facts["oligoprogressive_lesion_count"] == 3
    assert screening.strata == {"oligoprogression_site": "any-extrahepatic", "flst_ici": "ici"}
    number = str(record["patient_id"])
    strata = services.patient_summary(c, number)["stratification"]
    assert strata == {"site": "S01", **stratum_values(load_protocol(), parsed)}
    patient = Patient.objects.get(screening_number=number)
    assert (patient.sex, patient.birth_date.isoformat()) == ("M", "1962-04-10")
    services.record_consent(c, number, version="1.0", signed_on=record["consent"]["date"])
    assert services.randomize(c, number, randomized_on=TODAY).arm in {"A", "B"}


def test_lesions_in_a_liver_segment_are_intrahepatic(trial_db: TrialDb) -> None:
    """The stratum is decided by clinical anatomy, not by comparing the text with 'liver'."""
    t = build_trial()
    record = screening_record("S01-001", "intrahepatic-only")
    for lesion in record["oligoprogression"]["lesions"]:
        lesion["organ"] = "Liver segment 7"
    screening = services.screen(t.coord["S01"], record)
    assert screening.strata["oligoprogression_site"] == "intrahepatic-only"
    patient = Patient.objects.get(screening_number="S01-001")
    assert patient.stratification["oligoprogression_site"] == "intrahepatic-only"


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("fails-I6-child-pugh-8.json", "status is screen_failed"),
        ("incomplete-no-albumin.json", "labs.albumin"),
    ],
)
def test_ineligible_or_incomplete_record_is_refused_at_randomization(
    trial_db: TrialDb, name: str, says: str
) -> None:
    t = build_trial()
    c = t.coord["S01"]
    record = example(name)
    screening = services.screen(c, record)
    assert not screening.eligible
    number = str(record["patient_id"])
    if "fails" not in name:
        services.record_consent(c, number, version="1.0", signed_on=record["consent"]["date"])
    with pytest.raises(StateError, match=says):
        services.randomize(c, number, randomized_on=TODAY)


def test_bad_record_names_the_field_and_writes_nothing(trial_db: TrialDb) -> None:
    t = build_trial()
    record = example("eligible-01.json")
    record["ecog"] = 9
    before = AuditEntry.objects.count()
    with pytest.raises(InputError) as err:
        services.screen(t.coord["S01"], record)
    assert err.value.field == "record.ecog"
    assert not Screening.objects.exists() and not Patient.objects.exists()
    assert AuditEntry.objects.count() == before


def test_rescreening_adds_a_version_and_a_randomized_patient_cannot_be_rescreened(
    trial_db: TrialDb,
) -> None:
    t = build_trial()
    c = t.coord["S01"]
    services.screen(c, screening_record("S01-001", example_name="fails-I6-child-pugh-8.json"))
    assert Patient.objects.get().status == "screen_failed"
    again = services.screen(c, screening_record("S01-001"))
    assert again.version == 2 and again.eligible
    assert Patient.objects.get().status == "screening"
    services.record_consent(c, "S01-001", version="1.0", signed_on=TODAY)
    result = services.randomize(c, "S01-001", randomized_on=TODAY)
    with pytest.raises(StateError, match="randomized; screening is closed"):
        services.screen(c, screening_record("S01-001", "any-extrahepatic", "no-ici"))
    patient = Patient.objects.get()
    assert patient.status == "randomized"
    assert patient.randomization_number == result.randomization_number
    assert patient.stratification["flst_ici"] == "ici"
    assert Screening.objects.count() == 2


def test_another_sites_patient_reads_as_unknown(trial_db: TrialDb) -> None:
    t = build_trial()
    services.screen(t.coord["S01"], screening_record("S01-001"))
    with pytest.raises(InputError) as err:
        services.screen(t.coord["S02"], screening_record("S01-001"))
    assert str(err.value) == "patient: no patient 'S01-001' at your site(s)"
    assert Screening.objects.count() == 1


@pytest.mark.parametrize("record", [[], "SDCH-0001", None])
def test_a_record_that_is_not_an_object_is_refused(trial_db: TrialDb, record: object) -> None:
    t = build_trial()
    with pytest.raises(InputError) as err:
        services.screen(t.coord["S01"], record)  # type: ignore[arg-type]
    assert err.value.field == "record"
    assert not Patient.objects.exists()
