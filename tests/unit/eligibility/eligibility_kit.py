"""Shared code for the eligibility tests: a realistic eligible record to vary, and screening
with a fixed ``as_of`` date."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

from oligotrial.eligibility.evaluate import evaluate
from oligotrial.eligibility.reading import record_from_data
from oligotrial.eligibility.verdicts import ScreeningResult
from oligotrial.protocol import Protocol, load_protocol

ROOT = Path(__file__).resolve().parents[3]
PROTOCOL = load_protocol()
AS_OF = dt.date(2026, 1, 1)
_BASE = json.loads((ROOT / "examples" / "screening" / "eligible-01.json").read_text("utf-8"))


def base() -> dict[str, Any]:
    """A fresh copy of the eligible example record."""
    return copy.deepcopy(_BASE)


def screen(data: dict[str, Any], protocol: Protocol | None = None) -> ScreeningResult:
    record = record_from_data(data, as_of=AS_OF)
    return evaluate(protocol or PROTOCOL, record)


def status(data: dict[str, Any], criterion: str) -> str:
    result = screen(data)
    return next(c.status for c in result.criteria if c.id == criterion)
