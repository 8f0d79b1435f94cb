"""Test of proportional hazards, numerically as R's ``survival::cox.zph`` (survival >= 3.0).

Source: Grambsch & Therneau (1994), Biometrika 81:515, and Therneau & Grambsch (2000)
section 6.2. Since survival 3.0 ``cox.zph`` no longer uses the Schoenfeld-residual
regression approximation: it computes the exact score test for adding the terms
``x * g(t)`` to the fitted model, evaluated at the fitted coefficients with the new
terms at 0. ``g`` is the transformed time centred on its mean over the events; the
default transform "km" is 1 - KM(t-) from the Kaplan-Meier of all subjects (strata
ignored), as R does. Per term: the score test on that term's added columns (the
information of the original coefficients included); GLOBAL: all added columns.
lifelines' ``proportional_hazard_test`` is the older approximation and differs.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy import special
from scipy.stats import rankdata

from oligotrial.errors import ConvergenceWarning, InputError
from oligotrial.stats import cox_zph_kernel
from oligotrial.stats.cox import ChiSquareTest, CoxResult, Ties, cox_ph
from oligotrial.stats.cox_data import CoxData, FloatArray, MissingAction

Transform = Literal["km", "identity", "rank", "log"]


@dataclass(frozen=True)
class CoxZph:
    """Per-term chi-square tests of proportional hazards and the global test."""

    terms: tuple[str, ...]
    chisq: Mapping[str, float]
    df: Mapping[str, int]
    p_value: Mapping[str, float]
    global_test: ChiSquareTest
    transform: Transform
    time: FloatArray = field(repr=False, compare=False)
    """Event times, ordered by stratum, time and input row (as R's ``cox.zph()$time``)."""
    x: FloatArray = field(repr=False, compare=False)
    """Transformed event times g(t) in the same order (R's ``$x``)."""
    residuals: FloatArray = field(repr=False, compare=False)
    """Scaled Schoenfeld residuals + coefficient, one column per covariate (R's ``$y``, as
    with ``terms=FALSE``); NaN where a covariate is constant within the event's stratum."""


def transformed_time(data: CoxData, transform: Transform) -> FloatArray:
    """g(t) for every (sorted) row before centring."""
    t = data.time
    if transform == "identity":
        return t.copy()
    if transform == "rank":
        return np.asarray(rankdata(t, method="average"), dtype=np.float64)
    if transform == "log":
        if (t <= 0).any():
            raise InputError("transform", "'log' needs every time to be positive")
        return np.log(t)
    if transform == "km" and data.entry is not None:
        return 1.0 - _km_before_counting(data)
    if transform == "km":
        unique, inverse = np.unique(t, return_inverse=True)
        deaths = np.bincount(inverse, weights=data.status, minlength=unique.size)
        at_risk = np.cumsum(np.bincount(inverse, minlength=unique.size)[::-1])[::-1]
        surv = np.cumprod(1.0 - deaths / at_risk)
        before = np.concatenate(([1.0], surv[:-1]))  # KM just before each time
        return np.asarray(1.0 - before[inverse], dtype=np.float64)
    raise InputError("transform", f"must be km, identity, rank or log, got {transform!r}")


def _km_before_counting(data: CoxData) -> FloatArray:
    """Kaplan-Meier just before each row's stop time, strata pooled, for (start, stop]
    rows: at risk at t when start < t <= stop (R's ``survfitKM`` on the counting data)."""
    assert data.entry is not None
    stop_sorted = np.sort(data.time)
    entry_sorted = np.sort(data.entry)
    event_times, deaths = np.unique(data.time[data.status == 1], return_counts=True)
    n = data.n
    at_risk = (n - np.searchsorted(stop_sorted, event_times, side="left")) - (
        n - np.searchsorted(entry_sorted, event_times, side="left")
    )
    surv = np.concatenate(([1.0], np.cumprod(1.0 - deaths / at_risk)))
    before: FloatArray = surv[np.searchsorted(event_times, data.time, side="left")]
    return before


def _term_columns(
    names: Sequence[str], terms: bool | Mapping[str, Sequence[str]]
) -> dict[str, list[int]]:
    if isinstance(terms, bool):
        return {name: [j] for j, name in enumerate(names)}
    index = {name: j for j, name in enumerate(names)}
    groups: dict[str, list[int]] = {}
    for term, members in terms.items():
        unknown = [m for m in members if m not in index]
        if unknown or not members:
            raise InputError(f"terms.{term}", f"unknown or no covariates: {unknown}")
        groups[term] = [index[m] for m in members]
    covered = sorted(j for cols in groups.values() for j in cols)
    if covered != list(range(len(names))):
        raise InputError("terms", "must assign every covariate to exactly one term")
    return groups


def cox_zph(
    fit: CoxResult | None = None,
    *,
    time: Any = None,
    event: Any = None,
    covariates: Mapping[str, Any] | None = None,
    strata: Any = None,
    ties: Ties = "efron",
    missing: MissingAction = "error",
    transform: Transform = "km",
    terms: bool | Mapping[str, Sequence[str]] = True,
) -> CoxZph:
    """Proportional-hazards test of a fitted model (or of the model fitted to the data).

    ``terms``: True/False test each covariate alone (1 df); a mapping term -> covariate
    names tests each group jointly (as R does for a factor's columns).
    """
    if fit is None:
        if time is None or event is None or covariates is None:
            raise InputError("fit", "give a fitted model or time, event and covariates")
        fit = cox_ph(time, event, covariates, strata=strata, ties=ties, missing=missing)
    if not fit.converged or fit.possibly_infinite:
        warnings.warn(
            "the Cox model did not converge or a coefficient may be infinite; the "
            "proportional-hazards test may be unreliable",
            ConvergenceWarning,
            stacklevel=2,
        )
    data = fit.data
    groups = _term_columns(fit.names, terms)
    coef = np.array([fit.coef[name] for name in fit.names])
    means = np.array([fit.means[name] for name in fit.names])
    eta = np.ascontiguousarray((data.x - means) @ coef)
    xc = np.ascontiguousarray(data.x - data.x.mean(axis=0))
    g = transformed_time(data, transform)
    events = data.status == 1
    gtime = np.ascontiguousarray(g - g[events].mean())
    status = data.status
    event_pos = (np.cumsum(status) - 1).astype(np.intp)
    u, imat, schoen = cox_zph_kernel.zph_score(
        xc,
        status,
        data.time,
        data.stratum,
        data.group_start,
        data.last_of_stratum,
        data.entry if data.entry is not None else np.zeros(0),
        data.entry_order,
        eta,
        gtime,
        fit.ties == "efron",
        event_pos,
        data.n_events,
    )
    p = coef.shape[0]
    chisq: dict[str, float] = {}
    df: dict[str, int] = {}
    p_value: dict[str, float] = {}
    for term, cols in groups.items():
        keep = list(range(p)) + [p + j for j in cols]
        score = np.concatenate((np.zeros(p), u[[p + j for j in cols]]))
        stat = _quadratic_form(imat[np.ix_(keep, keep)], score, term)
        chisq[term], df[term] = stat, len(cols)
        p_value[term] = float(special.chdtrc(len(cols), stat))
    score = np.concatenate((np.zeros(p), u[p:]))
    stat = _quadratic_form(imat, score, "GLOBAL")
    time_out, x_out, residuals = _scaled_residuals(data, g, schoen, imat[:p, :p], coef)
    return CoxZph(
        terms=tuple(groups),
        chisq=chisq,
        df=df,
        p_value=p_value,
        global_test=ChiSquareTest(stat, p, float(special.chdtrc(p, stat))),
        transform=transform,
        time=time_out,
        x=x_out,
        residuals=residuals,
    )


def _quadratic_form(info: FloatArray, score: FloatArray, term: str) -> float:
    """score' info^-1 score; singular (as R's ``solve``: reciprocal condition number below
    machine epsilon) or negative results are refused rather than returned as noise."""
    rcond = 1.0 / float(np.linalg.cond(info, 1))
    if not rcond >= np.finfo(np.float64).eps:
        raise InputError(
            "fit",
            f"{term}: the information matrix of the test is singular (reciprocal condition "
            f"number {rcond:.3g}); a coefficient is probably infinite, so the test is not "
            "defined",
        )
    stat = float(score @ np.linalg.solve(info, score))
    if not stat >= 0.0:
        raise InputError(
            "fit",
            f"{term}: the statistic is not a valid chi-square (numerically "
            "singular information); the test is not defined",
        )
    return stat


def _scaled_residuals(
    data: CoxData, g: FloatArray, schoen: FloatArray, info: FloatArray, coef: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """R's scaling: per stratum, residuals times the inverse of the average information
    over the events where each covariate varies, plus the coefficient."""
    rows = np.flatnonzero(data.status == 1)
    stratum_start = np.flatnonzero(np.r_[True, data.stratum[1:] != data.stratum[:-1]])
    varies = np.maximum.reduceat(data.x, stratum_start, axis=0) != np.minimum.reduceat(
        data.x, stratum_start, axis=0
    )
    events = np.add.reduceat(data.status.astype(np.int64), stratum_start)
    used = varies * events[:, None]
    weight = np.minimum(used[:, :, None], used[:, None, :]).sum(axis=0)
    vmean = info / np.where(weight == 0, 1, weight)
    # R's order: stratum, time, then input row (reversed for (start, stop] data, zph2)
    tie = -data.order[rows] if data.entry is not None else data.order[rows]
    perm = np.lexsort((tie, data.time[rows], data.stratum[rows]))
    resid = schoen[perm].copy()
    event_stratum = np.searchsorted(stratum_start, rows[perm], side="right") - 1
    for s, use in enumerate(used):
        these = event_stratum == s
        cols = np.flatnonzero(use > 0)
        if cols.size:
            block = resid[np.ix_(these, cols)]
            resid[np.ix_(these, cols)] = np.linalg.solve(vmean[np.ix_(cols, cols)], block.T).T
        resid[np.ix_(these, np.flatnonzero(use == 0))] = np.nan
    resid += coef
    return data.time[rows][perm], g[rows][perm], resid
