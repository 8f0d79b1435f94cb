"""Fixtures for the protocol tests: the second protocol and a writer of variants."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def breast_protocol_path() -> Path:
    return DATA / "oligo_breast.yaml"
