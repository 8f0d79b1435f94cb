"""``oligotrial protocol``: show the shipped protocol, validate any protocol file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from oligotrial.cli._common import guarded, print_json, stdout

protocol_app = typer.Typer(help="The trial protocol as data.", no_args_is_help=True)

FileOption = Annotated[
    Path | None, typer.Option("--file", "-f", help="A protocol file (default: the shipped one).")
]


def _load(path: Path | None) -> Any:
    from oligotrial.eligibility.rules_check import check_protocol
    from oligotrial.protocol import load_protocol

    protocol = load_protocol(path)
    check_protocol(protocol)
    return protocol


@protocol_app.command("show")
@guarded
def show(
    file: FileOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the protocol as JSON.")] = False,
) -> None:
    """Print a readable summary of the protocol: arms, strata, schedule, design, criteria."""
    from rich.table import Table

    from oligotrial.eligibility.describe import describe_rule

    p = _load(file)
    if as_json:
        print_json(p.model_dump(mode="json", by_alias=True))
        return
    from itertools import islice

    from oligotrial.protocol.schedule import scheduled_assessments

    stdout.print(f"[bold]{p.id}[/] version {p.version}: {p.title}", highlight=False)
    ratio = ":".join(str(r) for r in p.allocation_ratio)
    stdout.print(f"\n[bold]Arms[/] (ratio {ratio})")
    for arm in p.arms:
        stdout.print(f"  {arm.code}  {arm.name}", highlight=False)
    stdout.print("\n[bold]Stratification[/]")
    for f in p.stratification:
        levels = "site list at run time" if f.from_sites else ", ".join(f.levels)
        stdout.print(f"  {f.name}: {levels}", highlight=False)
    r = p.randomization
    details = []
    if r.block_sizes:
        details.append(f"block sizes {', '.join(str(b) for b in r.block_sizes)}")
    if r.minimization is not None:
        details.append(f"minimization p_best {r.minimization.p_best}")
    stdout.print(f"\n[bold]Randomization[/] {r.method} ({'; '.join(details)})", highlight=False)
    stdout.print("\n[bold]Tumour assessments[/]")
    for a in p.schedule.assessments:
        until = f"week {a.to_week}" if a.to_week is not None else "the end"
        stdout.print(
            f"  week {a.from_week} to {until}: every {a.every_weeks} weeks ± {a.window_days} days",
            highlight=False,
        )
    first = list(islice(scheduled_assessments(p.schedule.assessments), 10))
    weeks = ", ".join(f"{v.week:g}" for v in first)
    stdout.print(f"  scans due at weeks {weeks}, …", highlight=False)
    stdout.print(f"  ctDNA: {', '.join(p.schedule.ctdna) or '-'}", highlight=False)
    stdout.print(f"  biopsy: {', '.join(p.schedule.biopsy) or '-'}", highlight=False)
    d = p.design
    stdout.print(
        f"\n[bold]Design[/] control median {d.control_median_months} months, HR {d.hazard_ratio}, "
        f"alpha {d.alpha} ({d.sides}-sided), power {d.power}, {d.planned_subjects} patients, "
        f"{d.planned_events} events, looks at {', '.join(str(x) for x in d.interim_information)} "
        f"({d.spending})",
        highlight=False,
    )
    table = Table(title=f"Eligibility criteria ({len(p.criteria)})", show_lines=False)
    table.add_column("id")
    table.add_column("decided")
    table.add_column("rule")
    for c in p.criteria:
        table.add_row(c.id, c.decided, describe_rule(c.rule, p))
    stdout.print()
    stdout.print(table)


@protocol_app.command("validate")
@guarded
def validate(file: Annotated[Path, typer.Argument(help="Protocol file to check.")]) -> None:
    """Check a protocol file against the schema and the fact catalogue."""
    p = _load(file)
    stdout.print(
        f"{file}: valid ({p.id} version {p.version}, {len(p.arms)} arms, "
        f"{len(p.criteria)} criteria)",
        highlight=False,
    )


def register(app: typer.Typer, schema_app: typer.Typer) -> None:
    app.add_typer(protocol_app, name="protocol")
