"""The reports of a data cut, derived from the cut's files only.

The cut writes its analysis data sets first, then reads them back from the folder and
derives both reports from what it read (:func:`render_cut_reports`): the pooled report for
the trial office and the by-arm DSMB report. ``oligotrial cut verify`` runs the same
function on the same files, so every number of a report is re-derived and compared.
CSV is read with only the empty field as missing; columns named ``*DT`` are dates.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from oligotrial.errors import InputError, ProtocolError
from oligotrial.protocol import Protocol
from oligotrial.protocol.loader import protocol_from_data
from oligotrial.reports.cut_stamp import (
    DATA_FOLDER,
    DSMB_REPORT,
    POOLED_REPORT,
    PROTOCOL_FILE,
    CutStamp,
)
from oligotrial.reports.inputs import ReportInputs

FRAMES = ("adsl", "adtte", "adrs", "adae", "screening", "visits", "ctdna")


def write_protocol(folder: Path, protocol: Protocol) -> Path:
    """The protocol in force, as JSON (the reports' arms, strata and design come from it)."""
    path = folder / PROTOCOL_FILE
    body = protocol.model_dump(mode="json", by_alias=True, exclude_none=True)
    path.write_text(json.dumps(body, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_protocol(folder: Path) -> Protocol:
    path = folder / PROTOCOL_FILE
    try:
        return protocol_from_data(json.loads(path.read_text(encoding="utf-8")), PROTOCOL_FILE)
    except FileNotFoundError:
        raise InputError(PROTOCOL_FILE, "missing from the cut") from None
    except (ValueError, ProtocolError) as exc:
        raise InputError(PROTOCOL_FILE, f"unreadable ({exc})") from None


def _dates(frame: pd.DataFrame) -> pd.DataFrame:
    for column in frame.columns:
        if str(column).endswith("DT"):
            parsed = pd.to_datetime(frame[column], errors="coerce", format="ISO8601")
            frame[column] = [None if pd.isna(v) else v.date() for v in parsed]
    return frame


def read_frame(folder: Path, name: str) -> pd.DataFrame:
    path = folder / DATA_FOLDER / f"{name}.csv"
    try:
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    except FileNotFoundError:
        raise InputError(f"{DATA_FOLDER}/{name}.csv", "missing from the cut") from None
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputError(f"{DATA_FOLDER}/{name}.csv", f"unreadable ({exc})") from None
    return _dates(frame)


def cut_inputs(folder: Path, stamp: CutStamp) -> ReportInputs:
    """The report inputs from the cut's files alone."""
    frames = {name: read_frame(folder, name) for name in FRAMES}
    optional = {  # a log with no row was written without columns: not supplied
        name: None if frames[name].columns.empty else frames[name]
        for name in ("screening", "visits", "ctdna")
    }
    return ReportInputs(
        frames["adsl"],
        frames["adtte"],
        frames["adrs"],
        frames["adae"],
        adtr=None,
        screening=optional["screening"],
        visits=optional["visits"],
        ctdna=optional["ctdna"],
        protocol=read_protocol(folder),
        data_cutoff=stamp.cutoff,
        data_source=f"data cut {stamp.cut_id} ({DATA_FOLDER}/ of the cut folder)",
    )


def render_cut_reports(folder: Path, stamp: CutStamp) -> dict[str, str]:
    """File name -> HTML of the pooled and the DSMB report, from the cut's files."""
    from oligotrial.reports.html import render_html
    from oligotrial.reports.pooled import build_pooled, render_pooled
    from oligotrial.reports.report import build_report

    inputs = cut_inputs(folder, stamp)
    made = stamp.made_at.replace(tzinfo=None)
    try:
        dsmb = render_html(build_report(inputs, dsmb=True, generated_at=made, cut=stamp))
    except InputError as exc:  # too few data for a comparison (one arm, no event yet)
        dsmb = render_not_comparable(inputs, stamp, str(exc))
    return {POOLED_REPORT: render_pooled(build_pooled(inputs), stamp), DSMB_REPORT: dsmb}


def render_not_comparable(inputs: ReportInputs, stamp: CutStamp, reason: str) -> str:
    """The DSMB report of a cut whose data cannot yet be compared by arm: the stamp and why."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("oligotrial.reports", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    return env.get_template("not_comparable.html").render(
        protocol_id=inputs.protocol_id, cut=stamp, reason=reason, patients=len(inputs.adsl)
    )
