"""The "true" PFS hazard ratio a scenario implies, for checking analyses against it.

Under proportional hazards (``design``, ``null``) it is the scenario's constant ratio. For
non-proportional curves (``benefit``) the Cox estimate converges to a censoring-dependent
average; this module computes that limit by fitting the product's Cox model to a very large
sample of latent progression times with the trial's own censoring (uniform accrual,
minimum follow-up, exponential dropout).
"""

from __future__ import annotations

import math

import numpy as np

from oligotrial.stats.cox import cox_ph
from oligotrial.synth.scenarios import Scenario, get_scenario


def large_sample_hazard_ratio(
    scenario: str | Scenario,
    *,
    accrual_months: float = 24.0,
    follow_up_months: float = 12.0,
    dropout_per_year: float = 0.10,
    n_per_arm: int = 20_000,
    seed: int = 0,
) -> float:
    """Cox HR (A vs B) of latent PFS in ``n_per_arm`` patients per arm, censored as in a trial."""
    sc = get_scenario(scenario) if isinstance(scenario, str) else scenario
    rng = np.random.default_rng(seed)
    dropout_rate = -math.log(1.0 - dropout_per_year) / 12.0
    times, events, arms = [], [], []
    for arm, code in (("A", 1.0), ("B", 0.0)):
        latent = sc.arm(arm).pfs.sample(rng, n_per_arm)
        admin = accrual_months + follow_up_months - rng.uniform(0, accrual_months, n_per_arm)
        censor = np.minimum(admin, rng.exponential(1.0 / dropout_rate, n_per_arm))
        times.append(np.minimum(latent, censor))
        events.append((latent <= censor).astype(int))
        arms.append(np.full(n_per_arm, code))
    fit = cox_ph(np.concatenate(times), np.concatenate(events), {"A": np.concatenate(arms)})
    return float(fit.hazard_ratio["A"])
