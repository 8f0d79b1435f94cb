"""``oligotrial design explore``: a grid of designs simulated, written as CSV, JSON and HTML.

The grid comes from a YAML file (``--grid``) or from options with comma lists (one value
or several per axis; ``--information`` repeats, one look plan each). Everything is
validated before anything is simulated or written (exit 2 naming the value). Results go
to ``--out``: ``explore.csv`` (one row per cell), ``explore.json`` (the same, nested, with
the seed, the settings and every cell's random stream) and ``explore.html`` (power curves
and expected duration over the hazard ratio, the numbers beside them).
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Annotated, Any

import typer

from oligotrial.cli._common import _clean, guarded, stdout
from oligotrial.cli.design_options import floats, ints
from oligotrial.errors import InputError

_LIST = "one value or a comma list"


def _opt(help_text: str) -> Any:
    return typer.Option(help=help_text)


@guarded
def explore_cmd(
    out: Annotated[Path, typer.Option(help="Folder for explore.csv, explore.json, explore.html.")],
    grid: Annotated[
        Path | None, typer.Option(help="YAML file with the grid (instead of the options below).")
    ] = None,
    hazard_ratio: Annotated[str | None, _opt(f"Hazard ratios ({_LIST}).")] = None,
    control_median: Annotated[str | None, _opt(f"Control medians, months ({_LIST}).")] = None,
    accrual_duration: Annotated[str | None, _opt(f"Accrual durations, months ({_LIST}).")] = None,
    accrual_rate: Annotated[
        str | None, _opt(f"Accrual rates, subjects a month ({_LIST}); instead of durations.")
    ] = None,
    dropout: Annotated[
        str | None, _opt(f"Cumulative dropout at --dropout-time months ({_LIST}).")
    ] = None,
    information: Annotated[
        list[str] | None,
        _opt("Look plan as information fractions, e.g. 0.5,1 (repeat for several plans)."),
    ] = None,
    spending: Annotated[
        str | None,
        _opt("obrien-fleming, pocock, hwang-shih-decani[:gamma] (comma list)."),
    ] = None,
    futility: Annotated[
        str | None, _opt("none or a beta-spending function for futility bounds (comma list).")
    ] = None,
    subjects: Annotated[str | None, _opt(f"Subjects ({_LIST}).")] = None,
    events: Annotated[str | None, _opt(f"Maximum events ({_LIST}).")] = None,
    alpha: Annotated[float | None, _opt("Total type I error (default 0.025).")] = None,
    sides: Annotated[int | None, _opt("1 or 2 (default 1).")] = None,
    power: Annotated[float | None, _opt("Design power for futility spending (0.9).")] = None,
    dropout_time: Annotated[float | None, _opt("Months at which --dropout applies (12).")] = None,
    entry: Annotated[str | None, _opt("random | even (default random).")] = None,
    allocation: Annotated[str | None, _opt("blocks | complete | alternating (blocks).")] = None,
    trials: Annotated[int, typer.Option(help="Simulated trials per cell.")] = 10_000,
    seed: Annotated[int | None, typer.Option(help="Seed (recorded; random if omitted).")] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address, or 'local' for a local Dask cluster."),
    ] = None,
    workers: Annotated[int | None, typer.Option(help="Threads or local Dask workers.")] = None,
) -> None:
    """Simulate a grid of designs: power, expected events and duration, stopping per look."""
    import numpy as np
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from oligotrial.design.explore import explore

    given = {
        "hazard_ratio": hazard_ratio,
        "control_median": control_median,
        "accrual_duration": accrual_duration,
        "accrual_rate": accrual_rate,
        "dropout": dropout,
        "information": information,
        "spending": spending,
        "futility": futility,
        "subjects": subjects,
        "events": events,
        "alpha": alpha,
        "sides": sides,
        "power": power,
        "dropout_time": dropout_time,
        "entry": entry,
        "allocation": allocation,
    }
    spec = _spec(grid, {k: v for k, v in given.items() if v is not None})
    if out.exists() and not out.is_dir():
        raise InputError("--out", f"{out} exists and is not a folder")
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        console=stdout,
    ) as bar:
        task = bar.add_task(f"simulating {trials} trials per cell", total=None)
        try:
            ex = explore(
                spec,
                trials,
                seed,
                scheduler=scheduler,
                workers=workers,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        except InputError as exc:
            if exc.field in ("trials", "seed", "scheduler", "workers", "engine"):
                raise InputError(f"--{exc.field}", exc.problem) from None
            raise
    paths = write_outputs(ex, out)
    stdout.print(
        f"{len(ex.cells)} cells x {trials} trials (seed {seed}): "
        + ", ".join(str(p) for p in paths),
        highlight=False,
    )


def _spec(grid: Path | None, given: dict[str, Any]) -> Any:
    from oligotrial.design.grid_spec import grid_from_mapping

    if grid is not None:
        if given:
            names = ", ".join("--" + k.replace("_", "-") for k in given)
            raise InputError(
                "--grid", f"give the grid in the file or by options, not both ({names})"
            )
        from oligotrial.protocol._yaml_lines import load_yaml_with_lines

        try:
            text = grid.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError("--grid", f"cannot read {grid}: {exc}") from None
        parsed, lines = load_yaml_with_lines(text, str(grid))
        return grid_from_mapping(parsed, grid.name, lines)
    data: dict[str, Any] = {}
    for key, text in given.items():
        option = "--" + key.replace("_", "-")
        if key == "information":
            data[key] = [floats(t, option) for t in text]
        elif key in ("subjects", "events"):
            data[key] = _one_or_list(ints(text, option))
        elif key in ("spending", "futility"):
            data[key] = _one_or_list([v.strip() for v in text.split(",") if v.strip()])
        elif isinstance(text, str) and key not in ("entry", "allocation"):
            data[key] = _one_or_list(floats(text, option))
        else:
            data[key] = text
    return grid_from_mapping(data, "command line", option_style=True)


def _one_or_list(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def write_outputs(ex: Any, out: Path) -> list[Path]:
    """explore.csv, explore.json and explore.html in ``out`` (created if missing)."""
    from oligotrial import __version__
    from oligotrial.design.explore import cell_record, flat_record
    from oligotrial.reports.explore_page import render_explore_html

    spec = ex.spec
    rows = [flat_record(c, spec, ex.max_looks) for c in ex.cells]
    html = render_explore_html(ex)
    payload = {
        "oligotrial_version": __version__,
        "seed": ex.seed,
        "trials": ex.trials,
        "random_numbers": "cell chunk c draws from SeedSequence(seed, spawn_key=(stream, c))",
        "settings": {
            "alpha": spec.alpha,
            "sides": spec.sides,
            "power": spec.power,
            "dropout_time": spec.dropout_time,
            "entry": spec.entry,
            "allocation": spec.allocation,
        },
        "axes": {a: [_label(v) for v in vs] for a, vs in spec.axes.items()},
        "varying": list(spec.varying),
        "cells": [cell_record(c, spec) for c in ex.cells],
    }
    out.mkdir(parents=True, exist_ok=True)
    csv_path, json_path, html_path = (out / f"explore.{x}" for x in ("csv", "json", "html"))
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_value(v) for k, v in row.items()})
    json_path.write_text(
        json.dumps(_clean(payload), indent=1, allow_nan=False) + "\n", encoding="utf-8"
    )
    html_path.write_text(html, encoding="utf-8")
    return [csv_path, json_path, html_path]


def _label(v: Any) -> Any:
    if v is None:
        return "none"
    return getattr(v, "label", v)


def _csv_value(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return repr(v) if isinstance(v, float) else v
