"""Cox proportional hazards regression, numerically as R's ``survival::coxph``.

Source: Cox (1972), JRSS-B 34:187; ties by Efron (1977), JASA 72:557 (default, as R) or
Breslow (1974); fitting rules of R's survival package (Therneau, version 3.x:
``coxph.control`` defaults eps = 1e-9, iter.max = 20, toler.chol = eps^0.75,
toler.inf = sqrt(eps)): Newton-Raphson from beta = 0 with step halving, convergence on
the relative change of the log partial likelihood, covariates centred on their mean and
scaled by their mean absolute deviation while fitting (except covariates coded only
-1/0/1), times within sqrt(machine epsilon) treated as tied. Tests as ``summary.coxph``:
Wald (beta' V^-1 beta), score (at beta = 0) and likelihood ratio, each on p df; HR
intervals ``exp(beta +- z * se)``. See REFERENCE.md section 5.

Counting-process data (R's ``Surv(start, stop, event)``): with ``start`` a row is at risk
at t when start < t <= stop, which gives delayed entry and time-dependent covariates (one
row per interval of constant covariates); fitted as R's ``agreg.fit`` (``agfit4``), whose
Newton driver differs slightly (see ``cox_kernel.newton_raphson``). With ``cluster`` (or
``robust=True``) the variance is R's robust sandwich ``D'D`` (see ``cox_robust``): SEs,
z, p, intervals and the Wald test use it, the model-based one stays in ``naive_se``, and
``robust_score_test`` is R's robust score test; log-likelihood, likelihood-ratio and score
tests are unchanged, as in R.

Missing values: by default an ``InputError`` names the first incomplete field; with
``missing="omit"`` incomplete rows are dropped as R's ``na.omit`` does and counted in
``n_dropped``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy import special

from oligotrial.errors import ConvergenceWarning, InputError
from oligotrial.stats import cox_kernel, cox_layout, cox_robust
from oligotrial.stats.cox_data import CoxData, FloatArray, MissingAction, prepare

Ties = Literal["efron", "breslow"]

EPS = 1e-9
ITER_MAX = 20
TOLER_CHOL = float(np.finfo(np.float64).eps) ** 0.75
TOLER_INF = float(np.sqrt(EPS))


@dataclass(frozen=True)
class ChiSquareTest:
    """A chi-square test: statistic, degrees of freedom, upper-tail p-value."""

    statistic: float
    df: int
    p_value: float


def _chisq(statistic: float, df: int) -> ChiSquareTest:
    return ChiSquareTest(float(statistic), df, float(special.chdtrc(df, statistic)))


@dataclass(frozen=True)
class CoxResult:
    """A fitted Cox model. Per-covariate values are mappings keyed by covariate name."""

    names: tuple[str, ...]
    coef: Mapping[str, float]
    se: Mapping[str, float]
    hazard_ratio: Mapping[str, float]
    hr_lower: Mapping[str, float]
    hr_upper: Mapping[str, float]
    z: Mapping[str, float]
    p_value: Mapping[str, float]
    variance: FloatArray = field(repr=False, compare=False)
    loglik: float
    loglik_null: float
    wald_test: ChiSquareTest
    score_test: ChiSquareTest
    lr_test: ChiSquareTest
    n: int
    n_events: int
    n_dropped: int
    iterations: int
    converged: bool
    ties: Ties
    conf_level: float
    stratified: bool
    means: Mapping[str, float]
    possibly_infinite: tuple[str, ...]
    data: CoxData = field(repr=False, compare=False)
    naive_se: Mapping[str, float]
    """Model-based SEs (R's ``se(coef)``); equal to ``se`` unless ``robust``."""
    naive_variance: FloatArray = field(repr=False, compare=False)
    robust: bool
    robust_score_test: ChiSquareTest | None
    """R's robust score test (``rscore``), when ``robust``."""
    n_clusters: int | None
    counting: bool
    """(start, stop] data."""


def cox_ph(
    time: Any,
    event: Any,
    covariates: Mapping[str, Any],
    *,
    strata: Any = None,
    start: Any = None,
    cluster: Any = None,
    robust: bool | None = None,
    ties: Ties = "efron",
    conf_level: float = 0.95,
    missing: MissingAction = "error",
    max_iter: int = ITER_MAX,
    eps: float = EPS,
) -> CoxResult:
    """Fit a Cox model of ``time``/``event`` (1 = event) on ``covariates`` (name -> values).

    ``strata``: one label per row (text or numbers); each stratum has its own baseline
    hazard. ``ties``: "efron" (default, as R) or "breslow". ``start``: entry times, making
    each row the interval (start, time] (R's ``Surv(start, stop, event)``). ``cluster``:
    one label per row (e.g. the patient of each interval); the variance is then the
    robust one of R's ``cluster()``. ``robust``: default True with a cluster; True without
    one treats each row as its own cluster (right-censored data only, as R).

    Raises ``InputError`` (naming the field or covariate) for malformed input, a
    covariate without variance, or covariates that are collinear (singular information).
    Warns ``ConvergenceWarning`` when the iteration limit is reached (``converged`` is
    then False) or when a coefficient may be infinite (``possibly_infinite``), as R does.
    """
    if ties not in ("efron", "breslow"):
        raise InputError("ties", f"must be 'efron' or 'breslow', got {ties!r}")
    if not 0.0 < conf_level < 1.0:
        raise InputError("conf_level", f"must be between 0 and 1, got {conf_level}")
    if max_iter < 0:
        raise InputError("max_iter", "must not be negative")
    if robust is None:
        robust = cluster is not None
    if cluster is not None and not robust:
        raise InputError("robust", "a cluster is given, so the variance must be robust")
    if robust and cluster is None and start is not None:
        raise InputError(
            "cluster",
            "the robust variance of (start, stop] data needs the cluster (subject) of each row",
        )
    data = prepare(time, event, covariates, strata, start=start, cluster=cluster, missing=missing)
    return fit_prepared(
        data,
        ties=ties,
        conf_level=conf_level,
        max_iter=max_iter,
        eps=eps,
        stratified=strata is not None,
        robust=robust,
    )


def fit_prepared(
    data: CoxData,
    *,
    ties: Ties = "efron",
    conf_level: float = 0.95,
    max_iter: int = ITER_MAX,
    eps: float = EPS,
    stratified: bool = False,
    robust: bool = False,
) -> CoxResult:
    """Fit on already prepared data (see ``cox_data.prepare``)."""
    means, scales, xs = cox_layout.centre_and_scale(data.x)
    p = len(data.names)
    counting = data.entry is not None
    beta_s, u_s, vinv_s, ll0, ll1, sctest, iters, rank, converged = cox_kernel.newton_raphson(
        xs,
        data.status,
        data.time,
        data.stratum,
        data.group_start,
        data.last_of_stratum,
        data.entry if data.entry is not None else np.zeros(0),
        data.entry_order,
        np.zeros(p),
        ties == "efron",
        max_iter,
        eps,
        TOLER_CHOL,
        counting,
    )
    singular = [data.names[j] for j in range(p) if vinv_s[j, j] == 0.0] or list(data.names)
    if rank < p and iters == 0:
        where = " within strata" if stratified else ""
        raise InputError(
            f"covariates.{singular[0]}",
            f"the design is singular: {', '.join(singular)} is constant{where} or a linear "
            "combination of the other covariates",
        )
    if rank < p:
        raise InputError(
            f"covariates.{singular[0]}",
            f"the information matrix became singular while fitting: the coefficient of "
            f"{', '.join(singular)} may be infinite (the covariate separates events)",
        )
    coef = beta_s * scales
    score = u_s / scales
    var = vinv_s * np.outer(scales, scales)
    possibly_infinite = _check_convergence(data, coef, means, score, var, converged, max_iter, eps)
    naive_var = var
    robust_score = None
    if robust:
        var, rscore = cox_robust.robust_variance(
            data, xs, scales, beta_s, naive_var, ties == "efron", TOLER_CHOL
        )
        zero = [name for name, v in zip(data.names, np.diag(var), strict=True) if not v > 0]
        if zero:
            raise InputError(
                "cluster" if data.cluster is not None else "robust",
                f"the robust variance of {', '.join(zero)} is zero: the score residuals "
                "cancel within every cluster (e.g. everyone at risk has the event at one "
                "time), so robust standard errors are not defined; use the model-based ones",
            )
        robust_score = _chisq(rscore, p)
        wald = cox_robust.quadratic_test(var, coef, TOLER_CHOL)
    else:
        wald = float(coef @ np.linalg.solve(var, coef))
    se = np.sqrt(np.diag(var))
    z = coef / se
    zq = float(special.ndtri(0.5 + conf_level / 2.0))
    with np.errstate(over="ignore"):  # an HR or limit may be +inf, as in R
        hr, lower, upper = np.exp(coef), np.exp(coef - zq * se), np.exp(coef + zq * se)
    var.setflags(write=False)
    naive_var.setflags(write=False)

    def by_name(values: FloatArray) -> dict[str, float]:
        return {name: float(v) for name, v in zip(data.names, values, strict=True)}

    return CoxResult(
        names=data.names,
        coef=by_name(coef),
        se=by_name(se),
        hazard_ratio=by_name(hr),
        hr_lower=by_name(lower),
        hr_upper=by_name(upper),
        z=by_name(z),
        p_value=by_name(2.0 * special.ndtr(-np.abs(z))),
        variance=var,
        loglik=float(ll1),
        loglik_null=float(ll0),
        wald_test=_chisq(wald, p),
        score_test=_chisq(sctest, p),
        lr_test=_chisq(2.0 * (ll1 - ll0), p),
        n=data.n,
        n_events=data.n_events,
        n_dropped=data.n_dropped,
        iterations=int(iters),
        converged=bool(converged),
        ties=ties,
        conf_level=conf_level,
        stratified=stratified,
        means=by_name(means),
        possibly_infinite=possibly_infinite,
        data=data,
        naive_se=by_name(np.sqrt(np.diag(naive_var))),
        naive_variance=naive_var,
        robust=robust,
        robust_score_test=robust_score,
        n_clusters=(data.n_clusters if data.cluster is not None else data.n) if robust else None,
        counting=counting,
    )


def _check_convergence(
    data: CoxData,
    coef: FloatArray,
    means: FloatArray,
    score: FloatArray,
    var: FloatArray,
    converged: bool,
    max_iter: int,
    eps: float,
) -> tuple[str, ...]:
    """Warn as R's ``coxph.fit`` does; return the covariates whose estimate may be infinite.

    ``max_iter = 0`` only evaluates the model at beta = 0 and is not a failure. Unlike R,
    a single allowed iteration that does not converge also warns. For (start, stop] data
    the rules of R's ``agreg.fit``: no "may be infinite" check after running out of
    iterations, and a coefficient is flagged when ``|U V| > toler.inf * (1 + |beta|)``.
    """
    if max_iter == 0:
        return ()
    counting = data.entry is not None
    infs = np.abs(score @ var)
    if not converged:
        lp = data.x @ coef
        flagged: tuple[str, ...] = ()
        message = f"did not converge in {max_iter} iterations; the last estimate is returned"
        if not counting and (lp.max() - float(coef @ means) > 500 or not np.isfinite(infs).all()):
            flagged = data.names
            message += "; one or more coefficients may be infinite"
        warnings.warn(f"Cox model {message}", ConvergenceWarning, stacklevel=4)
        return flagged
    if max_iter == 1:
        return ()
    if counting:
        bad = ~np.isfinite(score) | (infs > TOLER_INF * (1.0 + np.abs(coef)))
    else:
        bad = ~np.isfinite(score) | ((infs > eps) & (infs > TOLER_INF * np.abs(coef)))
    flagged = tuple(name for name, b in zip(data.names, bad, strict=True) if b)
    if flagged:
        warnings.warn(
            "Cox model: log-likelihood converged before "
            f"{', '.join(flagged)}; coefficient may be infinite",
            ConvergenceWarning,
            stacklevel=4,
        )
    return flagged
