"""``oligotrial prescreen BULK_DIR --out DIR``: pre-screen a hospital's population from its
Bulk FHIR export (NDJSON), with a progress bar, into ranked candidate lists per site."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from oligotrial.cli._common import guarded, stdout
from oligotrial.errors import InputError


def _day(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError("--as-of", f"expected a date YYYY-MM-DD, got {value!r}") from None


def run(
    bulk_dir: Path,
    out: Path,
    as_of: dt.date,
    protocol_path: Path | None,
    scheduler: str | None = None,
    partitions: int | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """Read, screen and write, showing progress; return the summary. With a Dask
    ``scheduler`` address the work is partitioned by patient over its cluster."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    from oligotrial.eligibility import check_protocol
    from oligotrial.interop.fhir import prescreen, write_prescreen
    from oligotrial.interop.fhir.labels import labels
    from oligotrial.interop.fhir.reader import bulk_files
    from oligotrial.protocol import load_protocol

    labels(language)  # a language the pages are not written in is an error before reading
    protocol = load_protocol(protocol_path)
    check_protocol(protocol)
    total = sum(f.stat().st_size for f in bulk_files(bulk_dir))
    if out.exists() and not out.is_dir():
        raise InputError("--out", f"{out} is a file, not a directory")
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
    )
    if scheduler is not None:
        with Progress(*columns, console=stdout, transient=False) as bar:
            result = _distributed(bulk_dir, protocol, as_of, scheduler, partitions, bar)
        return write_prescreen(result, protocol, out, language)
    with Progress(*columns, console=stdout, transient=False) as bar:
        reading = bar.add_task("reading the export", total=total)
        screening = bar.add_task("screening the HCC population", total=None, start=False)

        def population(n: int) -> None:
            bar.update(reading, completed=total)
            bar.update(screening, total=n)
            bar.start_task(screening)

        result = prescreen(
            bulk_dir,
            protocol,
            as_of,
            progress=lambda n: bar.advance(reading, n),
            screening=population,
            each=lambda: bar.advance(screening),
        )
    info = write_prescreen(result, protocol, out, language)
    return info


def _distributed(
    bulk_dir: Path,
    protocol: Any,
    as_of: dt.date,
    scheduler: str,
    partitions: int | None,
    bar: Any,
) -> Any:
    from distributed import Client

    from oligotrial.interop.fhir.partitioned import prescreen_distributed
    from oligotrial.interop.fhir.reader import bulk_files

    if partitions is not None and partitions < 1:
        raise InputError("--partitions", f"expected a positive number, got {partitions}")
    try:
        client = Client(scheduler, timeout=5)  # type: ignore[no-untyped-call]
    except (OSError, ValueError, TimeoutError) as exc:
        raise InputError(
            "--scheduler", f"cannot reach the Dask scheduler at {scheduler} ({exc})"
        ) from None
    with client:
        parts = partitions or max(1, 2 * len(client.scheduler_info()["workers"]))
        tasks = {
            "split": bar.add_task(
                "splitting the files by patient", total=len(bulk_files(bulk_dir))
            ),
            "screened": bar.add_task(f"screening {parts} partitions", total=parts),
        }
        return prescreen_distributed(
            bulk_dir,
            protocol,
            as_of,
            client,
            partitions=parts,
            done=lambda step: bar.advance(tasks[step]),
        )


def register(app: typer.Typer, schema_app: typer.Typer) -> None:
    @app.command("prescreen")
    @guarded
    def prescreen_command(
        bulk_dir: Annotated[
            Path, typer.Argument(help="directory of a Bulk FHIR export (*.ndjson)")
        ],
        out: Annotated[Path, typer.Option("--out", help="directory for the lists and reports")],
        as_of: Annotated[
            str | None, typer.Option("--as-of", help="screening date YYYY-MM-DD (default: today)")
        ] = None,
        protocol: Annotated[
            Path | None, typer.Option("--protocol", help="protocol file (default: the shipped one)")
        ] = None,
        scheduler: Annotated[
            str | None,
            typer.Option(
                "--scheduler", help="Dask scheduler address: partition by patient over its cluster"
            ),
        ] = None,
        partitions: Annotated[
            int | None,
            typer.Option("--partitions", help="with --scheduler: partitions (default 2 a worker)"),
        ] = None,
        language: Annotated[
            str, typer.Option("--language", help="language of the pages: en or zh-hans")
        ] = "en",
    ) -> None:
        """Pre-screen a hospital population: ranked candidates per site (CSV, HTML)."""
        info = run(bulk_dir, out, _day(as_of), protocol, scheduler, partitions, language)
        stdout.print(
            f"{info['patients']} patients, {info['hcc_population']} with HCC screened: "
            f"[bold green]{info['candidates']} candidates[/], {info['excluded']} excluded; "
            f"{info['problems']} problems (problems.csv). Lists in {out}/",
            highlight=False,
        )
