"""``oligotrial stats cox``: a Cox model fitted to a CSV file (JSON or a readable table).

With ``--start`` each row is an interval (start, time] (R's ``Surv(start, stop, event)``);
with ``--cluster`` (or ``--robust``) the variance is R's robust one.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from oligotrial.cli._common import guarded, print_json, stderr, stdout
from oligotrial.errors import InputError


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def _payload(fit: Any, zph: Any) -> dict[str, Any]:
    tests = {
        name: {"statistic": t.statistic, "df": t.df, "p_value": t.p_value}
        for name, t in (
            ("wald_test", fit.wald_test),
            ("score_test", fit.score_test),
            ("lr_test", fit.lr_test),
        )
    }
    payload: dict[str, Any] = {
        "coef": dict(fit.coef),
        "se": dict(fit.se),
        "hazard_ratio": dict(fit.hazard_ratio),
        "hr_lower": dict(fit.hr_lower),
        "hr_upper": dict(fit.hr_upper),
        "loglik": fit.loglik,
        "loglik_null": fit.loglik_null,
        "n": fit.n,
        "n_events": fit.n_events,
        "z": dict(fit.z),
        "p_value": dict(fit.p_value),
        **tests,
        "conf_level": fit.conf_level,
        "ties": fit.ties,
        "n_dropped": fit.n_dropped,
        "iterations": fit.iterations,
        "converged": fit.converged,
        "counting": fit.counting,
        "robust": fit.robust,
        "naive_se": dict(fit.naive_se),
    }
    if fit.robust:
        rs = fit.robust_score_test
        payload["n_clusters"] = fit.n_clusters
        payload["robust_score_test"] = {
            "statistic": rs.statistic,
            "df": rs.df,
            "p_value": rs.p_value,
        }
    if zph is not None:
        payload["zph"] = {
            "transform": zph.transform,
            "terms": {
                t: {"chisq": zph.chisq[t], "df": zph.df[t], "p_value": zph.p_value[t]}
                for t in zph.terms
            },
            "global": {
                "chisq": zph.global_test.statistic,
                "df": zph.global_test.df,
                "p_value": zph.global_test.p_value,
            },
        }
    return payload


def _print_table(fit: Any, zph: Any) -> None:
    from rich.table import Table

    pct = f"{fit.conf_level * 100:g}%"
    notes = [f"{fit.ties} ties"]
    notes += ["stratified"] if fit.stratified else []
    notes += ["(start, stop] data"] if fit.counting else []
    notes += [f"robust SE, {fit.n_clusters} clusters"] if fit.robust else []
    table = Table(title=f"Cox model ({', '.join(notes)}): n = {fit.n}, events = {fit.n_events}")
    columns = ["covariate", "coef", "HR", f"{pct} CI", "se"]
    columns += ["robust se"] if fit.robust else []
    for col in (*columns, "z", "p"):
        table.add_column(col, justify="left" if col == "covariate" else "right")
    for name in fit.names:
        ses = [_fmt(fit.naive_se[name])] + ([_fmt(fit.se[name])] if fit.robust else [])
        table.add_row(
            name,
            _fmt(fit.coef[name]),
            _fmt(fit.hazard_ratio[name]),
            f"{_fmt(fit.hr_lower[name])} - {_fmt(fit.hr_upper[name])}",
            *ses,
            _fmt(fit.z[name]),
            _fmt(fit.p_value[name]),
        )
    stdout.print(table)
    stdout.print(f"log-likelihood {fit.loglik:.6g} (null {fit.loglik_null:.6g})")
    for label, t in (
        ("Likelihood ratio", fit.lr_test),
        ("Wald", fit.wald_test),
        ("Score (log-rank)", fit.score_test),
    ):
        stdout.print(f"{label} test = {t.statistic:.4g} on {t.df} df, p = {t.p_value:.4g}")
    if fit.robust:
        t = fit.robust_score_test
        stdout.print(f"Robust score test = {t.statistic:.4g} on {t.df} df, p = {t.p_value:.4g}")
        stdout.print(
            "(the likelihood ratio and score tests assume independent rows within a cluster; "
            "the Wald and robust score tests do not)"
        )
    if zph is not None:
        ph = Table(title=f"Proportional hazards test (cox.zph, transform {zph.transform})")
        for col in ("term", "chisq", "df", "p"):
            ph.add_column(col, justify="left" if col == "term" else "right")
        for t in zph.terms:
            ph.add_row(t, _fmt(zph.chisq[t]), str(zph.df[t]), _fmt(zph.p_value[t]))
        g = zph.global_test
        ph.add_row("GLOBAL", _fmt(g.statistic), str(g.df), _fmt(g.p_value))
        stdout.print(ph)


def add_cox_command(stats_app: typer.Typer) -> None:
    """Add the ``cox`` command to the ``stats`` command group."""

    @stats_app.command("cox")
    @guarded
    def cox(
        data: Annotated[Path, typer.Argument(help="CSV file, one row per subject.")],
        time: Annotated[
            str,
            typer.Option(
                "--time", "--stop", help="Column with the follow-up (with --start: stop) time."
            ),
        ],
        event: Annotated[str, typer.Option("--event", help="Column with the event indicator.")],
        covariates: Annotated[
            str, typer.Option("--covariates", help="Comma-separated numeric columns.")
        ],
        strata: Annotated[
            str | None, typer.Option("--strata", help="Column defining strata.")
        ] = None,
        ties: Annotated[str, typer.Option("--ties", help="efron (as R) or breslow.")] = "efron",
        conf_level: Annotated[
            float, typer.Option("--conf-level", help="Level of the HR intervals.")
        ] = 0.95,
        event_coding: Annotated[
            str, typer.Option("--event-coding", help="Codes 'censored,event', e.g. 1,2.")
        ] = "0,1",
        zph: Annotated[
            bool, typer.Option("--zph", help="Also test proportional hazards (cox.zph).")
        ] = False,
        start: Annotated[
            str | None,
            typer.Option(
                "--start", help="Column with entry times: rows are intervals (start, time]."
            ),
        ] = None,
        cluster: Annotated[
            str | None,
            typer.Option("--cluster", help="Column grouping rows (patient): robust variance."),
        ] = None,
        robust: Annotated[
            bool, typer.Option("--robust", help="Robust variance, each row its own cluster.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON, not a table.")] = False,
    ) -> None:
        """Fit a Cox proportional hazards model (numbers as R's coxph)."""
        from oligotrial.cli._csv import numeric_column, read_survival_csv
        from oligotrial.errors import ConvergenceWarning
        from oligotrial.stats.cox import cox_ph
        from oligotrial.stats.cox_zph import cox_zph

        names = [c.strip() for c in covariates.split(",") if c.strip()]
        if not names:
            raise InputError("--covariates", "name at least one column")
        if len(set(names)) != len(names):
            raise InputError("--covariates", "a column is named twice")
        if ties not in ("efron", "breslow"):
            raise InputError("--ties", f"must be efron or breslow, got {ties!r}")
        if robust and start and not cluster:
            raise InputError("--robust", "with --start, name the patient column with --cluster")
        table = read_survival_csv(
            data,
            time=time,
            event=event,
            event_coding=event_coding,
            other={
                "--covariates": names,
                "--strata": strata,
                "--start": start,
                "--cluster": cluster,
            },
        )
        values = {
            n: numeric_column("--covariates", n, table.columns[f"--covariates:{n}"]) for n in names
        }
        entry = _start_column(start, table.columns["--start"], table.time, time) if start else None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            fit = cox_ph(
                table.time,
                table.event,
                values,
                strata=table.columns["--strata"] if strata else None,
                start=entry,
                cluster=table.columns["--cluster"] if cluster else None,
                robust=True if (robust or cluster) else None,
                ties="breslow" if ties == "breslow" else "efron",
                conf_level=conf_level,
            )
            ph = cox_zph(fit) if zph else None
        for w in caught:
            stderr.print(f"[bold yellow]warning:[/] {w.message}", highlight=False)
        if as_json:
            print_json(_payload(fit, ph))
        else:
            _print_table(fit, ph)


def _start_column(column: str, values: Any, stop: Any, stop_column: str) -> Any:
    """Entry times: numbers >= 0 before the stop time, else an error naming the row."""
    import numpy as np

    from oligotrial.cli._csv import numeric_column

    entry = numeric_column("--start", column, values)
    bad = (entry < 0) | (entry >= stop)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        problem = (
            "is negative"
            if entry[row] < 0
            else f"is not before the stop time {stop[row]:g} (column {stop_column!r})"
        )
        raise InputError("--start", f"column {column!r} row {row + 1}: {entry[row]:g} {problem}")
    return entry
