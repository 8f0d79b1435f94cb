"""``oligotrial export cdisc``: the CDISC package of a live trial database.

Reads the database as a statistician (or data manager, monitor), derives the ADaM data
sets through the endpoint engine and writes them as SAS transport v5 with Dataset-JSON
beside each file, the clinical data with its audit records as ODM 1.3.2 (checked against
the schema), a manifest of SHA-256 hashes and a listing of missing values
(:mod:`oligotrial.interop.cdisc.package`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from oligotrial.cli._common import guarded, stdout
from oligotrial.errors import InputError

if TYPE_CHECKING:  # loaded when a command runs: pandas is not needed to start the CLI
    from oligotrial.interop.cdisc.dataset import Dataset
    from oligotrial.interop.cdisc.package import Problem

ODM_FILE = "odm/clinical-data.xml"
DEFINE_FOLDERS = {"SDTM": "sdtm", "ADaM": "adam"}

export_app = typer.Typer(
    help="Export the trial database in a standard format.", no_args_is_help=True
)


@guarded
def cdisc(
    out: Annotated[Path, typer.Option("--out", help="Folder of the CDISC package.")],
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            help="postgresql://…, sqlite:///path, or an SQLite file or its folder "
            "(default: $OLIGOTRIAL_DATABASE_URL).",
        ),
    ] = None,
    cutoff: Annotated[
        str | None, typer.Option("--cutoff", help="Data cut-off date YYYY-MM-DD (default today).")
    ] = None,
    user: Annotated[
        str, typer.Option("--user", help="Reading user (statistician, data manager or monitor).")
    ] = "statistician",
) -> None:
    """ADaM (and SDTM) as XPT v5 and Dataset-JSON 1.1, ODM 1.3.2 with the audit trail, and a
    manifest of SHA-256 hashes."""
    try:
        day = dt.date.fromisoformat(cutoff) if cutoff else dt.date.today()
    except ValueError:
        raise InputError("--cutoff", f"{cutoff!r} is not a date (YYYY-MM-DD)") from None
    from oligotrial.cli.demo import _database_url

    url = _database_url(database)
    from oligotrial.demo.staff import connect
    from oligotrial.edc.settings import configure

    choice = configure(database_url=url)
    connect(choice.description)
    from oligotrial import __version__
    from oligotrial.demo.analysis import analysis_data, read_database
    from oligotrial.interop.cdisc.adam import REQUIRED
    from oligotrial.interop.cdisc.package import write_package
    from oligotrial.interop.cdisc.sdtm.required import REQUIRED as SDTM_REQUIRED

    with stdout.status("Reading the database and deriving the data sets…"):
        data = analysis_data(read_database(user, day))
        sdtm, sdtm_problems = _sdtm(user)
        documents, problems = _odm(user)
        adam = _traced(data.adam, sdtm)
        define, define_problems = _define(sdtm, "SDTM")
        adam_define, adam_define_problems = _define(adam, "ADaM")
        result = write_package(
            out,
            [*sdtm, *adam],
            study_oid=data.protocol_id,
            source_version=__version__,
            required={**SDTM_REQUIRED, **REQUIRED},
            documents={**documents, **define, **adam_define},
            problems=[*sdtm_problems, *problems, *define_problems, *adam_define_problems],
        )
    stdout.print(
        f"{len(data.adsl)} randomized patients, data cut-off {day}: "
        f"{len(result.files)} files in {out}",
        highlight=False,
    )
    if result.problems:
        stdout.print(
            f"{len(result.problems)} missing or invalid values listed in {out / 'problems.csv'}",
            highlight=False,
        )


def _sdtm(user: str) -> tuple[list[Dataset], list[Problem]]:
    """The SDTM domains (with the trial design domains) and the listing of missing data."""
    from oligotrial.edc import services
    from oligotrial.interop.cdisc.package import Problem
    from oligotrial.interop.cdisc.sdtm import sdtm_export

    export = sdtm_export(services.get_actor(user))
    listed = [
        Problem(i.domain, i.subject, i.field, f"{i.record}: {i.problem}") for i in export.items
    ]
    return list(export.domains), listed


def _traced(adam: Sequence[Dataset], sdtm: Sequence[Dataset]) -> list[Dataset]:
    """ADaM with ADTTE's SRCSEQ pointing at the SDTM record each date comes from."""
    from oligotrial.interop.cdisc.adam.adtte import with_source_seq
    from oligotrial.interop.cdisc.sdtm.links import source_seq

    def lookup(domain: str, variable: str, usubjid: str, day: dt.date | None) -> int | None:
        return source_seq(sdtm, domain, variable, usubjid, day)

    return [with_source_seq(ds, lookup) if ds.name == "ADTTE" else ds for ds in adam]


def _define(
    datasets: Sequence[Dataset], model: Literal["SDTM", "ADaM"]
) -> tuple[dict[str, bytes], list[Problem]]:
    """define.xml 2.1 of the SDTM domains (or the ADaM data sets) and its HTML rendering,
    as ``sdtm/define.*`` (``adam/define.*``), if schema-valid."""
    import tempfile

    from oligotrial.interop.cdisc.define.files import render_html, schema_problems, write_define
    from oligotrial.interop.cdisc.package import Problem
    from oligotrial.protocol import load_protocol

    with tempfile.TemporaryDirectory() as tmp:
        xml = write_define(datasets, load_protocol(), Path(tmp) / "define.xml", model=model)
        errors = schema_problems(xml)
        folder = DEFINE_FOLDERS[model]
        if errors:
            return {}, [
                Problem(f"{folder}/define.xml", "", "", f"not written, schema: {e}") for e in errors
            ]
        html = render_html(xml, Path(tmp) / "define.html")
        return {
            f"{folder}/define.xml": xml.read_bytes(),
            f"{folder}/define.html": html.read_bytes(),
        }, []


def _odm(user: str) -> tuple[dict[str, bytes], list[Problem]]:
    """The ODM 1.3.2 file of the clinical data and its audit trail, if schema-valid."""
    from oligotrial import __version__
    from oligotrial.edc import services
    from oligotrial.interop.cdisc.odm import odm_document, schema_errors
    from oligotrial.interop.cdisc.odm.trail import audit_trail
    from oligotrial.interop.cdisc.package import Problem

    trail = audit_trail(services.get_actor(user))
    created = dt.datetime.now(dt.UTC)
    document = odm_document(trail, created=created, source_version=__version__)
    errors = schema_errors(document)
    if errors:
        return {}, [Problem("ODM", "", "", f"not written, schema: {e}") for e in errors]
    return {ODM_FILE: document}, []


def register(app: typer.Typer, schema_app: typer.Typer) -> None:
    export_app.command("cdisc")(cdisc)
    app.add_typer(export_app, name="export")
