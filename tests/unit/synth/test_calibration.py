"""Calibration of whole synthetic trials against REFERENCE.md §1, through the stats engine.

Latent progression times are censored by dropout and the data cut-off exactly as follow-up
ends; the Kaplan-Meier median and 6-month PFS of many simulated patients must then cover
the published targets within sampling error. Under the design scenario (proportional
hazards, HR 0.55) the Cox estimate from the derived, scan-dated PFS of several full-size
trials must average to the truth within sampling error.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from oligotrial.stats import kaplan_meier
from oligotrial.stats.cox import cox_ph
from oligotrial.synth import analysis_frames, simulate_trial
from oligotrial.synth.models import DAYS_PER_MONTH
from oligotrial.synth.truth import large_sample_hazard_ratio


def _latent(trials, arm):
    t, e = [], []
    for tr in trials:
        for p in tr.patients:
            if p.arm != arm:
                continue
            end = p.death_day if p.death_day is not None else p.last_known_alive_day
            follow = max(end, 0)
            if p.latent_pfs_day <= follow:
                t.append(p.latent_pfs_day / DAYS_PER_MONTH)
                e.append(1)
            else:
                t.append(follow / DAYS_PER_MONTH)
                e.append(0)
    return np.array(t), np.array(e)


@pytest.fixture(scope="module")
def many_trials():
    return [simulate_trial(1000 + s, "benefit") for s in range(12)]


@pytest.mark.parametrize(("arm", "median", "s6"), [("A", 8.6, 0.671), ("B", 3.1, 0.214)])
def test_km_of_simulated_patients_covers_published_values(many_trials, arm, median, s6) -> None:
    t, e = _latent(many_trials, arm)
    assert len(t) > 700
    km = kaplan_meier(t, e, conf_level=0.99)
    lo, hi = km.median_ci
    assert lo <= median <= hi, (km.median, lo, hi)
    i = np.searchsorted(km.time, 6.0, side="right") - 1
    assert km.lower[i] <= s6 <= km.upper[i]


def test_published_twelve_month_pfs_in_rt_arm(many_trials) -> None:
    t, e = _latent(many_trials, "A")
    km = kaplan_meier(t, e, conf_level=0.99)
    i = np.searchsorted(km.time, 12.0, side="right") - 1
    assert km.lower[i] <= 0.418 <= km.upper[i]


@pytest.mark.slow
def test_cox_hr_on_derived_pfs_averages_to_truth_in_design_scenario() -> None:
    logs, ses = [], []
    for seed in range(10):
        f = analysis_frames(simulate_trial(500 + seed, "design"))
        pfs = f.adtte[f.adtte["PARAMCD"] == "PFS"]
        fit = cox_ph(
            pfs.AVALM.to_numpy(float),
            (pfs.CNSR == 0).to_numpy(int),
            {"a": (pfs.ARMCD == "A").to_numpy(float)},
        )
        logs.append(fit.coef["a"])
        ses.append(fit.se["a"])
    mean = float(np.mean(logs))
    se_mean = float(np.sqrt(np.mean(np.square(ses)) / len(logs)))
    assert abs(mean - math.log(0.55)) < 3 * se_mean, (math.exp(mean), se_mean)


@pytest.mark.parametrize(("scenario", "expected"), [("design", 0.55), ("null", 1.0)])
def test_large_sample_hr_recovers_proportional_truth(scenario, expected) -> None:
    assert large_sample_hazard_ratio(scenario) == pytest.approx(expected, abs=0.03)


@pytest.mark.slow
def test_cox_hr_on_derived_pfs_averages_to_large_sample_truth_under_benefit() -> None:
    truth = large_sample_hazard_ratio("benefit")
    assert 0.2 < truth < 0.4  # far stronger than the design's 0.55
    logs, ses = [], []
    for seed in range(10):
        f = analysis_frames(simulate_trial(900 + seed, "benefit"))
        pfs = f.adtte[f.adtte["PARAMCD"] == "PFS"]
        fit = cox_ph(
            pfs.AVALM.to_numpy(float),
            (pfs.CNSR == 0).to_numpy(int),
            {"a": (pfs.ARMCD == "A").to_numpy(float)},
        )
        logs.append(fit.coef["a"])
        ses.append(fit.se["a"])
    se_mean = float(np.sqrt(np.mean(np.square(ses)) / len(logs)))
    assert abs(float(np.mean(logs)) - math.log(truth)) < 3 * se_mean


def test_null_scenario_has_no_effect_on_average() -> None:
    logs = []
    for seed in range(6):
        f = analysis_frames(simulate_trial(700 + seed, "null"))
        pfs = f.adtte[f.adtte["PARAMCD"] == "PFS"]
        fit = cox_ph(
            pfs.AVALM.to_numpy(float),
            (pfs.CNSR == 0).to_numpy(int),
            {"a": (pfs.ARMCD == "A").to_numpy(float)},
        )
        logs.append(fit.coef["a"])
    assert abs(float(np.mean(logs))) < 3 * 0.19 / math.sqrt(6)
