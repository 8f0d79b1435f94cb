"""``oligotrial stats``: Kaplan-Meier, log-rank and RMST on a CSV file (JSON or a table).

``stats_app`` is the command group; further commands (``cox``) attach to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from oligotrial.cli._common import guarded, print_json, stdout

stats_app = typer.Typer(
    help="Survival statistics on CSV data, matching R's survival package.",
    no_args_is_help=True,
)

DataArg = Annotated[Path, typer.Argument(help="CSV file with a header row.", show_default=False)]
TimeOpt = Annotated[str, typer.Option("--time", help="Column of follow-up times (>= 0).")]
EventOpt = Annotated[str, typer.Option("--event", help="Column of event indicators.")]
CodingOpt = Annotated[
    str,
    typer.Option("--event-coding", help="Censored and event codes: 0,1 (default) or R's 1,2."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _num(value: float | None) -> str:
    return "NA" if value is None or value != value else f"{value:.6g}"


@stats_app.command("km")
@guarded
def km_command(
    data: DataArg,
    time: TimeOpt,
    event: EventOpt,
    group: Annotated[str | None, typer.Option("--group", help="Column of groups.")] = None,
    conf_type: Annotated[
        str, typer.Option("--conf-type", help="Interval scale: log, log-log or plain.")
    ] = "log",
    conf_level: Annotated[float, typer.Option("--conf-level", help="Confidence level.")] = 0.95,
    event_coding: CodingOpt = "0,1",
    as_json: JsonOpt = False,
) -> None:
    """Kaplan-Meier curve(s) with Greenwood standard errors, intervals and median."""
    from oligotrial.cli._csv import label, read_survival_csv
    from oligotrial.stats import kaplan_meier, kaplan_meier_by_group

    table = read_survival_csv(
        data, time=time, event=event, event_coding=event_coding, other={"--group": group}
    )
    options: dict[str, Any] = {"conf_type": conf_type, "conf_level": conf_level}
    if group is None:
        fits = {None: kaplan_meier(table.time, table.event, **options)}
    else:
        fits = kaplan_meier_by_group(table.time, table.event, table.columns["--group"], **options)
    groups = []
    for name, fit in fits.items():
        lower, upper = fit.median_ci
        groups.append(
            {
                "group": label(name),
                "time": fit.time,
                "n_risk": fit.n_risk.astype(int),
                "n_event": fit.n_event.astype(int),
                "survival": fit.survival,
                "std_err": fit.std_err,
                "lower": fit.lower,
                "upper": fit.upper,
                "median": fit.median,
                "median_lower": lower,
                "median_upper": upper,
            }
        )
    if as_json:
        print_json({"groups": groups})
        return
    from rich.table import Table

    for g in groups:
        title = "all subjects" if g["group"] is None else f"{group} = {g['group']}"
        out = Table(title=f"Kaplan-Meier, {title} ({conf_type} {conf_level:g} CI)")
        for heading in ("time", "n.risk", "n.event", "survival", "std.err", "lower", "upper"):
            out.add_column(heading, justify="right")
        for i in range(len(g["time"])):
            out.add_row(
                _num(g["time"][i]),
                str(g["n_risk"][i]),
                str(g["n_event"][i]),
                *(_num(g[key][i]) for key in ("survival", "std_err", "lower", "upper")),
            )
        stdout.print(out)
        stdout.print(
            f"median {_num(g['median'])} "
            f"({conf_level:g} CI {_num(g['median_lower'])} to {_num(g['median_upper'])})"
        )


@stats_app.command("logrank")
@guarded
def logrank_command(
    data: DataArg,
    time: TimeOpt,
    event: EventOpt,
    group: Annotated[str, typer.Option("--group", help="Column of groups to compare.")],
    strata: Annotated[str | None, typer.Option("--strata", help="Column of strata.")] = None,
    rho: Annotated[float, typer.Option("--rho", help="Weight S(t-)^rho (R's survdiff).")] = 0.0,
    gamma: Annotated[float, typer.Option("--gamma", help="Weight (1-S(t-))^gamma.")] = 0.0,
    event_coding: CodingOpt = "0,1",
    as_json: JsonOpt = False,
) -> None:
    """Log-rank test (k groups, optional strata, Fleming-Harrington weights)."""
    from oligotrial.cli._csv import label, read_survival_csv
    from oligotrial.stats import logrank_test

    table = read_survival_csv(
        data,
        time=time,
        event=event,
        event_coding=event_coding,
        other={"--group": group, "--strata": strata},
    )
    result = logrank_test(
        table.time,
        table.event,
        table.columns["--group"],
        strata=table.columns.get("--strata"),
        rho=rho,
        gamma=gamma,
    )
    names = [str(label(g)) for g in result.groups]
    payload = {
        "chisq": result.chisq,
        "df": result.df,
        "p_value": result.p_value,
        "observed": dict(zip(names, result.observed.tolist(), strict=True)),
        "expected": dict(zip(names, result.expected.tolist(), strict=True)),
    }
    if as_json:
        print_json(payload)
        return
    from rich.table import Table

    out = Table(title=f"Log-rank test by {group}" + (f", stratified by {strata}" if strata else ""))
    for heading in ("group", "N", "observed", "expected"):
        out.add_column(heading, justify="right")
    for i, name in enumerate(names):
        out.add_row(name, str(result.n[i]), _num(result.observed[i]), _num(result.expected[i]))
    stdout.print(out)
    stdout.print(f"chisq = {_num(result.chisq)} on {result.df} df, p = {_num(result.p_value)}")


@stats_app.command("rmst")
@guarded
def rmst_command(
    data: DataArg,
    time: TimeOpt,
    event: EventOpt,
    tau: Annotated[float, typer.Option("--tau", help="Truncation time of the mean.")],
    group: Annotated[str | None, typer.Option("--group", help="Column of groups.")] = None,
    conf_level: Annotated[float, typer.Option("--conf-level", help="Confidence level.")] = 0.95,
    event_coding: CodingOpt = "0,1",
    as_json: JsonOpt = False,
) -> None:
    """Restricted mean survival time up to --tau, per group and the difference."""
    from oligotrial.cli._csv import label, read_survival_csv
    from oligotrial.stats import rmst

    table = read_survival_csv(
        data, time=time, event=event, event_coding=event_coding, other={"--group": group}
    )
    result = rmst(
        table.time, table.event, tau, group=table.columns.get("--group"), conf_level=conf_level
    )
    diff = result.difference
    payload = {
        "groups": [{"group": label(g.group), "rmst": g.rmst, "se": g.se} for g in result.groups],
        "difference": None
        if diff is None
        else {
            "estimate": diff.estimate,
            "se": diff.se,
            "lower": diff.lower,
            "upper": diff.upper,
            "p_value": diff.p_value,
        },
    }
    if as_json:
        print_json(payload)
        return
    from rich.table import Table

    out = Table(title=f"Restricted mean survival time up to {tau:g}")
    for heading in ("group", "N", "RMST", "SE"):
        out.add_column(heading, justify="right")
    for g in result.groups:
        name = "all" if g.group is None else str(label(g.group))
        out.add_row(name, str(g.n), _num(g.rmst), _num(g.se))
    stdout.print(out)
    if diff is not None:
        second, first = (str(label(g.group)) for g in result.groups[::-1])
        stdout.print(
            f"difference {second} - {first}: {_num(diff.estimate)} (SE {_num(diff.se)}, "
            f"{conf_level:g} CI {_num(diff.lower)} to {_num(diff.upper)}, p = {_num(diff.p_value)})"
        )


def register(app: typer.Typer, schema_app: typer.Typer) -> None:
    """Attach the ``stats`` group to the root command."""
    del schema_app  # no input schemas of our own
    app.add_typer(stats_app, name="stats")
