"""Every generated candidate is a valid screening record, and the eligibility engine
agrees with the generator: eligible ones are eligible, failing ones fail their criterion."""

from __future__ import annotations

import json

import pytest

from oligotrial.eligibility.evaluate import evaluate
from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.protocol import load_protocol
from oligotrial.synth.candidates import FAILURE_WEIGHTS
from oligotrial.synth.screening_record import to_screening_record


@pytest.fixture(scope="module")
def protocol():
    return load_protocol()


def _screen(protocol, candidate):
    record = to_screening_record(candidate)
    assert json.loads(json.dumps(record)) == record  # plain JSON
    model = ScreeningRecord.model_validate(record, context={"as_of": candidate.consent_date})
    return evaluate(protocol, model)


def test_every_record_validates_and_eligible_ones_pass(protocol, many_candidates) -> None:
    for c in many_candidates[:600]:
        result = _screen(protocol, c)
        if c.planned_failure is None:
            assert result.overall == "eligible", (c.candidate_id, result.failed, result.missing)
        else:
            assert result.overall == "ineligible", c.candidate_id


@pytest.mark.parametrize("key", sorted(FAILURE_WEIGHTS))
def test_engine_names_the_planned_failure(protocol, failing_candidates, key) -> None:
    criterion = key.split("-")[0]
    expected = {criterion, "I4"} if criterion == "E2" else {criterion}
    for c in failing_candidates[key][:25]:
        assert set(_screen(protocol, c).failed) == expected, c.candidate_id


def test_trial_stream_screens_as_planned(protocol, trials) -> None:
    t = trials[0]
    for c in t.candidates:
        assert (_screen(protocol, c).overall == "eligible") == (c.planned_failure is None)
