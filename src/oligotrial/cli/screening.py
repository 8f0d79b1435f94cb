"""``oligotrial screen``: decide eligibility for one patient (.json) or many (.jsonl);
``oligotrial schema screening``: the JSON Schema of a screening record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from oligotrial.cli._common import guarded, print_json, stdout
from oligotrial.errors import InputError

_MARKS = {True: "[green]✔[/]", False: "[red]✘[/]", None: "[yellow]?[/]"}


def _as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError("--as-of", f"expected a date YYYY-MM-DD, got {value!r}") from None


def _protocol(path: Path | None) -> Any:
    from oligotrial.eligibility.rules_check import check_protocol
    from oligotrial.protocol import load_protocol

    protocol = load_protocol(path)
    check_protocol(protocol)
    return protocol


def _value_text(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items())


def _print_checklist(result: Any) -> None:
    colour = {"eligible": "green", "ineligible": "red", "incomplete": "yellow"}[result.overall]
    stdout.print(
        f"[bold]{result.patient_id}[/] — {result.protocol_id} v{result.protocol_version}: "
        f"[bold {colour}]{result.overall.upper()}[/]",
        highlight=False,
    )
    for c in result.criteria:
        mark = _MARKS[c.in_favour]
        status = c.status.replace("_", " ")
        detail = (
            f"missing: {', '.join(c.missing)}"
            if c.status == "cannot_tell"
            else _value_text(dict(c.values))
        )
        stdout.print(f" {mark} {c.id:<4} {status:<11} {detail}", highlight=False)
    if result.failed:
        stdout.print(f"Not eligible because of: {', '.join(result.failed)}", highlight=False)
    elif result.missing:
        stdout.print(f"Data needed: {', '.join(result.missing)}", highlight=False)


def _screen_one(file: Path, protocol: Any, as_of: dt.date, as_json: bool) -> None:
    from oligotrial.eligibility.evaluate import evaluate
    from oligotrial.eligibility.reading import read_record

    record = read_record(file, as_of=as_of)
    result = evaluate(protocol, record, checked=True)
    if as_json:
        print_json(result.to_dict())
    else:
        _print_checklist(result)


def _read_bytes(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise InputError(str(file), "no such file") from None
    except OSError as exc:
        raise InputError(str(file), f"cannot read the file ({exc})") from None


def _screen_many(file: Path, protocol: Any, as_of: dt.date, as_json: bool) -> None:
    from rich.progress import Progress
    from rich.table import Table

    from oligotrial.eligibility.batch import screen_lines

    data = _read_bytes(file)
    lines = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n") + 1  # at most
    # refreshed by hand after each step: no refresh thread runs beside the worker processes
    with Progress(console=stdout, transient=True, disable=as_json, auto_refresh=False) as progress:
        task = progress.add_task("screening", total=lines)

        def advance(done: int) -> None:
            progress.advance(task, done)
            progress.refresh()

        result = screen_lines(protocol, data, as_of=as_of, progress=advance)
    if not len(result):
        raise InputError(str(file), "no records in the file")
    summary = result.summary()
    if as_json:
        print_json({"summary": summary, "patients": result.rows()}, plain=True)
        return
    counts = summary["overall"]
    stdout.print(
        f"[bold]{summary['patients']}[/] patients screened against {protocol.id}: "
        f"[green]{counts['eligible']} eligible[/], [red]{counts['ineligible']} ineligible[/], "
        f"[yellow]{counts['incomplete']} incomplete[/]",
        highlight=False,
    )
    table = Table(title="Per criterion")
    for name in ("criterion", "fail", "fail alone", "cannot tell"):
        table.add_column(name, justify="right" if name != "criterion" else "left")
    for row in summary["criteria"]:
        table.add_row(row["id"], str(row["fail"]), str(row["fail_alone"]), str(row["cannot_tell"]))
    stdout.print(table)


def register(app: typer.Typer, schema_app: typer.Typer) -> None:
    @app.command("screen")
    @guarded
    def screen(
        file: Annotated[Path, typer.Argument(help="A record (.json) or many (.jsonl).")],
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the full result as JSON.")
        ] = False,
        protocol_file: Annotated[
            Path | None, typer.Option("--protocol", help="Protocol file (default: shipped).")
        ] = None,
        as_of: Annotated[
            str | None, typer.Option("--as-of", help="No date may be after this (default: today).")
        ] = None,
    ) -> None:
        """Decide eligibility: each criterion met / not met / cannot tell, and overall."""
        day = _as_of(as_of)
        protocol = _protocol(protocol_file)
        if file.suffix.lower() == ".jsonl":
            _screen_many(file, protocol, day, as_json)
        else:
            _screen_one(file, protocol, day, as_json)

    @schema_app.command("screening")
    def schema_screening() -> None:
        """JSON Schema of a screening record (one patient at oligoprogression)."""
        from oligotrial.eligibility.record import ScreeningRecord

        print_json(ScreeningRecord.model_json_schema())
