"""A laboratory's results file (CSV), read line by line; nothing guessed.

One row per sample. Columns (header required, any order, names case-insensitive):

``sample_id`` the tube label; ``ctdna_detected`` yes/no (blank for a biopsy);
``mean_vaf``, ``max_vaf``, ``tumour_fraction`` numbers in ``unit``; ``unit`` ``%`` (or
``percent``) or ``fraction`` (0-1); ``mutations`` ``GENE HGVS VAF`` entries separated by
``;`` (VAF in ``unit``), e.g. ``TP53 p.R249S 12.5; CTNNB1 p.S45P 3.1``.

Every line is checked on its own: an unreadable value, a unit other than those above, a
VAF below 0 % or above 100 %, a maximum below the mean, ctDNA "not detected" with a VAF above
zero, or a sample already given on an earlier line is reported with its line number and
field; the other lines stand. Values are returned in percent.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from oligotrial.errors import InputError

COLUMNS = ("sample_id", "ctdna_detected", "mean_vaf", "max_vaf", "tumour_fraction", "unit")
OPTIONAL = ("mutations",)
UNITS = {"%": 1.0, "percent": 1.0, "fraction": 100.0}
YES = {"yes", "y", "true", "1", "detected"}
NO = {"no", "n", "false", "0", "not detected"}


@dataclass(frozen=True)
class Mutation:
    gene: str
    hgvs: str
    vaf_percent: float


@dataclass(frozen=True)
class ResultLine:
    line: int
    sample_id: str
    ctdna_detected: bool | None
    mean_vaf_percent: float | None
    max_vaf_percent: float | None
    tumour_fraction_percent: float | None
    mutations: tuple[Mutation, ...]


@dataclass(frozen=True)
class LineProblem:
    line: int
    sample_id: str
    field: str
    message: str

    def __str__(self) -> str:
        who = f" ({self.sample_id})" if self.sample_id else ""
        return f"line {self.line}{who}: {self.field}: {self.message}"


class _Bad(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _percent(text: str, scale: float, field: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise _Bad(field, f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise _Bad(field, f"{text!r} is not a finite number")
    percent = value * scale
    if not 0.0 <= percent <= 100.0:
        raise _Bad(field, f"{percent:g} % is impossible (a fraction lies within 0-100 %)")
    return percent


def _detected(text: str) -> bool | None:
    t = text.strip().lower()
    if not t:
        return None
    if t in YES:
        return True
    if t in NO:
        return False
    raise _Bad("ctdna_detected", f"{text!r} is not yes or no")


def _mutations(text: str, scale: float) -> tuple[Mutation, ...]:
    out = []
    for k, entry in enumerate((e for e in text.split(";") if e.strip()), start=1):
        parts = entry.split()
        if len(parts) != 3:
            raise _Bad("mutations", f"entry {k} {entry.strip()!r} is not 'GENE HGVS VAF'")
        vaf = _percent(parts[2], scale, f"mutations (entry {k})")
        assert vaf is not None
        out.append(Mutation(parts[0].upper(), parts[1], vaf))
    return tuple(out)


def _line(number: int, row: dict[str, str]) -> ResultLine:
    sample = row["sample_id"].strip()
    if not sample:
        raise _Bad("sample_id", "is empty")
    unit = row["unit"].strip().lower()
    if unit not in UNITS:
        raise _Bad("unit", f"{row['unit']!r} is not a unit this import reads ({', '.join(UNITS)})")
    scale = UNITS[unit]
    detected = _detected(row["ctdna_detected"])
    mean = _percent(row["mean_vaf"], scale, "mean_vaf")
    top = _percent(row["max_vaf"], scale, "max_vaf")
    if mean is not None and top is not None and top < mean:
        raise _Bad("max_vaf", f"{top:g} % is below the mean VAF {mean:g} %")
    if detected is False and any(v for v in (mean, top)):
        raise _Bad("ctdna_detected", "is 'no' but a VAF above zero is given")
    return ResultLine(
        number,
        sample,
        detected,
        mean,
        top,
        _percent(row["tumour_fraction"], scale, "tumour_fraction"),
        _mutations(row.get("mutations") or "", scale),
    )


def read_results(text: str) -> tuple[list[ResultLine], list[LineProblem]]:
    """The readable lines and the problems of the others (line 1 is the header)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(h or "").strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError("file", f"the header lacks the column(s) {', '.join(missing)}")
    reader.fieldnames = header
    good: list[ResultLine] = []
    problems: list[LineProblem] = []
    seen: dict[str, int] = {}
    for row in reader:
        number = reader.line_num
        sample = (row.get("sample_id") or "").strip()
        if None in row or any(row.get(c) is None for c in COLUMNS):
            problems.append(LineProblem(number, sample, "line", "has a different number of fields"))
            continue
        try:
            parsed = _line(number, row)
        except _Bad as bad:
            problems.append(LineProblem(number, sample, bad.field, bad.message))
            continue
        if parsed.sample_id in seen:
            problems.append(
                LineProblem(
                    number, sample, "sample_id", f"duplicate of line {seen[parsed.sample_id]}"
                )
            )
            continue
        seen[parsed.sample_id] = number
        good.append(parsed)
    return good, problems
