"""Answers to data queries, corrections that close automatic queries, adverse events coded
by the CTCAE v5.0 dictionary, and consent corrected with the checks made at entry."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from edc_support import SCREENED_ON, TODAY, TrialDb, build_trial, enrol

from oligotrial.edc import services
from oligotrial.edc.models import AuditEntry, Consent, DataQuery, QueryAnswer
from oligotrial.errors import InputError, PermissionDenied, StateError


def _trial_with_open_query(t: object) -> tuple[object, DataQuery, object]:
    """A randomized patient at S01 with an AE recovered but undated: one automatic query."""
    c = t.coord["S01"]  # type: ignore[attr-defined]
    enrol(c, "S01-001")
    services.randomize(c, "S01-001", randomized_on=TODAY)
    ae = services.record(
        c,
        "S01-001",
        "adverse_event",
        {"term": "nausea", "grade": 2, "onset_date": TODAY, "outcome": "recovered"},
    )
    query = DataQuery.objects.get(status="open", object_id=str(ae.pk))
    return c, query, ae


def test_the_site_answers_an_open_query_audited(trial_db: TrialDb) -> None:
    t = build_trial()
    c, query, ae = _trial_with_open_query(t)
    assert ae.term == "Nausea"  # stored in CTCAE's spelling
    answer = services.answer_query(
        c, query.pk, "  Resolved on the day of the visit; date to follow. "
    )
    assert answer.text == "Resolved on the day of the visit; date to follow."
    assert answer.answered_by.username == "coord-S01"
    query.refresh_from_db()
    assert query.status == "open"  # an answer does not close the query; the correction does
    entry = AuditEntry.objects.filter(action="query-answer").get()
    assert (entry.actor, entry.patient, entry.object_id) == ("coord-S01", "S01-001", str(answer.pk))
    assert json.loads(entry.changes)["text"][1] == answer.text
    services.verify_chain()


def test_answers_are_refused_with_nothing_written(trial_db: TrialDb) -> None:
    t = build_trial()
    c, query, _ = _trial_with_open_query(t)
    before = AuditEntry.objects.count()
    with pytest.raises(InputError) as blank:
        services.answer_query(c, query.pk, "   ")
    assert blank.value.field == "text"
    with pytest.raises(InputError) as other_site:
        services.answer_query(t.coord["S02"], query.pk, "not mine")  # type: ignore[attr-defined]
    assert other_site.value.field == "query_id"
    with pytest.raises(InputError):
        services.answer_query(c, 10_000, "no such query")
    with pytest.raises(PermissionDenied):
        services.answer_query(t.monitor, query.pk, "monitors do not answer")  # type: ignore[attr-defined]
    with pytest.raises(InputError):
        services.answer_query(c, str(query.pk), "an id given as text")  # type: ignore[arg-type]
    assert QueryAnswer.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_a_correction_that_fixes_the_value_closes_its_automatic_query(trial_db: TrialDb) -> None:
    t = build_trial()
    c, query, ae = _trial_with_open_query(t)
    services.answer_query(c, query.pk, "date to follow")
    services.correct_value(
        c, "adverse_event", ae.pk, "resolved_date", TODAY, reason="resolution date from notes"
    )
    query.refresh_from_db()
    assert query.status == "closed" and query.closed_at is not None
    close = AuditEntry.objects.filter(action="query-close").get()
    assert close.reason == "value corrected"
    with pytest.raises(StateError):
        services.answer_query(c, query.pk, "too late")


def test_adverse_events_take_dictionary_terms_at_defined_grades(trial_db: TrialDb) -> None:
    t = build_trial()
    c, _, ae = _trial_with_open_query(t)
    before = AuditEntry.objects.count()
    with pytest.raises(InputError) as term:
        services.correct_value(c, "adverse_event", ae.pk, "term", "Tummy ache", reason="x")
    assert term.value.field == "term"
    with pytest.raises(InputError) as grade:
        services.correct_value(c, "adverse_event", ae.pk, "grade", 4, reason="worse")
    assert grade.value.field == "grade" and "grades 1, 2, 3" in grade.value.problem
    assert AuditEntry.objects.count() == before
    services.correct_value(c, "adverse_event", ae.pk, "term", "vomiting", reason="recoded")
    ae.refresh_from_db()
    assert ae.term == "Vomiting"


def test_consent_is_corrected_with_the_checks_made_at_entry(trial_db: TrialDb) -> None:
    t = build_trial()
    c, _, _ = _trial_with_open_query(t)
    consent = Consent.objects.get(patient__screening_number="S01-001")
    with pytest.raises(InputError) as future:
        services.correct_value(
            c, "consent", consent.pk, "signed_on", TODAY + dt.timedelta(days=1), reason="typo"
        )
    assert future.value.field == "consent.signed_on"
    with pytest.raises(InputError) as before_birth:
        services.correct_value(c, "consent", consent.pk, "signed_on", "1910-01-01", reason="typo")
    assert before_birth.value.field == "signed_on"
    with pytest.raises(InputError) as blank:
        services.correct_value(c, "consent", consent.pk, "version", "  ", reason="typo")
    assert blank.value.field == "version"
    with pytest.raises(InputError) as no_reason:
        services.correct_value(c, "consent", consent.pk, "version", "1.1", reason="")
    assert no_reason.value.field == "reason"
    earlier = SCREENED_ON - dt.timedelta(days=1)
    services.correct_value(c, "consent", consent.pk, "signed_on", earlier, reason="date on form")
    consent.refresh_from_db()
    assert consent.signed_on == earlier
    with pytest.raises(InputError) as via_record:
        services.record(c, "S01-001", "consent", {"version": "2.0", "signed_on": TODAY})
    assert via_record.value.field == "kind"
