"""A small synthetic hospital export, written once per test session, and its pre-screening."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from oligotrial.interop.fhir import Prescreen, prescreen
from oligotrial.protocol import load_protocol
from oligotrial.synth.hospital_export import HospitalExport, write_hospital_export

DAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="session")
def protocol():  # type: ignore[no-untyped-def]
    return load_protocol()


@pytest.fixture(scope="session")
def full_export(tmp_path_factory: pytest.TempPathFactory) -> HospitalExport:
    """Every datum the EHR holds written (no gaps); HCC patients a third of 240."""
    folder = tmp_path_factory.mktemp("bulk-full")
    return write_hospital_export(
        folder, 240, np.random.default_rng(17), screening_date=DAY, hcc_share=0.35, gap=0.0
    )


@pytest.fixture(scope="session")
def full_prescreen(full_export: HospitalExport, protocol) -> Prescreen:  # type: ignore[no-untyped-def]
    return prescreen(full_export.directory, protocol, DAY)


def copy_export(source: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for file in source.glob("*.ndjson"):
        (target / file.name).write_bytes(file.read_bytes())
    return target
