"""R reference values for the stats tests (CI has no R; the .R scripts here regenerate them).

Tests receive one reference case per parametrized run through the ``<name>_case`` fixtures
(``km_case``, ``logrank_case``, ...), the data sets through ``datasets``, and the comparison
function through ``match_r``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

HERE = Path(__file__).parent
FILES = {
    "km_case": "km_reference.json",
    "km_median_case": "km_median_reference.json",
    "logrank_case": "logrank_reference.json",
    "rmst_case": "rmst_reference.json",
    "binomial_case": "binomial_reference.json",
}


@cache
def _load(name: str) -> dict[str, Any]:
    with (HERE / name).open() as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for fixture, filename in FILES.items():
        if fixture in metafunc.fixturenames:
            cases = _load(filename)["cases"]
            metafunc.parametrize(fixture, cases, ids=[c["name"] for c in cases])


@pytest.fixture(scope="session")
def km_reference() -> dict[str, Any]:
    return _load("km_reference.json")


@pytest.fixture(scope="session")
def km_median_reference() -> dict[str, Any]:
    return _load("km_median_reference.json")


@pytest.fixture(scope="session")
def datasets() -> dict[str, Any]:
    return _load("km_reference.json")["datasets"]


def as_float(values: Any) -> np.ndarray:
    """JSON value(s) (null for R's NA/NaN/Inf) -> float array with NaN."""
    return np.array([np.nan if v is None else v for v in np.atleast_1d(values)], dtype=float)


def _match_r(ours: Any, r_values: Any, *, rtol: float = 1e-9, what: str = "") -> None:
    """Agreement with R: where R has NA/NaN/Inf ours is NaN or infinite; else ``rtol``."""
    mine = np.array([np.nan if v is None else v for v in np.atleast_1d(ours)], dtype=float)
    ref = as_float(r_values)
    assert mine.shape == ref.shape, f"{what}: shape {mine.shape} vs R {ref.shape}"
    missing = np.isnan(ref)
    assert np.all(~np.isfinite(mine[missing])), f"{what}: R has NA where we have a number"
    np.testing.assert_allclose(mine[~missing], ref[~missing], rtol=rtol, atol=1e-13, err_msg=what)


@pytest.fixture(scope="session")
def match_r() -> Callable[..., None]:
    return _match_r
