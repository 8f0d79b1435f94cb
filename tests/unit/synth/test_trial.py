"""Whole synthetic trials: reproducible, coherent, with measurements that agree with the
drawn progression times (RECIST 1.1 rules re-implemented here from REFERENCE.md §3)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from oligotrial.clinical.ctcae_terms import lookup
from oligotrial.synth import analysis_frames, simulate_trial
from oligotrial.synth.safety import RILD
from oligotrial.synth.trial import visit_days


def test_same_seed_same_trial_other_seed_other_trial() -> None:
    a = analysis_frames(simulate_trial(42, "benefit", n_patients=60))
    b = analysis_frames(simulate_trial(42, "benefit", n_patients=60))
    c = analysis_frames(simulate_trial(43, "benefit", n_patients=60))
    for name in ("adsl", "adtte", "adrs", "adtr", "adae", "screening"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert not a.adtte["AVAL"].equals(c.adtte["AVAL"])


def test_schedule_q8w_in_year_one_then_q12w() -> None:
    nominal, actual = visit_days(np.random.default_rng(1), 100 * 7 - 7)
    assert (nominal / 7).tolist() == [8, 16, 24, 32, 40, 48, 60, 72, 84, 96]
    nominal, actual = visit_days(np.random.default_rng(1), 800)
    assert np.all(np.abs(actual - nominal) <= 7)
    assert nominal[0] == 56


def test_accrual_sites_and_allocation(trials) -> None:
    for t in trials:
        assert len(t.patients) == 132
        days = sorted((p.randomized - t.start).days for p in t.patients)
        assert 18 * 30 < days[-1] < 30 * 30  # about 24 months of accrual
        assert len({p.candidate.site for p in t.patients}) == 6
        arms = Counter(p.arm for p in t.patients)
        assert abs(arms["A"] - arms["B"]) <= 12  # blocks of 2/4 in 24 strata
        assert all(p.candidate.planned_failure is None for p in t.patients)
        assert 150 < len(t.candidates) < 260


def _recist_label(sizes, nodal, base, nadir, new, absent) -> str:
    total = sum(sizes)
    if new or (total >= 1.2 * nadir and total - nadir >= 5):
        return "PD"
    if absent and all((s < 10) if n else s == 0 for s, n in zip(sizes, nodal, strict=True)):
        return "CR"
    return "PR" if total <= 0.7 * base else "SD"


def test_measurements_agree_with_progression_time(trials) -> None:
    checked_pd = 0
    for t in trials:
        for p in t.patients:
            nodal = [x.nodal for x in p.baseline.targets]
            base = nadir = p.baseline.sum_mm
            assert 1 <= len(p.baseline.targets) <= 5
            for a in p.assessments:
                if any(m.size_mm is None for m in a.targets):
                    assert a.expected_response == "NE"
                    continue
                sizes = [m.size_mm for m in a.targets]
                absent = all(s == "absent" for _, s in a.non_targets)
                label = _recist_label(sizes, nodal, base, nadir, bool(a.new_lesions), absent)
                assert label == a.expected_response, (p.usubjid, a.visit)
                # PD exactly at the first scan at or after the latent progression time
                if a.day >= p.latent_pfs_day and not p.pfs_event_is_death:
                    assert label == "PD", (p.usubjid, a.day, p.latent_pfs_day)
                    checked_pd += 1
                else:
                    assert label != "PD", (p.usubjid, a.day, p.latent_pfs_day)
                nadir = min(nadir, sum(sizes))
            assert [a.day for a in p.assessments] == sorted(a.day for a in p.assessments)
    assert checked_pd > 300


def test_some_patients_respond_more_in_rt_arm(trials) -> None:
    bor = pd.concat([analysis_frames(t).adrs.query("PARAMCD == 'BOR'") for t in trials])
    orr = bor.assign(resp=bor.AVALC.isin(["CR", "PR"])).groupby("ARMCD")["resp"].mean()
    assert orr["A"] > orr["B"] > 0.0


def test_frames_are_coherent(trials) -> None:
    f = analysis_frames(trials[0])
    assert f.adsl["USUBJID"].is_unique and len(f.adsl) == 132
    tte = f.adtte.pivot(index="USUBJID", columns="PARAMCD", values="AVAL")
    assert (f.adtte["AVALU"] == "DAYS").all()
    assert (tte["OS"] + 1e-9 >= tte["PFS"]).all()
    assert (f.adtte["AVAL"] >= 0).all()
    assert set(f.adtte.query("PARAMCD == 'PFS'")["CNSR"]) <= {0, 1, 2, 3, 4, 5}
    responders = set(f.adrs.query("PARAMCD == 'BOR' and AVALC in ['CR', 'PR']")["USUBJID"])
    assert set(f.adtte.query("PARAMCD == 'DOR'")["USUBJID"]) == responders
    assert f.screening["RANDFL"].eq("Y").sum() == 132
    assert f.adtr.groupby("USUBJID")["BASE"].nunique().max() == 1


def test_censoring_reasons_all_occur_over_several_trials(trials) -> None:
    codes = Counter()
    for t in trials:
        codes.update(analysis_frames(t).adtte.query("PARAMCD == 'PFS'")["CNSR"])
    assert {0, 2, 3, 4, 5} <= set(codes)
    assert codes[0] / sum(codes.values()) > 0.6


def test_adverse_events_by_arm(trials) -> None:
    ae = pd.concat([analysis_frames(t).adae.assign(TRIAL=i) for i, t in enumerate(trials)])
    terms = ae.groupby("ARMCD")["AEDECOD"].agg(set)
    assert "Palmar-plantar erythrodysesthesia syndrome" in terms["B"]
    assert "Palmar-plantar erythrodysesthesia syndrome" not in terms["A"]
    assert RILD in terms["A"]
    assert RILD not in terms["B"]
    assert ae["AETOXGR"].astype(int).between(1, 5).all()
    for term, grade in zip(ae["AEDECOD"], ae["AETOXGR"].astype(int), strict=True):
        assert lookup(term).definition_of(grade) is not None, (term, grade)  # CTCAE v5.0
    assert ae.groupby(["TRIAL", "USUBJID", "AEDECOD"]).size().max() == 1
    for t in trials:  # a fatal AE only in a patient who died, on the day of death
        dead = {p.usubjid: p.death_day for p in t.patients}
        for p in t.patients:
            for e in p.adverse_events:
                if e.grade == 5:
                    assert dead[p.usubjid] == e.onset_day
    n_b = sum(sum(p.arm == "B" for p in t.patients) for t in trials)
    hfsr = len(ae.query("ARMCD == 'B' and AEDECOD.str.startswith('Palmar')"))
    assert 0.40 < hfsr / n_b < 0.64  # RESORCE 53 %


def test_ctdna_timepoints(trials) -> None:
    for p in trials[0].patients:
        names = [s.timepoint for s in p.ctdna]
        assert names[0] == "baseline"
        assert ("progression" in names) == (p.progression_day is not None)


@pytest.mark.parametrize("scenario", ["null", "design"])
def test_other_scenarios_run(scenario) -> None:
    t = simulate_trial(3, scenario, n_patients=40)
    assert len(t.patients) == 40 and t.scenario.name == scenario


def test_interim_cutoff_keeps_only_what_happened_before_it() -> None:
    full = simulate_trial(5, "benefit")
    cut = date(2027, 1, 1)
    early = simulate_trial(5, "benefit", cutoff=cut)
    assert early.cutoff == cut
    assert all(c.consent_date <= cut for c in early.candidates)
    assert all(p.randomized <= cut for p in early.patients)
    assert len(early.patients) < len(full.patients)
    later = {p.usubjid: p for p in full.patients}
    for p in early.patients:
        assert all(a.date <= cut for a in p.assessments)
        assert p.randomized + timedelta(days=p.last_known_alive_day) <= cut
        # the same patient, seen earlier: same truth, same history up to the cut-off
        q = later[p.usubjid]
        assert (p.arm, p.latent_pfs_day) == (q.arm, q.latent_pfs_day)
        assert p.assessments == q.assessments[: len(p.assessments)]
        assert set(p.adverse_events) <= set(q.adverse_events)
