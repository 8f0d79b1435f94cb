"""``oligotrial simulate``: the trial simulated many times, one design or a grid of them."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from oligotrial.cli._common import guarded, print_json, stdout
from oligotrial.cli.design_options import (
    ALPHA,
    JSON,
    SIDES,
    SPENDING,
    accrual_of,
    floats,
    fmt,
    ints,
    option_names,
    print_table,
)
from oligotrial.errors import InputError


@guarded
@option_names
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

    pieces = floats(control_hazards, "control_hazards") if control_hazards else None
    base: dict[str, Any] = dict(
        subjects=subjects,
        events=ints(events, "events"),
        hazard_ratio=hazard_ratio,
        accrual=accrual_of(accrual, accrual_intensity),
        control_median=None if pieces else control_median,
        control_hazard=pieces,
        piecewise_times=(floats(piecewise_times, "piecewise_times") if piecewise_times else None),
        weibull_shape=weibull_shape,
        dropout_rate=dropout_per_year,
        alpha=alpha,
        sides=sides,
        power=power,
        spending=spending,
        entry=entry,
        allocation=allocation,
        block_sizes=ints(block_sizes, "block_sizes"),
        strata=floats(strata, "strata"),
        futility=floats(futility, "futility") if futility else None,
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
    print_table(
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
        grid[key] = [kind(v) for v in floats(values, "grid")]
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
        out.add_row(*(fmt(row[c]) if not isinstance(row[c], int) else str(row[c]) for c in shown))
    stdout.print(out)
