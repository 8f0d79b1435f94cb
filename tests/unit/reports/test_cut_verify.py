"""The pure parts of a data cut: the stamp and manifest round trip, file hashes, and the
text comparison that names every number of a report that differs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from oligotrial.errors import InputError
from oligotrial.reports.cut_stamp import (
    CutStamp,
    hash_files,
    read_manifest,
    sha256_file,
    write_manifest,
)
from oligotrial.reports.cut_verify import compare_reports, report_lines

STAMP = CutStamp(
    cut_id=3,
    cutoff=dt.date(2026, 6, 30),
    made_at=dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC),
    made_by="statistician",
    chain_id="c" * 32,
    chain_seq=2431,
    chain_head="d" * 64,
    protocol_id="NCT06841172",
    protocol_version="1.0",
    label="interim 1",
    sources={"analysis/adsl.csv": "a" * 64},
)


def test_the_manifest_keeps_the_stamp_and_every_hash(tmp_path: Path) -> None:
    (tmp_path / "analysis").mkdir()
    (tmp_path / "analysis" / "adsl.csv").write_text("USUBJID\nS1\n")
    (tmp_path / "report.html").write_text("<p>1</p>")
    files = hash_files(tmp_path)
    assert set(files) == {"analysis/adsl.csv", "report.html"}
    assert files["analysis/adsl.csv"] == sha256_file(tmp_path / "analysis" / "adsl.csv")
    write_manifest(tmp_path, STAMP, files)
    stamp, read = read_manifest(tmp_path)
    assert stamp == STAMP and read == files
    assert "manifest.json" not in hash_files(tmp_path)  # the manifest hashes the others


def test_a_missing_or_broken_manifest_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"holds no manifest\.json"):
        read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text('{"stamp": {"cut_id": "x"}, "files": {}}')
    with pytest.raises(InputError, match=r"manifest\.json: the cut's stamp is unreadable"):
        read_manifest(tmp_path)


def test_report_text_leaves_out_figures_and_styles() -> None:
    html = (
        "<html><style>td { color: red }</style><body><h2>Events</h2>"
        '<img src="data:image/png;base64,AAAA"><table><tr><td>PFS events</td>'
        "<td>29 of 118</td></tr></table><p>a &amp; b</p></body></html>"
    )
    assert report_lines(html) == ["Events", "PFS events", "29 of 118", "a & b"]


def test_each_changed_number_is_named_with_both_values() -> None:
    stored = "<td>PFS events</td><td>29 of 118</td><td>median</td><td>5.7 (3.8–7.5)</td>"
    derived = "<td>PFS events</td><td>28 of 118</td><td>median</td><td>5.7 (3.9–11.2)</td>"
    diffs = compare_reports("report-pooled.html", stored, derived)
    assert [(d.stored, d.derived) for d in diffs] == [
        ("29 of 118", "28 of 118"),
        ("5.7 (3.8–7.5)", "5.7 (3.9–11.2)"),
    ]
    assert compare_reports("r", stored, stored) == []
