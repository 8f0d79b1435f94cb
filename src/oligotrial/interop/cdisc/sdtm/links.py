"""Pointers from analysis data back to SDTM records (ADaM SRCDOM / SRCVAR / SRCSEQ).

An ADaM row that takes its date from an SDTM record names that record by its --SEQ; these
lookups give the --SEQ of the record of a subject at a date, from the domains as built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from oligotrial.interop.cdisc.dataset import Dataset


def seq_by_date(
    dataset: Dataset, date_variable: str, *, test: tuple[str, str] | None = None
) -> dict[tuple[str, str], int]:
    """(USUBJID, ISO date) -> --SEQ of the first record of that date (optionally only the
    records whose ``test[0]`` variable equals ``test[1]``, e.g. ``("RSTESTCD", "OVRLRESP")``)."""
    frame = dataset.frame
    if test is not None:
        frame = frame[frame[test[0]] == test[1]]
    seq = f"{dataset.name}SEQ"
    out: dict[tuple[str, str], int] = {}
    for usubjid, day, number in zip(
        frame["USUBJID"], frame[date_variable], frame[seq], strict=True
    ):
        if isinstance(day, str) and day:
            out.setdefault((str(usubjid), day[:10]), int(number))
    return out


def source_seq(
    domains: Sequence[Dataset], domain: str, variable: str, usubjid: str, day: dt.date | None
) -> int | None:
    """The --SEQ of ``domain``'s record of ``usubjid`` whose ``variable`` is ``day`` (for RS,
    the overall response of that visit); None when there is none or ``domain`` has no SEQ."""
    found = next((d for d in domains if d.name == domain), None)
    if found is None or day is None or f"{domain}SEQ" not in found.frame.columns:
        return None
    test = ("RSTESTCD", "OVRLRESP") if domain == "RS" else None
    return seq_by_date(found, variable, test=test).get((usubjid, day.isoformat()))
