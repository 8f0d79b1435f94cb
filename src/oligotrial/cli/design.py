"""``oligotrial design ...`` (sample size, boundaries, check, conditional power) and
``oligotrial simulate``: thin wrappers over ``oligotrial.design``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.table import Table

from oligotrial.cli._common import guarded, print_json, stdout
from oligotrial.errors import InputError

design_app = typer.Typer(
    help="Sample size, group-sequential bounds, design check, monitoring.", no_args_is_help=True
)

JSON = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
ALPHA = Annotated[float, typer.Option("--alpha", help="Total type I error.")]
SIDES = Annotated[int, typer.Option("--sides", help="1 or 2.")]
POWER = Annotated[float, typer.Option("--power", help="Target power.")]
SPENDING = Annotated[
    str, typer.Option("--spending", help="obrien-fleming | pocock | hwang-shih-decani.")
]


P = ParamSpec("P")
R = TypeVar("R")
_OPTION = {"dropout_rate": "dropout-per-year"}


def _option_names(func: Callable[P, R]) -> Callable[P, R]:
    """Report errors with the command-line option name (``--hazard-ratio``)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            if not exc.field or "." in exc.field:
                raise
            name = _OPTION.get(exc.field, exc.field.replace("_", "-"))
            raise InputError(f"--{name}", exc.problem) from None

    return wrapper


def _floats(text: str, name: str) -> list[float]:
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise InputError(name, f"must be comma-separated numbers, got {text!r}") from None
    if not values:
        raise InputError(name, "needs at least one value")
    return values


def _ints(text: str, name: str) -> list[int]:
    values = _floats(text, name)
    if any(v != int(v) for v in values):
        raise InputError(name, f"must be whole numbers, got {text!r}")
    return [int(v) for v in values]


def _accrual(text: str, intensity: str | None) -> Any:
    from oligotrial.design.survival_model import Accrual

    ends = _floats(text, "accrual")
    if intensity is None:
        if len(ends) != 1:
            raise InputError("accrual-intensity", "give one intensity per accrual period")
        return Accrual.uniform(ends[0])
    return Accrual.piecewise(ends, _floats(intensity, "accrual_intensity"))


def _table(title: str, rows: list[tuple[str, Any]]) -> None:
    table = Table(title=title, show_header=False)
    table.add_column("quantity")
    table.add_column("value", justify="right")
    for name, value in rows:
        table.add_row(name, _fmt(value))
    stdout.print(table)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, tuple | list):
        return ", ".join(_fmt(v) for v in value)
    return str(value)


@design_app.command("sample-size")
@guarded
@_option_names
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
        spending, _floats(information, "information"), alpha, sides, power
    )
    s = sample_size_survival(
        hazard_ratio=hazard_ratio,
        control_median=control_median,
        allocation_ratio=allocation_ratio,
        accrual=_accrual(accrual, accrual_intensity),
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
    _table("Survival sample size", list(payload.items()))


@design_app.command("boundaries")
@guarded
@_option_names
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
        _floats(information, "information"),
        alpha,
        sides,
        power,
        gamma=gamma,
        futility=_floats(futility, "futility") if futility else None,
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
@_option_names
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
@_option_names
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
        events=_ints(events, "events"),
        z=z,
        planned_events=_ints(planned_events, "planned_events"),
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
    _table(f"Interim look {s.look}", list(payload.items()))


@guarded
@_option_names
def simulate_cmd(
    hazard_ratio: Annotated[float, typer.Option(help="True hazard ratio.")],
    accrual: Annotated[
        str, typer.Option(help="Accrual duration in months, or ends of accrual periods (6,24).")
    ],
    subjects: Annotated[int, typer.Option(help="Subjects enrolled.")],
    events: Annotated[str, typer.Option(help="Events at each look, e.g. 59,118.")],
    control_median: Annotated[
        float | None, typer.Option(help="Control-arm median (months).")
    ] = None,
    alpha: ALPHA = 0.05,
    sides: SIDES = 2,
    power: Annotated[float, typer.Option(help="Design power (inflation factor only).")] = 0.9,
    iterations: Annotated[int, typer.Option(help="Simulated trials.")] = 10_000,
    seed: Annotated[int | None, typer.Option(help="Seed (recorded; random if omitted).")] = None,
    spending: SPENDING = "obrien-fleming",
    dropout_per_year: Annotated[float, typer.Option(help="Cumulative dropout at 12 months.")] = 0.0,
    weibull_shape: Annotated[
        float | None,
        typer.Option(help="Weibull event times with this shape (default exponential)."),
    ] = None,
    control_hazards: Annotated[
        str | None,
        typer.Option(
            help="Piecewise-exponential control hazards per month (instead of the median's)."
        ),
    ] = None,
    piecewise_times: Annotated[
        str | None, typer.Option(help="Start of each hazard piece in months, beginning with 0.")
    ] = None,
    accrual_intensity: Annotated[
        str | None, typer.Option(help="Relative accrual rate in each accrual period (1,3).")
    ] = None,
    entry: Annotated[str, typer.Option(help="random | even.")] = "random",
    allocation: Annotated[str, typer.Option(help="blocks | complete | alternating.")] = "blocks",
    block_sizes: Annotated[str, typer.Option(help="Permuted-block sizes.")] = "2,4",
    strata: Annotated[str, typer.Option(help="Stratum probabilities, e.g. 0.6,0.4.")] = "1",
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
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Dask: 'local', a scheduler address, or 'auto' (threads here; a local "
            "Dask cluster for runs of 200 million simulated patients or more)."
        ),
    ] = "auto",
    workers: Annotated[int | None, typer.Option(help="Threads or local Dask workers.")] = None,
    chunk_size: Annotated[int | None, typer.Option(help="Trials per chunk.")] = None,
    grid: Annotated[
        list[str] | None,
        typer.Option(
            help="Vary a setting over values, e.g. hazard-ratio=0.5,0.55 (repeatable; "
            f"{', '.join(_GRID)}); prints one row per scenario."
        ),
    ] = None,
    as_json: JSON = False,
) -> None:
    """Simulate whole event-driven trials: power, stopping, expected events and duration."""
    import numpy as np
    from rich.progress import Progress

    from oligotrial.design.scale_out import simulate
    from oligotrial.design.trial_scenario import build_scenario

    pieces = _floats(control_hazards, "control_hazards") if control_hazards else None
    base: dict[str, Any] = dict(
        subjects=subjects,
        events=_ints(events, "events"),
        hazard_ratio=hazard_ratio,
        accrual=_accrual(accrual, accrual_intensity),
        control_median=None if pieces else control_median,
        control_hazard=pieces,
        piecewise_times=(_floats(piecewise_times, "piecewise_times") if piecewise_times else None),
        weibull_shape=weibull_shape,
        dropout_rate=dropout_per_year,
        alpha=alpha,
        sides=sides,
        power=power,
        spending=spending,
        entry=entry,
        allocation=allocation,
        block_sizes=_ints(block_sizes, "block_sizes"),
        strata=_floats(strata, "strata"),
        futility=_floats(futility, "futility") if futility else None,
        futility_spending=futility_spending,
    )
    sc = build_scenario(**base)
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    if grid:
        _run_grid(base, grid, iterations, seed, scheduler, workers, chunk_size, as_json)
        return
    if as_json:
        res = simulate(
            sc, iterations, seed, scheduler=scheduler, workers=workers, chunk_size=chunk_size
        )
        print_json(res.as_dict())
        return
    with Progress(transient=True) as bar:
        task = bar.add_task("simulating", total=None)
        res = simulate(
            sc,
            iterations,
            seed,
            scheduler=scheduler,
            workers=workers,
            chunk_size=chunk_size,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    _table(
        f"Simulation of {res.iterations} trials (seed {res.seed})",
        [(k, v) for k, v in res.as_dict().items() if k not in ("iterations", "seed")],
    )


_GRID = {
    "hazard-ratio": ("hazard_ratio", float),
    "control-median": ("control_median", float),
    "accrual": ("accrual", float),
    "subjects": ("subjects", int),
    "dropout-per-year": ("dropout_rate", float),
    "weibull-shape": ("weibull_shape", float),
}


def _run_grid(
    base: dict[str, Any],
    specs: list[str],
    iterations: int,
    seed: int,
    scheduler: str | None,
    workers: int | None,
    chunk_size: int | None,
    as_json: bool,
) -> None:
    from oligotrial.design.scale_out import simulate_grid

    grid: dict[str, list[Any]] = {}
    for spec in specs:
        name, _, values = spec.partition("=")
        if name not in _GRID or not values:
            raise InputError(
                "grid", f"expected NAME=v1,v2 with NAME one of {', '.join(_GRID)}; got {spec!r}"
            )
        key, kind = _GRID[name]
        if key == "control_median" and base["control_hazard"] is not None:
            raise InputError("grid", "control-median cannot vary with --control-hazards")
        grid[key] = [kind(v) for v in _floats(values, "grid")]
    table = simulate_grid(
        base, grid, iterations, seed, scheduler=scheduler, workers=workers, chunk_size=chunk_size
    )
    if as_json:
        print_json(table.to_dict(orient="records"))
        return
    shown = [*grid, "power", "mc_se", "stop_per_look_1", "expected_events", "expected_duration"]
    names = {key: cli for cli, (key, _) in _GRID.items()}
    heads = {
        "mc_se": "MC SE",
        "stop_per_look_1": "stop at 1",
        "expected_events": "E events",
        "expected_duration": "E months",
    }
    out = Table(title=f"{len(table)} scenarios x {iterations} trials (seed {seed})")
    for col in shown:
        out.add_column(names.get(col, heads.get(col, col)), justify="right")
    for _, row in table.iterrows():
        out.add_row(*(_fmt(row[c]) if not isinstance(row[c], int) else str(row[c]) for c in shown))
    stdout.print(out)


def register(app: typer.Typer, schema_app: typer.Typer) -> None:
    """Add the ``design`` group and the top-level ``simulate`` command."""
    del schema_app
    app.add_typer(design_app, name="design")
    app.command("simulate")(simulate_cmd)
