"""Robust (sandwich) variance of a Cox model, numerically as R's ``coxph(..., cluster=)``.

Source: Lin & Wei (1989), JASA 84:1074; Therneau & Grambsch (2000), *Modeling Survival
Data*, sections 7.2-7.3; R survival 3.5 (``coxph``, ``residuals.coxph``, ``agscore2``,
``coxscore2``, ``coxph.wtest``). The score residual of row i is

    L_i = d_i (x_i - xbar(t_i)) - sum over event times t in (start_i, stop_i] of
          r_i (x_i - xbar(t)) dLambda(t),

with Efron ties splitting each tie group of d events into d steps, an event row carrying
weight (1 - k/d) in step k and the mean of the d step means as its own xbar. The dfbeta
residuals are L V (V the model-based variance); summed within each cluster they give D,
and the robust variance is D'D (R's ``fit$var``; the model-based one is ``naive.var``).
The robust score test (R's ``rscore``) uses the score residuals at beta = 0, summed per
cluster: U'(D0'D0)^- U. Wald tests use the robust variance, as R's ``summary`` does.

The residuals are computed in one backward pass that records each event time's hazard
increment and hazard-weighted mean, cumulative sums over the event times, and one pass
over the rows: O(n p) instead of R's O(n x risk set). Written with numba for the reason
given in ``cox_kernel``: a sequential scan with per-tie-group (Efron) steps and entries
leaving the risk set, which numpy can only express with many full-length temporaries.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import numpy.typing as npt

from oligotrial.stats import cox_kernel
from oligotrial.stats.cox_data import CoxData, FloatArray, IntArray


@numba.njit(cache=True, error_model="numpy")
def score_residuals(
    x: FloatArray,
    status: npt.NDArray[np.int8],
    time: FloatArray,
    stratum: npt.NDArray[np.intp],
    group_start: npt.NDArray[np.intp],
    last_of_stratum: npt.NDArray[np.bool_],
    entry: FloatArray,
    entry_order: npt.NDArray[np.intp],
    eta: FloatArray,
    efron: bool,
) -> FloatArray:
    """Score residuals (n, p) of the sorted rows at linear predictor ``eta``."""
    n, p = x.shape
    n_groups = group_start.shape[0] - 1
    hz = np.zeros(n_groups)  # hazard increment at the group's time
    hzm = np.zeros((n_groups, p))  # increment times the risk-set mean
    hz_own = np.zeros(n_groups)  # the same as seen by the group's own events (Efron)
    hzm_own = np.zeros((n_groups, p))
    mean_own = np.zeros((n_groups, p))  # the mean subtracted from an event's x
    a = np.zeros(p)
    a2 = np.zeros(p)
    denom = 0.0
    nrisk = 0
    leave = entry_order.shape[0] - 1
    for g in range(n_groups - 1, -1, -1):
        if last_of_stratum[g]:
            denom = 0.0
            nrisk = 0
            a[:] = 0.0
        first = group_start[g]
        while leave >= 0:
            r = entry_order[leave]
            if stratum[r] > stratum[first]:
                leave -= 1
                continue
            if stratum[r] < stratum[first] or entry[r] < time[first]:
                break
            leave -= 1
            nrisk -= 1
            if nrisk == 0:
                denom = 0.0
                a[:] = 0.0
                continue
            risk = math.exp(eta[r])
            denom -= risk
            for j in range(p):
                a[j] -= risk * x[r, j]
        ndead = 0
        denom2 = 0.0
        for i in range(first, group_start[g + 1]):
            nrisk += 1
            risk = math.exp(eta[i])
            if status[i] != 0:
                ndead += 1
                denom2 += risk
                for j in range(p):
                    a2[j] += risk * x[i, j]
            else:
                denom += risk
                for j in range(p):
                    a[j] += risk * x[i, j]
        if ndead > 0:
            steps = ndead if efron else 1
            for k in range(steps):
                share = 1.0 - k / steps  # weight of the tied events in this step
                d2 = denom + share * denom2
                h = (1.0 if efron else float(ndead)) / d2
                hz[g] += h
                hz_own[g] += share * h
                for j in range(p):
                    mean_j = (a[j] + share * a2[j]) / d2
                    hzm[g, j] += h * mean_j
                    hzm_own[g, j] += share * h * mean_j
                    mean_own[g, j] += mean_j / steps
            denom += denom2
            for j in range(p):
                a[j] += a2[j]
        a2[:] = 0.0
    # cumulative sums over the groups of each stratum, in time order
    cum = np.zeros(n_groups)
    cumm = np.zeros((n_groups, p))
    for g in range(n_groups):
        new_stratum = g == 0 or last_of_stratum[g - 1]
        cum[g] = hz[g] + (0.0 if new_stratum else cum[g - 1])
        for j in range(p):
            cumm[g, j] = hzm[g, j] + (0.0 if new_stratum else cumm[g - 1, j])
    # the sums up to each row's entry: the last group of its stratum at or before it
    before = np.zeros(n)
    beforem = np.zeros((n, p))
    gp = -1
    for idx in range(entry_order.shape[0]):
        r = entry_order[idx]
        while gp + 1 < n_groups:
            f = group_start[gp + 1]
            if stratum[f] < stratum[r] or (stratum[f] == stratum[r] and time[f] <= entry[r]):
                gp += 1
            else:
                break
        if gp >= 0 and stratum[group_start[gp]] == stratum[r]:
            before[r] = cum[gp]
            for j in range(p):
                beforem[r, j] = cumm[gp, j]
    resid = np.zeros((n, p))
    for g in range(n_groups):
        for i in range(group_start[g], group_start[g + 1]):
            risk = math.exp(eta[i])
            h = cum[g] - before[i]
            dead = status[i] != 0
            if dead:
                h += hz_own[g] - hz[g]
            for j in range(p):
                hm = cumm[g, j] - beforem[i, j]
                if dead:
                    hm += hzm_own[g, j] - hzm[g, j]
                resid[i, j] = -risk * (x[i, j] * h - hm)
                if dead:
                    resid[i, j] += x[i, j] - mean_own[g, j]
    return resid


def _by_cluster(resid: FloatArray, cluster: IntArray | None, n_clusters: int) -> FloatArray:
    """Rows summed within each cluster (no cluster: each row its own)."""
    if cluster is None:
        return resid
    out = np.empty((n_clusters, resid.shape[1]))
    for j in range(resid.shape[1]):
        out[:, j] = np.bincount(cluster, weights=resid[:, j], minlength=n_clusters)
    return out


def _residuals(
    data: CoxData, xs: FloatArray, scales: FloatArray, eta: FloatArray, efron: bool
) -> FloatArray:
    """Score residuals on the original covariate scale (x_s = (x - m) s scales them by s)."""
    entry = data.entry if data.entry is not None else np.zeros(0)
    resid = score_residuals(
        xs,
        data.status,
        data.time,
        data.stratum,
        data.group_start,
        data.last_of_stratum,
        entry,
        data.entry_order,
        eta,
        efron,
    )
    out: FloatArray = resid / scales
    return out


def quadratic_test(var: FloatArray, b: FloatArray, toler: float) -> float:
    """b' var^- b with R's generalised inverse (``coxph.wtest``: pivots below
    ``toler * max(diag)`` dropped)."""
    m = np.array(var, dtype=np.float64, order="C")
    rank = cox_kernel.ldl_factor(m, toler)
    if rank <= 0:
        return 0.0
    y = np.array(b, dtype=np.float64)
    cox_kernel.ldl_solve(m, y)
    return float(b @ y)


def robust_variance(
    data: CoxData,
    xs: FloatArray,
    scales: FloatArray,
    beta_s: FloatArray,
    naive_var: FloatArray,
    efron: bool,
    toler: float,
) -> tuple[FloatArray, float]:
    """(robust variance D'D, robust score statistic) of a fit on the scaled design ``xs``.

    D = (per-cluster sums of the score residuals) V, so D'D = V (R_c' R_c) V: only p x p
    products after the per-cluster sums (the n x p product R V is never formed).
    """
    n_clusters = data.n_clusters
    eta = np.einsum("ij,j->i", xs, beta_s)
    resid = _by_cluster(_residuals(data, xs, scales, eta, efron), data.cluster, n_clusters)
    var = naive_var @ (resid.T @ resid) @ naive_var
    var = (var + var.T) / 2.0
    resid0 = _by_cluster(
        _residuals(data, xs, scales, np.zeros_like(eta), efron), data.cluster, n_clusters
    )
    return var, quadratic_test(resid0.T @ resid0, resid0.sum(axis=0), toler)
