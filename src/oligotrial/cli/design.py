"""``oligotrial design ...``: sample size, boundaries, check, conditional power; thin
wrappers over ``oligotrial.design``. ``oligotrial simulate`` is in ``cli/simulate.py``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from oligotrial.cli._common import guarded, print_json, stdout
from oligotrial.cli.design_explore import explore_cmd
from oligotrial.cli.design_options import (
    ALPHA,
    JSON,
    POWER,
    SIDES,
    SPENDING,
    accrual_of,
    floats,
    ints,
    option_names,
    print_table,
)
from oligotrial.cli.simulate import simulate_cmd

design_app = typer.Typer(
    help="Sample size, group-sequential bounds, design check, monitoring, design exploration.",
    no_args_is_help=True,
)
design_app.command("explore")(explore_cmd)


@design_app.command("sample-size")
@guarded
@option_names
def sample_size_cmd(
    control_median: Annotated[float, typer.Option(help="Control-arm median (months).")],
    hazard_ratio: Annotated[float, typer.Option(help="Hazard ratio to detect.")],
    accrual: Annotated[
        str, typer.Option(help="Accrual duration in months, or ends of accrual periods (6,24).")
    ],
    follow_up: Annotated[
        float | None, typer.Option(help="Minimum follow-up after accrual (months).")
    ] = None,
    subjects: Annotated[
        float | None,
        typer.Option(
            help="Number of subjects instead of the follow-up (the follow-up is solved for)."
        ),
    ] = None,
    power: POWER = 0.9,
    alpha: ALPHA = 0.05,
    sides: SIDES = 2,
    dropout_per_year: Annotated[float, typer.Option(help="Cumulative dropout at 12 months.")] = 0.0,
    method: Annotated[str, typer.Option(help="schoenfeld | freedman.")] = "schoenfeld",
    accrual_intensity: Annotated[
        str | None, typer.Option(help="Relative accrual rate in each accrual period (1,3).")
    ] = None,
    allocation_ratio: Annotated[float, typer.Option(help="Experimental : control.")] = 1.0,
    information: Annotated[str, typer.Option(help="Look fractions, e.g. 0.5,1.")] = "1",
    spending: SPENDING = "obrien-fleming",
    as_json: JSON = False,
) -> None:
    """Events and subjects for a two-arm survival comparison (rpact's conventions)."""
    from oligotrial.design.boundaries import group_sequential_design
    from oligotrial.design.sample_size import sample_size_survival

    design = group_sequential_design(
        spending, floats(information, "information"), alpha, sides, power
    )
    s = sample_size_survival(
        hazard_ratio=hazard_ratio,
        control_median=control_median,
        allocation_ratio=allocation_ratio,
        accrual=accrual_of(accrual, accrual_intensity),
        follow_up=follow_up,
        subjects=subjects,
        dropout_rate=dropout_per_year,
        method=method,
        design=design,
    )
    payload = {
        "events": s.events,
        "subjects": s.subjects,
        "events_rounded": s.events_rounded,
        "subjects_rounded": s.subjects_rounded,
        "events_fixed": s.events_fixed,
        "events_per_look": s.events_per_look,
        "subjects_per_look": s.subjects_per_look,
        "analysis_times": s.analysis_times,
        "event_probability": s.event_probability,
        "inflation_factor": design.inflation_factor,
        "z": design.z,
        "information": design.information,
        "expected_events_h1": s.expected_events_h1,
        "expected_subjects_h1": s.expected_subjects_h1,
        "expected_duration_h1": s.expected_duration_h1,
        "method": s.method,
        "allocation_ratio": s.allocation_ratio,
        "accrual_months": s.accrual_months,
        "follow_up_months": s.follow_up_months,
    }
    if as_json:
        print_json(payload)
        return
    print_table("Survival sample size", list(payload.items()))


@design_app.command("boundaries")
@guarded
@option_names
def boundaries_cmd(
    information: Annotated[str, typer.Option(help="Look fractions, e.g. 0.5,1.")] = "0.5,1",
    spending: SPENDING = "obrien-fleming",
    alpha: ALPHA = 0.05,
    sides: SIDES = 2,
    power: POWER = 0.9,
    gamma: Annotated[float, typer.Option(help="Hwang-Shih-DeCani parameter.")] = -4.0,
    futility: Annotated[
        str | None,
        typer.Option(help="Non-binding futility z-bounds at the interim looks (one-sided)."),
    ] = None,
    futility_spending: Annotated[
        str | None,
        typer.Option(
            help="Non-binding futility bounds from this beta-spending function (one-sided)."
        ),
    ] = None,
    as_json: JSON = False,
) -> None:
    """Lan-DeMets efficacy bounds, cumulative alpha and inflation factor."""
    from oligotrial.design.boundaries import group_sequential_design

    d = group_sequential_design(
        spending,
        floats(information, "information"),
        alpha,
        sides,
        power,
        gamma=gamma,
        futility=floats(futility, "futility") if futility else None,
        futility_spending=futility_spending,
    )
    payload = {
        "z": d.z,
        "cumulative_alpha": d.cumulative_alpha,
        "inflation_factor": d.inflation_factor,
        "information": d.information,
        "nominal_p": d.nominal_p,
        "futility": d.futility,
        "reject_h1": d.reject_h1,
        "expected_information_h1": d.expected_information_h1,
        "expected_information_h0": d.expected_information_h0,
        "spending": d.spending,
        "alpha": d.alpha,
        "sides": d.sides,
        "power": d.power,
    }
    if as_json:
        print_json(payload)
        return
    table = Table(
        title=f"{d.spending} spending, alpha {d.alpha} ({d.sides}-sided), "
        f"inflation factor {d.inflation_factor:.4f}"
    )
    for col in (
        "look",
        "information",
        "z bound",
        "nominal p (1-sided)",
        "cumulative alpha",
        "P(reject here | H1)",
    ):
        table.add_column(col, justify="right")
    for k in range(d.looks):
        table.add_row(
            str(k + 1),
            f"{d.information[k]:.3f}",
            f"{d.z[k]:.4f}",
            f"{d.nominal_p[k]:.5f}",
            f"{d.cumulative_alpha[k]:.5f}",
            f"{d.reject_h1[k]:.4f}",
        )
    stdout.print(table)


@design_app.command("check")
@guarded
@option_names
def check_cmd(
    protocol: Annotated[str | None, typer.Option(help="Protocol file (default: shipped).")] = None,
    as_json: JSON = False,
) -> None:
    """Recompute the protocol's design; exit 1 when the planned numbers do not fit."""
    from oligotrial.design.check import check_design
    from oligotrial.protocol import load_protocol

    p = load_protocol(protocol) if protocol else load_protocol()
    c = check_design(p.design)
    r = c.required
    payload = {
        "consistent": c.consistent,
        "events_consistent": c.events_consistent,
        "subjects_consistent": c.subjects_consistent,
        "required_events": r.events,
        "required_events_rounded": r.events_rounded,
        "required_subjects": r.subjects,
        "required_subjects_rounded": r.subjects_rounded,
        "planned_events": c.planned_events,
        "planned_subjects": c.planned_subjects,
        "power_at_planned_events": c.power_at_planned_events,
        "follow_up_needed_with_planned_subjects": c.follow_up_needed_with_planned_subjects,
        "events_per_look": r.events_per_look,
        "analysis_times": r.analysis_times,
        "z": r.design.z,
        "messages": list(c.messages),
    }
    if as_json:
        print_json(payload)
    else:
        stdout.print(f"Design check for protocol {p.id} (version {p.version})")
        for m in c.messages:
            stdout.print(f"  - {m}", highlight=False)
        stdout.print("CONSISTENT" if c.consistent else "NOT CONSISTENT", highlight=False)
    if not c.consistent:
        raise typer.Exit(code=1)


@design_app.command("conditional-power")
@guarded
@option_names
def conditional_power_cmd(
    events: Annotated[str, typer.Option(help="Events at each look so far, e.g. 59.")],
    z: Annotated[float, typer.Option(help="Current log-rank z (negative favours experimental).")],
    planned_events: Annotated[str, typer.Option(help="Planned events at each look.")],
    hazard_ratio: Annotated[float, typer.Option(help="Design hazard ratio.")],
    alpha: ALPHA = 0.05,
    sides: SIDES = 2,
    spending: SPENDING = "obrien-fleming",
    final: Annotated[
        bool, typer.Option("--final", help="This look is the final analysis.")
    ] = False,
    as_json: JSON = False,
) -> None:
    """The bound to cross at this look and the conditional power."""
    from oligotrial.design.monitoring import interim_status

    s = interim_status(
        events=ints(events, "events"),
        z=z,
        planned_events=ints(planned_events, "planned_events"),
        hazard_ratio=hazard_ratio,
        alpha=alpha,
        sides=sides,
        spending=spending,
        final=final,
    )
    payload = {
        "look": s.look,
        "information": s.information,
        "z": s.z,
        "bound": s.bound,
        "crossed": s.crossed,
        "observed_hr": s.observed_hr,
        "conditional_power_trend": s.conditional_power_trend,
        "conditional_power_design": s.conditional_power_design,
        "remaining_bounds": s.remaining_bounds,
        "remaining_information": s.remaining_information,
    }
    if as_json:
        print_json(payload)
        return
    print_table(f"Interim look {s.look}", list(payload.items()))


def register(app: typer.Typer, schema_app: typer.Typer) -> None:
    """Add the ``design`` group and the top-level ``simulate`` command."""
    del schema_app
    app.add_typer(design_app, name="design")
    app.command("simulate")(simulate_cmd)
