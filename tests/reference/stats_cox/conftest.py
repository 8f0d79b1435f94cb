"""Shared loading of the R reference values and the data sets they were computed on."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

HERE = Path(__file__).parent


def read_csv(name: str) -> dict[str, np.ndarray[Any, Any]]:
    """Columns of ``data/<name>.csv``; numeric where possible, empty cells as NaN."""
    with (HERE / "data" / f"{name}.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    columns: dict[str, np.ndarray[Any, Any]] = {}
    for key in rows[0]:
        raw = [r[key] for r in rows]
        try:
            columns[key] = np.array([float(v) if v != "" else np.nan for v in raw])
        except ValueError:
            columns[key] = np.array(raw)
    return columns


@pytest.fixture(scope="session")
def load_data() -> Callable[[str], dict[str, np.ndarray[Any, Any]]]:
    return read_csv


@pytest.fixture(scope="session")
def reference() -> dict[str, Any]:
    with (HERE / "cox_reference.json").open() as fh:
        return json.load(fh)["cases"]  # type: ignore[no-any-return]
