"""``oligotrial samples import-results FILE``: a laboratory's results file into the trial
database, as the data manager: each readable line of a known sample imported (audited),
every other line reported with its number, field and problem.

``oligotrial samples import-fhir FILE``: a laboratory's ctDNA results as a FHIR Bundle,
imported all or nothing; each problem reported with the resource, element and problem."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oligotrial.cli._common import guarded, stdout
from oligotrial.cli.database import DataDir, User, _setup
from oligotrial.errors import InputError


def _read(file: Path) -> str:
    """The file's text (UTF-8), or a refusal naming it."""
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("FILE", f"cannot read {file}: {exc}") from None


@guarded
def import_results(
    file: Annotated[Path, typer.Argument(help="The laboratory's results (CSV, UTF-8).")],
    user: User,
    data_dir: DataDir = None,
) -> None:
    """Import a results file; exit code 1 when any line was not imported."""
    text = _read(file)
    _setup(data_dir)
    from oligotrial.edc import services
    from oligotrial.edc.services.sample_results import import_results as run

    report = run(services.get_actor(user), text, source=file.name)
    stdout.print(f"{len(report.imported)} result(s) imported from {file.name}.", highlight=False)
    for problem in report.problems:
        stdout.print(f"  not imported: {problem}", highlight=False, soft_wrap=True)
    if report.problems:
        raise typer.Exit(1)


@guarded
def import_fhir(
    file: Annotated[Path, typer.Argument(help="The laboratory's FHIR R4 Bundle (JSON).")],
    user: User,
    data_dir: DataDir = None,
) -> None:
    """Import a Bundle of ctDNA results; exit code 1 (nothing written) on any problem."""
    text = _read(file)
    _setup(data_dir)
    from oligotrial.edc import services
    from oligotrial.edc.services.sample_fhir_results import import_fhir_results

    report = import_fhir_results(services.get_actor(user), text, source=file.name[:120])
    for problem in report.problems:
        stdout.print(f"  refused: {problem}", highlight=False, soft_wrap=True)
    if report.problems:
        stdout.print(f"Nothing imported from {file.name}.", highlight=False)
        raise typer.Exit(1)
    stdout.print(
        f"{len(report.imported)} result(s) imported from {file.name}, "
        f"{len(report.corrected)} corrected by the laboratory (audited), "
        f"{len(report.unchanged)} already imported.",
        highlight=False,
    )


def register(app: typer.Typer, schema_app: typer.Typer) -> None:
    samples = typer.Typer(help="Biosamples: laboratory results.", no_args_is_help=True)
    samples.command("import-results")(import_results)
    samples.command("import-fhir")(import_fhir)
    app.add_typer(samples, name="samples")
