"""``oligotrial cut make|list|verify``: data cuts for interim and final analyses.

``make`` reads the trial database as of a cut-off date into a new folder (analysis data
sets, protocol, pooled and DSMB reports, manifest) and records the cut with the audit chain
head and every file's SHA-256; ``verify`` re-hashes a cut's files and re-derives every
number of its reports from them (exit code 1 when anything differs). See docs/data-cuts.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oligotrial.cli._common import guarded, print_json, stdout
from oligotrial.cli.serve import DEFAULT_DIR, DataDir, setup

cut_app = typer.Typer(help="Data cuts: make, list and verify.", no_args_is_help=True)


@guarded
def make(
    cutoff: Annotated[str, typer.Option("--cutoff", help="Cut-off date YYYY-MM-DD.")],
    out: Annotated[Path, typer.Option("--out", help="New (or empty) folder for the cut.")],
    label: Annotated[str, typer.Option(help="A name, e.g. 'interim 1'.")] = "",
    user: Annotated[str, typer.Option("--user", help="The statistician making the cut.")] = (
        "statistician"
    ),
    data_dir: DataDir = DEFAULT_DIR,
) -> None:
    """Make a data cut at a cut-off date (statistician)."""
    setup(data_dir)
    from oligotrial.edc.services import get_actor
    from oligotrial.edc.services.data_cuts import make_cut

    with stdout.status("Reading the database and writing the cut…"):
        cut = make_cut(get_actor(user), cutoff, out, label=label)
    stdout.print(
        f"Data cut {cut.pk}: cut-off {cut.cutoff}, {cut.patients} randomized patients, "
        f"audit chain head {cut.chain_seq} {cut.chain_head}",
        highlight=False,
    )
    stdout.print(f"  {len(cut.files)} files in {cut.folder}", highlight=False)


@guarded
def list_(
    user: Annotated[str, typer.Option("--user", help="Reading user.")] = "statistician",
    data_dir: DataDir = DEFAULT_DIR,
) -> None:
    """List the data cuts as JSON, newest first."""
    setup(data_dir)
    from oligotrial.edc.services import get_actor
    from oligotrial.edc.services.data_cuts import list_cuts

    print_json(
        [
            {
                "id": c.pk,
                "cutoff": c.cutoff.isoformat(),
                "label": c.label,
                "made_at": c.made_at.isoformat(),
                "made_by": c.made_by.username,
                "patients": c.patients,
                "chain_seq": c.chain_seq,
                "chain_head": c.chain_head,
                "folder": c.folder,
                "files": len(c.files),
            }
            for c in list_cuts(get_actor(user))
        ]
    )


@guarded
def verify(
    folder: Annotated[Path, typer.Argument(help="The cut's folder.")],
    database: Annotated[
        bool,
        typer.Option(
            "--database/--no-database",
            help="Also compare the manifest with the cut recorded in the database "
            "(--data-dir or OLIGOTRIAL_DATABASE_URL).",
        ),
    ] = False,
    data_dir: DataDir = DEFAULT_DIR,
) -> None:
    """Re-hash every file of a cut and re-derive every number of its reports."""
    from oligotrial.reports.cut_verify import verify_cut

    with stdout.status("Re-hashing the files and re-deriving the reports…"):
        check = verify_cut(folder)
    recorded: list[str] = []
    if database:
        setup(data_dir)
        from oligotrial.edc.services.data_cuts import compare_with_record

        recorded = compare_with_record(folder, check.stamp.cut_id)
    s = check.stamp
    stdout.print(
        f"Data cut {s.cut_id}: cut-off {s.cutoff}, audit chain head {s.chain_seq} {s.chain_head}",
        highlight=False,
    )
    for name in check.altered:
        stdout.print(f"  ALTERED   {name}", highlight=False)
    for name in check.missing:
        stdout.print(f"  MISSING   {name}", highlight=False)
    for name in check.unexpected:
        stdout.print(f"  UNEXPECTED {name} (not in the manifest)", highlight=False)
    for problem in [*check.problems, *recorded]:
        stdout.print(f"  PROBLEM   {problem}", highlight=False)
    for d in check.differences[:50]:
        stdout.print(
            f"  NUMBER    {d.report}: reads {d.stored!r}, derives {d.derived!r}", highlight=False
        )
    if len(check.differences) > 50:
        stdout.print(f"  … and {len(check.differences) - 50} more differences", highlight=False)
    if check.ok and not recorded:
        stdout.print(
            f"OK: {check.files} files match their SHA-256; every number of the reports "
            "derives again from the files.",
            highlight=False,
        )
        return
    stdout.print("NOT VERIFIED: the cut differs from what was recorded.", highlight=False)
    raise typer.Exit(code=1)


def register(app: typer.Typer, schema_app: typer.Typer) -> None:
    cut_app.command("make")(make)
    cut_app.command("list")(list_)
    cut_app.command("verify")(verify)
    app.add_typer(cut_app, name="cut")
