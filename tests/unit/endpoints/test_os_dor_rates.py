"""OS, DOR (responders only), ORR and DCR."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from scipy.stats import beta

from oligotrial.endpoints import derive_all, derive_patient, response_rates
from oligotrial.response import ResponseSettings


def test_os_event_and_censoring(p: SimpleNamespace) -> None:
    dead = derive_patient(p.patient([(56, p.SD)], death_date=200)).os
    assert (dead.cnsr, dead.date, dead.days, dead.event_description) == (
        0,
        p.day(200),
        201,
        "Death",
    )
    alive = derive_patient(p.patient([(56, p.SD)], last_known_alive=250)).os
    assert (alive.cnsr, alive.date) == (1, p.day(250))
    assert alive.censor_description == "Alive at last known alive date"


def test_os_without_last_known_alive_uses_last_date_in_record(p: SimpleNamespace) -> None:
    os_ = derive_patient(p.patient([(56, p.SD), (112, p.SD)])).os
    assert (os_.cnsr, os_.date) == (1, p.day(112))
    assert "no last known alive date" in os_.censor_description


def test_dor_from_first_response_to_progression(p: SimpleNamespace) -> None:
    r = derive_patient(p.patient([(56, p.SD), (112, p.PR), (168, p.PR), (224, 40)]))
    # 40 mm vs nadir 30: +33% and +10 mm
    assert r.best.response == "PR"
    assert (r.dor.start_date, r.dor.date, r.dor.cnsr, r.dor.days) == (
        p.day(112),
        p.day(224),
        0,
        113,
    )


def test_dor_censored_like_pfs(p: SimpleNamespace) -> None:
    r = derive_patient(p.patient([(56, p.PR), (112, p.PR)], new_therapy_date=150))
    assert (r.dor.cnsr, r.dor.date, r.dor.days) == (3, p.day(112), 57)


def test_dor_only_for_responders(p: SimpleNamespace) -> None:
    assert derive_patient(p.patient([(56, p.SD), (112, p.PD)])).dor is None


def test_dor_uses_confirmed_response_date_when_confirmation_is_required(p: SimpleNamespace) -> None:
    rec = p.patient([(56, p.PR), (84, 35.5), (112, p.PR), (140, p.PR)])  # PR, SD, PR, PR
    unconfirmed = derive_patient(rec)
    confirmed = derive_patient(rec, ResponseSettings(confirmation_required=True))
    assert unconfirmed.dor.start_date == p.day(56)
    assert confirmed.best.response == "PR" and confirmed.dor.start_date == p.day(112)


def test_orr_dcr_by_arm_with_clopper_pearson(p: SimpleNamespace) -> None:
    patients = [
        p.patient([(56, p.PR)], subject_id="a1", arm="A"),
        p.patient([(56, p.SD)], subject_id="a2", arm="A"),
        p.patient([(56, p.PD)], subject_id="a3", arm="A"),
        p.patient([], subject_id="a4", arm="A"),
        p.patient([(56, p.SD)], subject_id="b1", arm="B"),
    ]
    rates = {(r.arm, r.name): r for r in response_rates(derive_all(tuple(patients)))}
    orr_a = rates[("A", "ORR")]
    assert (orr_a.count, orr_a.total) == (1, 4)
    # Clopper-Pearson from the beta quantiles
    assert orr_a.low == pytest.approx(beta.ppf(0.025, 1, 4))
    assert orr_a.high == pytest.approx(beta.ppf(0.975, 2, 3))
    assert (rates[("A", "DCR")].count, rates[("B", "DCR")].count) == (2, 1)
    assert (rates[("all", "ORR")].count, rates[("all", "ORR")].total) == (1, 5)


def test_early_sd_is_not_disease_control(p: SimpleNamespace) -> None:
    r = derive_patient(p.patient([(30, p.SD)]))
    assert (r.best.response, r.disease_control) == ("NE", False)


def test_one_bad_patient_stops_the_data_set_and_is_named(p: SimpleNamespace) -> None:
    from oligotrial.errors import InputError

    good = p.patient([(56, p.SD)], subject_id="ok")
    bad = p.patient(
        [(56, p.SD)],
        subject_id="B-7",
        baseline=[{"id": "T1", "role": "target", "organ": "liver", "longest_mm": 8}],
    )
    with pytest.raises(
        InputError, match=r"^subject B-7: baseline: target T1 longest diameter 8 mm"
    ):
        derive_all((good, bad))


def test_last_known_alive_before_an_assessment_is_refused(p: SimpleNamespace) -> None:
    from pydantic import ValidationError

    with pytest.raises(
        ValidationError, match="last_known_alive 2025-03-02 is before the assessment"
    ):
        p.patient([(56, p.SD), (112, p.SD)], last_known_alive=60)


def test_dor_starts_at_first_pr_even_when_cr_follows(p: SimpleNamespace) -> None:
    r = derive_patient(p.patient([(56, p.PR), (112, "gone"), (168, 20)]))
    assert r.best.response == "CR"
    assert (r.dor.start_date, r.dor.date, r.dor.cnsr) == (p.day(56), p.day(168), 0)
