"""Screening from a screening record through the eligibility engine, then randomizing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from edc_support import TODAY, TrialDb, build_trial

from oligotrial.edc import services
from oligotrial.edc.models import Screening
from oligotrial.edc.services.screening_engine import screen_record, stratification_of
from oligotrial.edc.trial_config import from_protocol
from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.errors import InputError, StateError
from oligotrial.protocol import load_protocol

EXAMPLES = Path(__file__).parents[3] / "examples" / "screening"


def example(name: str) -> dict[str, object]:
    data = json.loads((EXAMPLES / name).read_text())
    return data.get("record", data)  # type: ignore[no-any-return]


def test_configuration_comes_from_the_protocol_file() -> None:
    second = load_protocol(Path(__file__).parents[2] / "unit/protocol/data/oligo_breast.yaml")
    config = from_protocol(second)
    assert (config.protocol_id, config.arms, config.ratio) == ("TEST-OMBC-01", ("S", "R", "X"),
                                                               (1, 2, 1))
    assert (config.method, config.p_best, config.factors) == ("minimization", 0.75,
                                                              (("metastases", ("1", "2-3")),))
    assert [a.every_weeks for a in config.assessments] == [12, 24]


def test_eligible_record_is_stored_with_verdicts_and_can_be_randomized(
    trial_db: TrialDb,
) -> None:
    t = build_trial()
    c = t.coord["S01"]
    record = example("eligible-01.json")
    screening = screen_record(c, record)
    assert screening.eligible and screening.protocol_version == "1.0"
    assert len(screening.verdicts) == 27
    assert all(v["in_favour"] is True for v in screening.verdicts)
    number = str(record["patient_id"])
    strata = services.patient_summary(c, number)["stratification"]
    parsed = ScreeningRecord.model_validate(record)
    assert strata == {"site": "S01", **stratification_of(parsed)}
    consent = record["consent"]
    assert isinstance(consent, dict)
    services.record_consent(c, number, version="1.0", signed_on=consent["date"])
    assert services.randomize(c, number, randomized_on=TODAY).arm in {"A", "B"}


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
    screening = screen_record(c, record)
    assert not screening.eligible
    number = str(record["patient_id"])
    consent = record["consent"]
    assert isinstance(consent, dict)
    if "fails" not in name:
        services.record_consent(c, number, version="1.0", signed_on=consent["date"])
    with pytest.raises(StateError, match=says):
        services.randomize(c, number, randomized_on=TODAY)


def test_bad_record_names_the_field_and_writes_nothing(trial_db: TrialDb) -> None:
    t = build_trial()
    record = example("eligible-01.json")
    record["ecog"] = 9
    with pytest.raises(InputError) as err:
        screen_record(t.coord["S01"], record)
    assert err.value.field == "record.ecog"
    assert not Screening.objects.exists()
