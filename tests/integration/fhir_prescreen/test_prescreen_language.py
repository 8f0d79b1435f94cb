"""``oligotrial prescreen --language zh-hans``: the pages in Simplified Chinese."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from oligotrial.cli import app
from oligotrial.interop.fhir.labels import LABELS
from oligotrial.synth.hospital_export import write_hospital_export

DAY = dt.date(2026, 6, 1)


def test_both_tables_hold_the_same_strings() -> None:
    assert set(LABELS["zh-hans"]) == set(LABELS["en"])
    for key, text in LABELS["en"].items():
        assert LABELS["zh-hans"][key] != text or key == "none", key


def test_pages_in_chinese(tmp_path: Path) -> None:
    export = write_hospital_export(
        tmp_path / "bulk", 60, np.random.default_rng(4), screening_date=DAY, hcc_share=0.5
    )
    out = tmp_path / "out"
    args = ["prescreen", str(export.directory), "--as-of", DAY.isoformat(), "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--language", "zh-hans"])
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-hans">' in index and "预筛选" in index and "Pre-screening" not in index
    site = next(iter(json.loads((out / "summary.json").read_text())["sites"]))
    page = (out / site / "index.html").read_text(encoding="utf-8")
    assert f"中心 {site}" in page and "候选患者" in page and "Candidates" not in page


def test_unknown_language_names_the_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["prescreen", str(tmp_path), "--out", str(tmp_path / "o"), "--language", "fr"]
    )
    assert result.exit_code == 2
    assert "--language: expected one of en, zh-hans, got 'fr'" in result.output
    assert not (tmp_path / "o").exists()
