"""Compiled kernel of the proportional-hazards score test (numba), R's ``zph1``/``zph2``.

One backward pass over the tie groups, as ``cox_kernel.partial_likelihood``, with the
added x * g(t) terms; see ``cox_zph`` for the test built on it.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@numba.njit(cache=True, error_model="numpy")
def zph_score(
    x: FloatArray,
    status: npt.NDArray[np.int8],
    time: FloatArray,
    stratum: npt.NDArray[np.intp],
    group_start: npt.NDArray[np.intp],
    last_of_stratum: npt.NDArray[np.bool_],
    entry: FloatArray,
    entry_order: npt.NDArray[np.intp],
    eta: FloatArray,
    gtime: FloatArray,
    efron: bool,
    event_pos: npt.NDArray[np.intp],
    n_events: int,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Score (2p), information (2p x 2p) of the model with added x * g(t) terms, and the
    Schoenfeld residuals (one row per event, row ``event_pos[i]`` for sorted row i).

    Evaluated at the fitted coefficients with the added terms at 0 (Grambsch & Therneau
    1994; the exact score test of survival >= 3.0, ``cox.zph``). With Efron ties the
    residual subtracts the average of the d partial risk-set means. (start, stop] rows
    leave the risk set as in ``partial_likelihood`` (R's ``zph2``).
    """
    p = x.shape[1]
    n_groups = group_start.shape[0] - 1
    schoen = np.zeros((n_events, p))
    u = np.zeros(2 * p)
    imat = np.zeros((2 * p, 2 * p))
    a = np.zeros(p)
    a2 = np.zeros(p)
    cmat = np.zeros((p, p))
    cmat2 = np.zeros((p, p))
    denom = 0.0
    nrisk = 0
    leave = entry_order.shape[0] - 1
    for g in range(n_groups - 1, -1, -1):
        if last_of_stratum[g]:
            denom = 0.0
            nrisk = 0
            a[:] = 0.0
            cmat[:, :] = 0.0
        start = group_start[g]
        stop = group_start[g + 1]
        while leave >= 0:
            r = entry_order[leave]
            if stratum[r] > stratum[start]:
                leave -= 1
                continue
            if stratum[r] < stratum[start] or entry[r] < time[start]:
                break
            leave -= 1
            nrisk -= 1
            if nrisk == 0:
                denom = 0.0
                a[:] = 0.0
                cmat[:, :] = 0.0
                continue
            risk = math.exp(eta[r])
            denom -= risk
            for j in range(p):
                a[j] -= risk * x[r, j]
                for k in range(j + 1):
                    cmat[j, k] -= risk * x[r, j] * x[r, k]
        gt = gtime[stop - 1]
        ndead = 0
        denom2 = 0.0
        for i in range(stop - 1, start - 1, -1):
            nrisk += 1
            risk = math.exp(eta[i])
            if status[i] != 0:
                ndead += 1
                denom2 += risk
                for j in range(p):
                    xj = x[i, j]
                    u[j] += xj
                    u[j + p] += gt * xj
                    a2[j] += risk * xj
                    for k in range(j + 1):
                        cmat2[j, k] += risk * xj * x[i, k]
            else:
                denom += risk
                for j in range(p):
                    xj = x[i, j]
                    a[j] += risk * xj
                    for k in range(j + 1):
                        cmat[j, k] += risk * xj * x[i, k]
        if ndead == 0:
            continue
        for j in range(p):
            if efron:
                tmean = 0.0
                for k in range(1, ndead + 1):
                    share = k / ndead
                    tmean += (a[j] + a2[j] * share) / (denom + denom2 * share)
                tmean /= ndead
            else:
                tmean = (a[j] + a2[j]) / (denom + denom2)
            for i in range(start, stop):
                if status[i] != 0:
                    schoen[event_pos[i], j] = x[i, j] - tmean
        parts = ndead if efron else 1
        weight = 1.0 if efron else float(ndead)
        frac = 1.0 / parts
        for _ in range(parts):
            denom += denom2 * frac
            for j in range(p):
                a[j] += a2[j] * frac
                mean_j = a[j] / denom
                u[j] -= weight * mean_j
                u[j + p] -= gt * weight * mean_j
                for k in range(j + 1):
                    cmat[j, k] += cmat2[j, k] * frac
                    temp = weight * (cmat[j, k] - mean_j * a[k]) / denom
                    imat[k, j] += temp
                    imat[k, j + p] += gt * temp
                    imat[k + p, j + p] += gt * gt * temp
        a2[:] = 0.0
        cmat2[:, :] = 0.0
    for j in range(p):
        for k in range(j):
            imat[j, k] = imat[k, j]
            imat[j, k + p] = imat[k, j + p]
            imat[j + p, k + p] = imat[k + p, j + p]
    for j in range(p):
        for k in range(p):
            imat[j + p, k] = imat[k, j + p]
    return u, imat, schoen
