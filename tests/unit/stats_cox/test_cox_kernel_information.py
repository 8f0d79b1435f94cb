"""The likelihood pass against the score and information written from their definition.

The Efron information is formed from scalar sums over the steps of a tied time (see
``cox_kernel``); here it is checked against the step-by-step sum in extended precision,
on heavily tied data where many deaths share each time.
"""

from __future__ import annotations

import numpy as np
import pytest

from oligotrial.stats import cox_kernel
from oligotrial.stats.cox_data import centring, prepare


def direct(
    beta: np.ndarray,
    time: np.ndarray,
    event: np.ndarray,
    x: np.ndarray,
    strata: np.ndarray,
    efron: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Score and information, step by step over each time's deaths, in long double."""
    ld = np.longdouble
    p = x.shape[1]
    u = np.zeros(p, dtype=ld)
    info = np.zeros((p, p), dtype=ld)
    xl = x.astype(ld)
    risk = np.exp(xl @ beta.astype(ld))
    for s in np.unique(strata):
        for tt in np.unique(time[(strata == s) & (event == 1)]):
            at_risk = (strata == s) & (time >= tt)
            dead = at_risk & (time == tt) & (event == 1)
            k = int(dead.sum())
            d0, d1 = risk[at_risk].sum(), risk[dead].sum()
            a0 = (risk[at_risk, None] * xl[at_risk]).sum(0)
            a1 = (risk[dead, None] * xl[dead]).sum(0)
            c0 = np.einsum("i,ij,ik->jk", risk[at_risk], xl[at_risk], xl[at_risk])
            c1 = np.einsum("i,ij,ik->jk", risk[dead], xl[dead], xl[dead])
            u += xl[dead].sum(0)
            for j in range(k):
                f = ld(j) / k if efron else ld(0)
                den = d0 - f * d1
                mean = (a0 - f * a1) / den
                u -= mean
                info += (c0 - f * c1) / den - np.outer(mean, mean)
    return u.astype(float), info.astype(float)


@pytest.mark.parametrize("efron", [True, False])
@pytest.mark.parametrize("levels", [1, 3])
def test_score_and_information_match_their_definition(efron: bool, levels: int) -> None:
    rng = np.random.default_rng(20261207 + levels)
    n = 600
    time = rng.integers(1, 9, n).astype(float)  # ~70 rows per time, most of them deaths
    event = rng.binomial(1, 0.8, n)
    covs = {
        "arm": rng.binomial(1, 0.5, n).astype(float),
        "age": np.round(rng.normal(62.0, 9.0, n), 1),
        "score": rng.normal(0.0, 1.0, n),
    }
    strata = rng.integers(0, levels, n)
    data = prepare(time, event, covs, strata if levels > 1 else None)
    means, scales = centring(data.x)
    xs = np.ascontiguousarray((data.x - means) * scales)
    beta = np.array([-0.7, 0.4, 1.3])
    u = np.zeros(3)
    info = np.zeros((3, 3))
    cox_kernel.partial_likelihood(
        xs, data.status, data.time, data.stratum, data.group_start, data.last_of_stratum,
        np.zeros(0), data.entry_order, beta, efron, u, info,
    )  # fmt: skip
    want_u, want_info = direct(beta, data.time, data.status.astype(int), xs, data.stratum, efron)
    scale = np.sqrt(np.outer(np.diag(want_info), np.diag(want_info)))
    assert np.abs(info - want_info).max() / scale.max() < 1e-13
    assert np.abs((info - want_info) / scale).max() < 1e-13
    assert np.abs(u - want_u).max() < 1e-11 * np.sqrt(np.diag(want_info)).max()
