"""What every SDTM domain shares: study day, ISO 8601 dates, --SEQ, and the listing of
missing data.

* ``--DY`` (SDTMIG 3.4, 4.4.4): the day of ``--DTC`` counted from the reference start
  ``RFSTDTC`` (day 1); the day before is day -1, there is no day 0.
* ``--DTC``: ISO 8601 text, dates only (the database records dates, not times).
* ``--SEQ`` (SDTMIG 3.4, 4.1.5): 1, 2, ... within a subject and domain, in a documented,
  stable order: each domain sorts its records by its own date (``--STDTC`` or ``--DTC``),
  then by its topic variable, then by the database row id, so a re-export of the same
  database numbers every record the same way (docs/cdisc.md, "SDTM --SEQ").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from oligotrial.interop.cdisc.dataset import Dataset, Variable, frame_of


def study_day(day: dt.date | None, reference: dt.date | None) -> int | None:
    """SDTM study day of ``day`` with day 1 = ``reference`` (no day 0); None if either is."""
    if day is None or reference is None:
        return None
    delta = (day - reference).days
    return delta + 1 if delta >= 0 else delta


def dtc(day: dt.date | None) -> str | None:
    """An ISO 8601 date (``YYYY-MM-DD``), or None."""
    return day.isoformat() if day is not None else None


@dataclass(frozen=True)
class MissingItem:
    """One record or field the export needed and the database does not hold."""

    domain: str
    subject: str
    record: str
    field: str
    problem: str

    def line(self) -> str:
        who = f"subject {self.subject}" if self.subject else "study"
        return f"{self.domain} {who} {self.record}: {self.field} {self.problem}"


@dataclass
class Listing:
    """The listing of missing data an export writes beside the data sets."""

    items: list[MissingItem] = field(default_factory=list)

    def add(self, domain: str, subject: str, record: str, field_: str, problem: str) -> None:
        self.items.append(MissingItem(domain, subject, record, field_, problem))

    def lines(self) -> list[str]:
        return [i.line() for i in self.items]


def numbered(
    rows: list[dict[str, Any]], prefix: str, order: Callable[[dict[str, Any]], Any]
) -> list[dict[str, Any]]:
    """Rows sorted by USUBJID then ``order``, with ``<prefix>SEQ`` 1, 2, ... per subject."""
    rows = sorted(rows, key=lambda r: (r["USUBJID"], order(r)))
    seq: dict[str, int] = {}
    for row in rows:
        seq[row["USUBJID"]] = seq.get(row["USUBJID"], 0) + 1
        row[f"{prefix}SEQ"] = seq[row["USUBJID"]]
    return rows


def sort_key(*values: Any) -> tuple[Any, ...]:
    """A sort key where None sorts last (dates may be missing)."""
    return tuple((v is None, "" if v is None else v) for v in values)


def domain(
    name: str,
    label: str,
    specs: Sequence[Variable],
    rows: Sequence[dict[str, Any]],
    keys: tuple[str, ...],
    structure: str,
    notes: tuple[str, ...] = (),
) -> Dataset:
    """A domain data set from its variables and rows (DOMAIN filled in)."""
    filled = [
        {**row, "DOMAIN": name} if "DOMAIN" in [v.name for v in specs] else row for row in rows
    ]
    return Dataset(
        name=name,
        label=label,
        variables=tuple(specs),
        frame=frame_of(filled, specs),
        keys=keys,
        structure=structure,
        notes=notes,
    )
