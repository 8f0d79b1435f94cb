"""PFS: every censoring rule of REFERENCE §4, and each switch that turns one off."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from oligotrial.endpoints import EndpointSettings, derive_patient


def _pfs(p: SimpleNamespace, visits: list, settings: EndpointSettings | None = None, **kw: object):
    return derive_patient(p.patient(visits, **kw), endpoint_settings=settings).pfs


def test_progression_is_an_event_dated_to_the_scan(p: SimpleNamespace) -> None:
    pfs = _pfs(p, [(56, p.SD), (112, p.PD)], death_date=150)
    assert (pfs.cnsr, pfs.date, pfs.event_description) == (0, p.day(112), "Disease progression")
    assert pfs.days == 113  # ADT - STARTDT + 1
    assert pfs.months == pytest.approx(113 / 30.4375)


def test_death_before_progression_is_an_event(p: SimpleNamespace) -> None:
    pfs = _pfs(p, [(56, p.SD), (112, p.SD)], death_date=130)
    assert (pfs.cnsr, pfs.date, pfs.event_description) == (0, p.day(130), "Death")


def test_no_event_censored_at_last_adequate_assessment(p: SimpleNamespace) -> None:
    pfs = _pfs(p, [(56, p.SD), (112, p.SD), (168, p.NE)], last_known_alive=200)
    assert (pfs.cnsr, pfs.date) == (2, p.day(112))  # the NE scan is not adequate
    assert pfs.censor_description == "No progression or death: last adequate assessment"


def test_no_post_baseline_assessment_censored_at_randomization(p: SimpleNamespace) -> None:
    pfs = _pfs(p, [], last_known_alive=200)
    assert (pfs.cnsr, pfs.date, pfs.days) == (1, p.rand, 1)
    only_ne = _pfs(p, [(56, p.NE)])
    assert (only_ne.cnsr, only_ne.date) == (1, p.rand)
    assert "no adequate post-baseline assessment" in only_ne.censor_description


def test_no_baseline_assessment_censored_at_randomization(p: SimpleNamespace) -> None:
    pfs = _pfs(p, [], baseline=[], last_known_alive=300)
    assert (pfs.cnsr, pfs.date) == (1, p.rand)
    assert "no baseline assessment" in pfs.censor_description


def test_death_before_first_assessment_is_an_event_by_default(p: SimpleNamespace) -> None:
    pfs = _pfs(p, [], death_date=40)
    assert (pfs.cnsr, pfs.date) == (0, p.day(40))
    off = EndpointSettings(death_before_first_assessment_is_event=False)
    censored = _pfs(p, [], off, death_date=40)
    assert (censored.cnsr, censored.date) == (1, p.rand)


def test_new_anticancer_therapy_censors_at_last_adequate_assessment_before_it(
    p: SimpleNamespace,
) -> None:
    visits = [(56, p.SD), (112, p.SD), (168, p.PD)]
    pfs = _pfs(p, visits, new_therapy_date=130)
    assert (pfs.cnsr, pfs.date) == (3, p.day(112))
    assert pfs.censor_description.startswith("New anticancer therapy before progression")
    off = _pfs(
        p, visits, EndpointSettings(censor_at_new_anticancer_therapy=False), new_therapy_date=130
    )
    assert (off.cnsr, off.date) == (0, p.day(168))


def test_therapy_after_progression_changes_nothing(p: SimpleNamespace) -> None:
    pfs = _pfs(p, [(56, p.SD), (112, p.PD)], new_therapy_date=120)
    assert (pfs.cnsr, pfs.date) == (0, p.day(112))


def test_therapy_without_event_is_still_code_3(p: SimpleNamespace) -> None:
    pfs = _pfs(p, [(56, p.SD), (112, p.SD)], new_therapy_date=150)
    assert (pfs.cnsr, pfs.date) == (3, p.day(112))


def test_event_after_two_missed_assessments_is_censored(p: SimpleNamespace) -> None:
    # scheduled weeks 8, 16, 24: scans at 8 then 32 weeks -> 16 and 24 missed
    pfs = _pfs(p, [(56, p.SD), (224, p.PD)])
    assert (pfs.cnsr, pfs.date) == (4, p.day(56))
    assert "after 2 missed assessments" in pfs.censor_description
    off = _pfs(p, [(56, p.SD), (224, p.PD)], EndpointSettings(missed_assessments_for_gap=0))
    assert (off.cnsr, off.date) == (0, p.day(224))


def test_event_after_one_missed_assessment_is_an_event(p: SimpleNamespace) -> None:
    pfs = _pfs(p, [(56, p.SD), (168, p.PD)])
    assert (pfs.cnsr, pfs.date) == (0, p.day(168))


def test_missed_visit_window_edges(p: SimpleNamespace) -> None:
    # visits at weeks 16 (day 112) and 24 (day 168), window ± 7: the week-24 window ends on
    # day 175, so a PD scan on day 175 has only one wholly missed visit, on day 176 two.
    assert _pfs(p, [(56, p.SD), (175, p.PD)]).cnsr == 0
    assert _pfs(p, [(56, p.SD), (176, p.PD)]).cnsr == 4


def test_ne_scans_count_as_missed(p: SimpleNamespace) -> None:
    pfs = _pfs(p, [(56, p.SD), (112, p.NE), (168, p.NE), (224, p.PD)])
    assert (pfs.cnsr, pfs.date) == (4, p.day(56))


def test_death_long_after_randomization_without_assessment_is_censored(p: SimpleNamespace) -> None:
    pfs = _pfs(p, [], death_date=200)
    assert (pfs.cnsr, pfs.date) == (4, p.rand)


def test_gap_rule_counts_a_stricter_threshold(p: SimpleNamespace) -> None:
    three = EndpointSettings(missed_assessments_for_gap=3)
    assert _pfs(p, [(56, p.SD), (224, p.PD)], three).cnsr == 0


def test_withdrawal_censors_at_last_adequate_assessment(p: SimpleNamespace) -> None:
    pfs = _pfs(p, [(56, p.SD), (112, p.SD)], withdrawal=(130, "withdrew"), death_date=300)
    assert (pfs.cnsr, pfs.date) == (5, p.day(112))
    assert "withdrew on 2025-05-11" in pfs.censor_description
    lost = _pfs(p, [(56, p.SD)], withdrawal=(90, "lost-to-follow-up"))
    assert (lost.cnsr, lost.date) == (5, p.day(56))
    off = _pfs(
        p,
        [(56, p.SD), (112, p.SD)],
        EndpointSettings(censor_at_withdrawal=False),
        withdrawal=(130, "withdrew"),
        death_date=150,
    )
    assert (off.cnsr, off.date) == (0, p.day(150))


def test_event_before_withdrawal_stays_an_event(p: SimpleNamespace) -> None:
    pfs = _pfs(p, [(56, p.SD), (112, p.PD)], withdrawal=(130, "withdrew"))
    assert (pfs.cnsr, pfs.date) == (0, p.day(112))


def test_earliest_of_therapy_and_withdrawal_decides(p: SimpleNamespace) -> None:
    pfs = _pfs(p, [(56, p.SD), (112, p.SD)], new_therapy_date=100, withdrawal=(130, "withdrew"))
    assert (pfs.cnsr, pfs.date) == (3, p.day(56))


def test_equivocal_lesion_dates_pfs_back(p: SimpleNamespace) -> None:
    rec = p.patient([(56, p.SD), (112, p.SD), (168, p.SD)])
    raw = rec.model_dump(mode="json")
    raw["assessments"][1]["new_lesions"] = [{"id": "N1", "status": "equivocal"}]
    raw["assessments"][2]["new_lesions"] = [{"id": "N1", "status": "unequivocal"}]
    from oligotrial.endpoints import PatientRecord

    pfs = derive_patient(PatientRecord.model_validate(raw)).pfs
    assert (pfs.cnsr, pfs.date) == (0, p.day(112))


def test_protocol_reasons_are_used(p: SimpleNamespace) -> None:
    reasons = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
    s = EndpointSettings.from_protocol({"censoring_reasons": reasons})
    assert _pfs(p, [(56, p.SD)], s).censor_description == "two"
