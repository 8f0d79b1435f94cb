"""Screening drafts and form submissions on SQLite and PostgreSQL: saved at the actor's site
and audited; two submissions of the same record at once store one record version (the
patient new or not); two submissions of one consent form record one consent."""

from __future__ import annotations

import pytest
from edc_support import SCREENED_ON, TrialDb, build_trial, enrol, screening_record
from test_screening_race import race

from oligotrial.edc import services
from oligotrial.edc.models import AuditEntry, Consent, Patient, Screening, ScreeningDraft
from oligotrial.edc.services import screening_drafts
from oligotrial.edc.services.consents import record_consent_once
from oligotrial.errors import InputError, StateError

TRIES = 4


def test_draft_saved_audited_and_kept_at_its_site(trial_db: TrialDb) -> None:
    t = build_trial()
    c1, c2 = t.coord["S01"], t.coord["S02"]
    draft = screening_drafts.save_draft(c1, "S01-900", {"patient_id": "S01-900", "ecog": "1"})
    screening_drafts.save_draft(c1, "S01-900", {"patient_id": "S01-900", "ecog": "2"})
    entries = AuditEntry.objects.filter(model="edc.ScreeningDraft", object_id=str(draft.pk))
    assert list(entries.values_list("action", flat=True).order_by("seq")) == ["create", "update"]
    assert services.verify_chain().ok
    with pytest.raises(InputError, match="no patient"):  # another site's number
        screening_drafts.save_draft(c2, "S01-900", {"patient_id": "S01-900"})
    assert screening_drafts.read_draft(c2, "S01-900") is None
    assert screening_drafts.draft_elsewhere(c2, "S01-900")
    assert [d.screening_number for d in screening_drafts.open_drafts(c1)] == ["S01-900"]
    with pytest.raises(InputError, match="is required"):
        screening_drafts.save_draft(c1, " ", {})
    enrol(c1, "S01-901")
    services.randomize(c1, "S01-901", randomized_on=SCREENED_ON)
    with pytest.raises(StateError, match="screening is closed"):
        screening_drafts.save_draft(c1, "S01-901", {"ecog": "0"})
    with pytest.raises(InputError, match=r"record\.ecog"):  # nothing written
        screening_drafts.submit(c1, {**screening_record("S01-902"), "ecog": 9})
    assert not ScreeningDraft.objects.filter(screening_number="S01-902").exists()


def test_two_submissions_at_once_store_one_version(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    for i in range(TRIES):
        number = f"S01-{i:03d}"
        record = screening_record(number)
        if i % 2:  # an existing patient (in screening) as well as a new one
            services.screen(c, {**record, "ecog": 1})
        results = race(
            lambda r=record: screening_drafts.submit(c, r),
            lambda r=record: screening_drafts.submit(c, r),
        )
        assert [kind for kind, _ in results] == ["ok", "ok"], results
        versions = Screening.objects.filter(patient__screening_number=number)
        assert versions.count() == 1 + i % 2
        assert Patient.objects.filter(screening_number=number).count() == 1
        assert ScreeningDraft.objects.get(screening_number=number).submitted == versions.last()
    assert services.verify_chain().ok


def test_two_consent_submissions_at_once_record_one(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    for i in range(TRIES):
        number = f"S01-{i:03d}"
        services.screen(c, screening_record(number))
        results = race(
            lambda n=number: record_consent_once(c, n, version="2.1", signed_on=SCREENED_ON),
            lambda n=number: record_consent_once(c, n, version="2.1", signed_on=SCREENED_ON),
        )
        assert [kind for kind, _ in results] == ["ok", "ok"], results
        assert Consent.objects.filter(patient__screening_number=number).count() == 1
    with pytest.raises(InputError, match="no patient"):
        record_consent_once(t.coord["S02"], "S01-000", version="2.1", signed_on=SCREENED_ON)
