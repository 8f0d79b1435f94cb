"""Invariants of synthetic trials for any seed and scenario (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oligotrial.synth import simulate_trial
from oligotrial.synth.tumour import is_progression


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), scenario=st.sampled_from(["benefit", "design", "null"]))
def test_every_patient_course_is_coherent(seed: int, scenario: str) -> None:
    trial = simulate_trial(seed, scenario, n_patients=24)
    for p in trial.patients:
        cut = (trial.cutoff - p.randomized).days
        days = [a.day for a in p.assessments]
        assert days == sorted(days) and all(0 < d <= cut for d in days)
        assert p.last_known_alive_day <= cut
        if p.death_day is not None:
            assert all(d < p.death_day for d in days)
            assert p.last_known_alive_day == p.death_day
        # at most one PD, always the last scan, and the first scan at or after the latent time
        labels = [a.expected_response for a in p.assessments]
        assert labels.count("PD") <= 1
        if "PD" in labels:
            assert labels[-1] == "PD"
            assert p.assessments[-1].day >= p.latent_pfs_day
            assert all(d < p.latent_pfs_day for d in days[:-1])
        # sums: a PD by the target sum really is one against the nadir so far
        nadir = p.baseline.sum_mm
        for a in p.assessments:
            if a.sum_mm is None:
                continue
            assert is_progression(a.sum_mm, nadir) == (
                a.expected_response == "PD" and not a.new_lesions
            )
            nadir = min(nadir, a.sum_mm)
        for e in p.adverse_events:
            assert 1 <= e.grade <= 5 and e.onset_day <= p.last_known_alive_day
