"""Compiled kernels for the Cox partial likelihood (numba).

Data arrive sorted by (stratum, time) and cut into tie groups (see ``cox_data``). One
backward pass over the groups accumulates the risk-set sums (sum of risk, of risk * x,
of risk * x x') and yields the log partial likelihood, the score vector and the
information matrix. Breslow adds a tie group's events at once; Efron adds them in
``d`` equal fractions, as in Therneau & Grambsch (2000), *Modeling Survival Data*,
section 3.3, and R's survival package (``coxfit6.c``). The Efron log-likelihood and score
are summed step by step in R's order; the information of the ``d`` steps,
``sum_k (C_k / D_k - m_k m_k')`` with ``C_k = C + g_k C2``, ``m_k = (A + g_k A2) / D_k``
(``g_k = k / d``; ``A``, ``C`` the sums of r x, r x x' over the rows at risk before the
step, ``A2``, ``C2`` over the dead), is formed once per time from five scalar sums over
the steps (of ``rho_k = D_d / D_k`` and ``g_k rho_k``, and of ``rho_k^2``, ``g_k rho_k^2``,
``g_k^2 rho_k^2``; ``rho_k`` lies between 1 and ``d``, so nothing overflows). That takes
the O(p^2) divisions out of each death (on heavily tied data most of the pass) and is
closer to an extended-precision reference than the step-by-step sum. For (start, stop] data the same
pass also walks the rows in order of entry time and takes a row out of the sums once the
time reaches its entry (R's ``agfit4.c``); right-censored data pass an empty entry list,
so one kernel serves both and the right-censored pass does no extra work.

The Newton-Raphson driver follows the same rules as R's ``coxph``: start at beta = 0,
step to ``beta + I^-1 U``; if the log-likelihood falls (or is not finite) move the new
point back toward the last good one (``(new + h * old) / (h + 1)`` with ``h`` growing);
stop when ``|1 - loglik_old / loglik_new| <= eps``. The information is factored by an
LDL' decomposition that sets pivots below ``toler * max(diag)`` to zero (R's
``cholesky2``), which gives R's rank and singularity verdicts.

Kernels use IEEE arithmetic (``error_model="numpy"``): a division by zero gives inf/NaN
as in R's C code and is caught by the finiteness checks instead of raising.

A single pass costs O(n p^2); the whole fit is a handful of passes. Written with numba
because each pass is a sequential scan with per-tie-group corrections that numpy can only
express with reverse cumulative sums, ``np.add.reduceat`` per tie group and about forty
full-length temporaries. Measured against such a vectorised pass (3 covariates, Efron):
10^6 rows 21 ms vs 377 ms, n = 132 4 us vs 70 us per pass (about 18x either way).
"""

from __future__ import annotations

import math

import numba
import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@numba.njit(cache=True, error_model="numpy")
def partial_likelihood(
    x: FloatArray,
    status: npt.NDArray[np.int8],
    time: FloatArray,
    stratum: npt.NDArray[np.intp],
    group_start: npt.NDArray[np.intp],
    last_of_stratum: npt.NDArray[np.bool_],
    entry: FloatArray,
    entry_order: npt.NDArray[np.intp],
    beta: FloatArray,
    efron: bool,
    u: FloatArray,
    imat: FloatArray,
) -> float:
    """Log partial likelihood at ``beta``; fills the score ``u`` and information ``imat``.

    ``entry``/``entry_order`` (empty for right-censored data): entry times of the sorted
    rows and the rows ordered by (stratum, entry). Walking back in time, a row leaves the
    sums once the time reaches its entry; when nobody is left at risk the sums are reset
    to exact zeros (as R's ``agfit4``), so that rounding cannot accumulate.
    """
    p = x.shape[1]
    n_groups = group_start.shape[0] - 1
    a = np.zeros(p)
    a2 = np.zeros(p)
    cmat = np.zeros((p, p))
    cmat2 = np.zeros((p, p))
    mean = np.zeros(p)
    mean2 = np.zeros(p)
    zero = True  # at beta = 0 every risk is exp(0) = 1: no exp needed
    for j in range(p):
        if beta[j] != 0.0:
            zero = False
    u[:] = 0.0
    imat[:, :] = 0.0
    loglik = 0.0
    denom = 0.0
    nrisk = 0
    leave = entry_order.shape[0] - 1  # next row (in entry order) to leave the risk set
    for g in range(n_groups - 1, -1, -1):
        if last_of_stratum[g]:
            denom = 0.0
            nrisk = 0
            a[:] = 0.0
            cmat[:, :] = 0.0
        if leave >= 0:
            first = group_start[g]
            s = stratum[first]
            tg = time[first]
            while leave >= 0:
                r = entry_order[leave]
                if stratum[r] > s:  # a later stratum, already finished
                    leave -= 1
                    continue
                if stratum[r] < s or entry[r] < tg:
                    break
                leave -= 1
                nrisk -= 1
                if nrisk == 0:
                    denom = 0.0
                    a[:] = 0.0
                    cmat[:, :] = 0.0
                    continue
                zb = 0.0
                risk = 1.0
                if not zero:
                    for j in range(p):
                        zb += beta[j] * x[r, j]
                    risk = math.exp(zb)
                denom -= risk
                for j in range(p):
                    xj = x[r, j]
                    a[j] -= risk * xj
                    for k in range(j + 1):
                        cmat[j, k] -= risk * xj * x[r, k]
        ndead = 0
        denom2 = 0.0
        for i in range(group_start[g + 1] - 1, group_start[g] - 1, -1):
            nrisk += 1
            zb = 0.0
            risk = 1.0
            if not zero:
                for j in range(p):
                    zb += beta[j] * x[i, j]
                risk = math.exp(zb)
            if status[i] != 0:
                ndead += 1
                denom2 += risk
                loglik += zb
                for j in range(p):
                    xj = x[i, j]
                    u[j] += xj
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
        if not efron or ndead == 1:
            denom += denom2
            loglik -= ndead * math.log(denom)
            for j in range(p):
                a[j] += a2[j]
                mean_j = a[j] / denom
                u[j] -= ndead * mean_j
                for k in range(j + 1):
                    cmat[j, k] += cmat2[j, k]
                    imat[k, j] += ndead * (cmat[j, k] - mean_j * a[k]) / denom
        else:
            # Efron: the score and log-likelihood step by step exactly as R's coxfit6;
            # the information from scalar sums over the steps (module docstring)
            total = denom + denom2
            frac = 1.0 / ndead
            s0 = s1 = q0 = q1 = q2 = 0.0
            for j in range(p):
                mean[j] = a[j] / total
                mean2[j] = a2[j] / total
            for step in range(1, ndead + 1):
                denom += denom2 * frac
                loglik -= math.log(denom)
                for j in range(p):
                    a[j] += a2[j] * frac
                    u[j] -= a[j] / denom
                w = step * frac
                rho = total / denom
                s0 += rho
                s1 += w * rho
                rho *= rho
                q0 += rho
                q1 += w * rho
                q2 += w * w * rho
            for j in range(p):
                for k in range(j + 1):
                    imat[k, j] += (cmat[j, k] * s0 + cmat2[j, k] * s1) / total - (
                        mean[j] * mean[k] * q0
                        + (mean[j] * mean2[k] + mean2[j] * mean[k]) * q1
                        + mean2[j] * mean2[k] * q2
                    )
                    cmat[j, k] += cmat2[j, k]
        a2[:] = 0.0
        cmat2[:, :] = 0.0
    for j in range(p):
        for k in range(j):
            imat[j, k] = imat[k, j]
    return loglik


@numba.njit(cache=True, error_model="numpy")
def ldl_factor(m: FloatArray, toler: float) -> int:
    """In-place LDL' of symmetric ``m`` (lower part and diagonal); returns the rank.

    A pivot below ``toler * max(diag)`` (or not finite) is set to 0 and its column
    skipped; the rank is negative when the matrix is not non-negative definite.
    """
    n = m.shape[0]
    eps = 0.0
    for i in range(n):
        if m[i, i] > eps:
            eps = m[i, i]
        for j in range(i + 1, n):
            m[j, i] = m[i, j]
    eps = toler if eps == 0.0 else eps * toler
    rank = 0
    nonneg = 1
    for i in range(n):
        pivot = m[i, i]
        if not math.isfinite(pivot) or pivot < eps:
            m[i, i] = 0.0
            if pivot < -8.0 * eps:
                nonneg = -1
        else:
            rank += 1
            for j in range(i + 1, n):
                temp = m[j, i] / pivot
                m[j, i] = temp
                m[j, j] -= temp * temp * pivot
                for k in range(j + 1, n):
                    m[k, j] -= temp * m[k, i]
    return rank * nonneg


@numba.njit(cache=True, error_model="numpy")
def ldl_solve(m: FloatArray, y: FloatArray) -> None:
    """Solve in place with the factor from ``ldl_factor`` (zero pivots give zero)."""
    n = m.shape[0]
    for i in range(n):
        temp = y[i]
        for j in range(i):
            temp -= y[j] * m[i, j]
        y[i] = temp
    for i in range(n - 1, -1, -1):
        if m[i, i] == 0.0:
            y[i] = 0.0
        else:
            temp = y[i] / m[i, i]
            for j in range(i + 1, n):
                temp -= y[j] * m[j, i]
            y[i] = temp


@numba.njit(cache=True, error_model="numpy")
def ldl_inverse(m: FloatArray) -> FloatArray:
    """Inverse from the ``ldl_factor`` factor; rows/columns of zero pivots are 0."""
    n = m.shape[0]
    out = np.zeros((n, n))
    e = np.zeros(n)
    for c in range(n):
        if m[c, c] == 0.0:
            continue
        e[:] = 0.0
        e[c] = 1.0
        ldl_solve(m, e)
        for r in range(n):
            out[r, c] = 0.0 if m[r, r] == 0.0 else e[r]
    return out


@numba.njit(cache=True, error_model="numpy")
def newton_raphson(
    x: FloatArray,
    status: npt.NDArray[np.int8],
    time: FloatArray,
    stratum: npt.NDArray[np.intp],
    group_start: npt.NDArray[np.intp],
    last_of_stratum: npt.NDArray[np.bool_],
    entry: FloatArray,
    entry_order: npt.NDArray[np.intp],
    beta0: FloatArray,
    efron: bool,
    max_iter: int,
    eps: float,
    toler: float,
    agreg: bool,
) -> tuple[FloatArray, FloatArray, FloatArray, float, float, float, int, int, bool]:
    """Maximise the partial likelihood on the scaled design ``x``.

    Returns (beta, score at beta, inverse information, loglik at beta0, loglik at beta,
    score test at beta0, iterations, rank of the information, converged). A rank below p
    at beta0 (a singular design) returns at once with 0 iterations.

    ``agreg`` follows R's driver for (start, stop] data (``agfit4``) instead of
    ``coxfit6``: a point reached by step halving is never accepted as converged, a change
    of rank counts as a failed step, and when the iterations run out the last point is
    kept unless it is worse than the best one by more than ``eps`` (relative).
    """
    p = x.shape[1]
    u = np.zeros(p)
    imat = np.zeros((p, p))
    beta = beta0.copy()
    loglik0 = partial_likelihood(
        x, status, time, stratum, group_start, last_of_stratum, entry, entry_order, beta,
        efron, u, imat,
    )  # fmt: skip
    step = u.copy()
    rank = ldl_factor(imat, toler)
    rank0 = rank
    ldl_solve(imat, step)
    score_test = 0.0
    for j in range(p):
        score_test += u[j] * step[j]
    best = loglik0
    if max_iter == 0 or not math.isfinite(loglik0) or rank < p:
        return beta, u, ldl_inverse(imat), loglik0, best, score_test, 0, rank, False
    new_beta = beta + step
    halving = 0
    new_lk = loglik0
    for it in range(1, max_iter + 1):
        new_lk = partial_likelihood(
            x, status, time, stratum, group_start, last_of_stratum, entry, entry_order,
            new_beta, efron, u, imat,
        )  # fmt: skip
        finite = math.isfinite(new_lk)
        if agreg:  # agfit4: the diagonal before factoring, and the rank
            for j in range(p):
                if not math.isfinite(imat[j, j]):
                    finite = False
        rank = ldl_factor(imat, toler)
        if agreg:
            if rank != rank0:
                finite = False
        else:  # coxfit6: the score and the factored information
            for j in range(p):
                if not math.isfinite(u[j]):
                    finite = False
                for k in range(p):
                    if not math.isfinite(imat[j, k]):
                        finite = False
        if finite and (halving == 0 or not agreg) and abs(1.0 - best / new_lk) <= eps:
            return new_beta, u, ldl_inverse(imat), loglik0, new_lk, score_test, it, rank, True
        if agreg and it == max_iter:
            break
        if not finite or new_lk < best:
            halving += 1
            for j in range(p):
                new_beta[j] = (new_beta[j] + halving * beta[j]) / (halving + 1.0)
        else:
            halving = 0
            best = new_lk
            ldl_solve(imat, u)
            for j in range(p):
                beta[j] = new_beta[j]
                new_beta[j] = new_beta[j] + u[j]
    if agreg and not (max_iter > 1 and (new_lk - best) / abs(best) < -eps):
        # out of iterations, R's agfit4: keep the last point unless clearly worse
        return new_beta, u, ldl_inverse(imat), loglik0, new_lk, score_test, max_iter, rank, False
    # out of iterations: report the last accepted point
    if max_iter > 1:
        best = partial_likelihood(
            x, status, time, stratum, group_start, last_of_stratum, entry, entry_order, beta,
            efron, u, imat,
        )  # fmt: skip
        rank = ldl_factor(imat, toler)
    return beta, u, ldl_inverse(imat), loglik0, best, score_test, max_iter, rank, False
