"""``oligotrial demo`` (a whole synthetic trial, end to end) and ``oligotrial report``
(the analysis report from any trial database)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from oligotrial.cli._common import guarded, stdout
from oligotrial.errors import InputError

FORMATS = {"html": ("html",), "pdf": ("pdf",), "both": ("html", "pdf")}


def _relative(path: str | Path) -> str:
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(p)


def _open_hint(path: Path) -> str:
    return f"{path.resolve().as_uri()}   (or: python -m webbrowser {_relative(path)})"


@guarded
def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder of the demo.")] = Path(
        "oligotrial-demo"
    ),
    seed: Annotated[int, typer.Option(help="Seed of the synthetic trial.")] = 7,
    scenario: Annotated[
        str,
        typer.Option(
            help="Outcomes: benefit (published curves), null (no difference) or design "
            "(the protocol's design hazard ratio)."
        ),
    ] = "benefit",
    patients: Annotated[
        int | None,
        typer.Option(
            "--patients", help="Patients to randomize (default: the protocol's planned patients)."
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace a demo already in the folder.")] = False,
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            help="Fill this new, empty database (e.g. postgresql://user:pw@host/"
            "name) instead of a new SQLite file in the folder.",
        ),
    ] = None,
) -> None:
    """Run a whole synthetic trial through the product: screening, randomization,
    follow-up, analysis data sets and the report, in a fresh SQLite database."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from oligotrial.demo import DemoOptions, existing_demo, run_demo

    found = existing_demo(out)
    if found is not None and not force:
        stdout.print(
            f"A demo is already in {_relative(out)} (seed {found.get('seed')}, "
            f"scenario {found.get('scenario')}); nothing changed. "
            "Use --force to start over.",
            highlight=False,
        )
        report = out / "report.html"
        if report.exists():
            stdout.print(f"Report: {_open_hint(report)}", highlight=False)
        return
    started = time.perf_counter()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<52}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stdout,
    ) as bar:
        current: list[Any] = []

        def stage(label: str, total: int) -> Callable[[], None]:
            for task in current:
                bar.update(task, completed=bar.tasks[task].total)
            task = bar.add_task(label, total=total)
            current.append(task)
            return lambda: bar.advance(task)

        options = DemoOptions(out, seed, scenario, force=force, database_url=database)
        if patients is not None:
            options = dataclasses.replace(options, n_patients=patients)
        result = run_demo(options, stage)
    _summary(result, time.perf_counter() - started, database)


def _summary(r: Any, seconds: float, url: str | None) -> None:
    folder = Path(r.out)
    cutoff = r.data_cutoff
    where = f"--data-dir {_relative(folder)}"
    database = target = _relative(r.database)
    if url:
        where = "(with OLIGOTRIAL_DATABASE_URL set to the database's URL)"
        database = r.database  # host:port/name, without the password
        target = '"$OLIGOTRIAL_DATABASE_URL"'
    lines = [
        f"[bold]Demo trial ready in {_relative(folder)}[/] ({seconds:.0f} s): "
        f"{r.screened} screened, {r.eligible} eligible, {r.randomized} randomized "
        f"(A {r.arms.get('A', 0)}, B {r.arms.get('B', 0)}); scenario {r.scenario}, "
        f"seed {r.seed}; trial from {r.first_screening} to the data cut-off {cutoff}.",
        f"  database       {database}  ({'SQLite; ' if not url else ''}{r.audit_entries} "
        f"audit entries, chain {'verified' if r.audit_ok else 'BROKEN'})",
        f"  analysis data  {_relative(folder / 'analysis')}/  (ADSL, ADTTE, ADRS, ADAE as "
        "CSV; ADaM with ADTR as SAS XPT v5 and Dataset-JSON; screening, visit and ctDNA logs)",
        "  report         " + ", ".join(_relative(p) for p in r.reports),
        "",
        f"Open the report: {_open_hint(folder / 'report.html')}",
        "Look inside:",
        f"  python -m oligotrial audit verify {where}",
        f"  python -m oligotrial randomization verify --user statistician {where}",
        f"  python -m oligotrial audit export SCR-0001 --user coord-jn01 {where}",
        f"  python -m oligotrial report --database {target} --cutoff {cutoff} "
        f"--dsmb --out {_relative(folder / 'dsmb')}",
        "Users: admin, statistician, datamanager, monitor; per site coord-<site> "
        "(coordinator) and inv-<site> (investigator), e.g. coord-jn01.",
    ]
    for line in lines:
        stdout.print(line, highlight=False)


def _database_url(database: str | None) -> str:
    """A URL from --database (a URL, an SQLite file or its folder) or the environment."""
    from oligotrial.edc.settings import DATABASE_URL_ENV, SQLITE_FILE

    value = database or os.environ.get(DATABASE_URL_ENV)
    if not value:
        raise InputError("--database", f"give a database URL or path (or set {DATABASE_URL_ENV})")
    if "://" in value:
        return value
    path = Path(value)
    if path.is_dir():
        path = path / SQLITE_FILE
    if not path.is_file():
        raise InputError("--database", f"no SQLite database at {path}")
    return f"sqlite:///{path.resolve()}"


@guarded
def report(
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            help="postgresql://user:pw@host:5432/name, sqlite:///path, or the "
            "path of an SQLite file or its folder (default: "
            "$OLIGOTRIAL_DATABASE_URL).",
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the report.")] = Path(
        "oligotrial-report"
    ),
    fmt: Annotated[str, typer.Option("--format", help="html, pdf or both.")] = "both",
    dsmb: Annotated[
        bool,
        typer.Option("--dsmb", help="Add the interim boundary, observed z and conditional power."),
    ] = False,
    cutoff: Annotated[
        str | None, typer.Option("--cutoff", help="Data cut-off date YYYY-MM-DD (default today).")
    ] = None,
    user: Annotated[
        str, typer.Option("--user", help="Reading user (statistician, data manager or monitor).")
    ] = "statistician",
) -> None:
    """The analysis report (and its analysis data sets) from a live trial database."""
    if fmt not in FORMATS:
        raise InputError("--format", f"{fmt!r} is not one of html, pdf, both")
    try:
        day = dt.date.fromisoformat(cutoff) if cutoff else dt.date.today()
    except ValueError:
        raise InputError("--cutoff", f"{cutoff!r} is not a date (YYYY-MM-DD)") from None
    url = _database_url(database)
    from oligotrial.demo.staff import connect
    from oligotrial.edc.settings import configure

    choice = configure(database_url=url)
    connect(choice.description)
    from oligotrial.demo.analysis import analysis_data, read_database
    from oligotrial.demo.outputs import write_datasets, write_report

    with stdout.status("Reading the database and deriving the analysis data sets…"):
        data = analysis_data(read_database(user, day))
        files = write_datasets(data, out / "analysis")
    with stdout.status("Writing the report…"):
        written = write_report(
            data,
            out,
            source=f"trial database {choice.description}",
            formats=FORMATS[fmt],
            dsmb=dsmb,
            user=user,
        )
    stdout.print(f"{len(data.adsl)} randomized patients, data cut-off {day}.", highlight=False)
    stdout.print(
        f"  analysis data  {_relative(out / 'analysis')}/ ({len(files)} files)", highlight=False
    )
    for path in written:
        stdout.print(f"  report         {_relative(path)}", highlight=False)


def register(app: typer.Typer, schema_app: typer.Typer) -> None:
    app.command("demo")(demo)
    app.command("report")(report)
