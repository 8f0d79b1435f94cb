"""Generated tumour assessments are valid endpoint input, and the RECIST engine gives each
visit exactly the response the generator intended (progression at the first scan after the
drawn progression time)."""

from __future__ import annotations

import json
from datetime import timedelta

from oligotrial.endpoints.derive import derive_all
from oligotrial.endpoints.inputs import parse_patients
from oligotrial.synth.assessment_record import to_patient_record


def test_engine_agrees_with_generator_visit_by_visit(trials) -> None:
    visits = progressions = 0
    for t in trials[:3]:
        raw = [to_patient_record(p) for p in t.patients]
        assert json.loads(json.dumps(raw)) == raw
        results = derive_all(parse_patients({"patients": raw}))
        for p, r in zip(t.patients, results, strict=True):
            points = r.response.time_points if r.response else ()
            assert [tp.overall for tp in points] == [a.expected_response for a in p.assessments]
            visits += len(points)
            pd_day = p.progression_day
            if r.pfs.cnsr == 0 and r.pfs.event_description == "Disease progression":
                assert pd_day is not None
                assert r.pfs.date == p.randomized + timedelta(days=pd_day)
                progressions += 1
    assert visits > 1000 and progressions > 200
