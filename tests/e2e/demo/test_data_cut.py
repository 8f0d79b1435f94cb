"""``oligotrial cut make|list|verify`` on a copy of the demo: a cut as of a day before the
demo's own cut-off holds only what happened by then, records the audit chain head and
every file's hash, verifies, and a cut whose files were altered fails verification naming
the files and the numbers that changed (exit code 1)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def cut(demo_dir: Path, cli, tmp_path_factory) -> dict[str, object]:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("cut")
    data = root / "demo"
    shutil.copytree(demo_dir, data)
    days = sqlite3.connect(data / "trial.sqlite3").execute(
        "SELECT randomized_on FROM edc_allocation ORDER BY randomized_on"
    )
    randomized = [dt.date.fromisoformat(d) for (d,) in days]
    cutoff = randomized[len(randomized) // 2]  # half the patients randomized by then
    assert cutoff < randomized[-1]
    done = cli(
        "cut",
        "make",
        "--cutoff",
        cutoff.isoformat(),
        "--out",
        str(root / "cut"),
        "--label",
        "interim 1",
        "--data-dir",
        str(data),
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return {"data": data, "folder": root / "cut", "cutoff": cutoff, "out": done.stdout}


def _csv(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / "analysis" / f"{name}.csv", keep_default_na=False, na_values=[""])


def test_the_cut_holds_only_data_dated_by_the_cutoff(cut: dict[str, object]) -> None:
    folder, cutoff = Path(str(cut["folder"])), cut["cutoff"]
    assert isinstance(cutoff, dt.date)
    adsl, adtte = _csv(folder, "adsl"), _csv(folder, "adtte")
    assert (pd.to_datetime(adsl["RANDDT"]).dt.date <= cutoff).all()
    assert (pd.to_datetime(adtte["ADT"]).dt.date <= cutoff).all()
    db = sqlite3.connect(Path(str(cut["data"])) / "trial.sqlite3")
    randomized = db.execute(
        "SELECT count(*) FROM edc_allocation WHERE randomized_on <= ?", (cutoff.isoformat(),)
    ).fetchone()[0]
    later = db.execute(
        "SELECT count(*) FROM edc_allocation WHERE randomized_on > ?", (cutoff.isoformat(),)
    ).fetchone()[0]
    assert len(adsl) == randomized and later > 0  # the cut-off leaves some patients out


def test_the_cut_is_recorded_with_the_chain_head_and_every_hash(
    cut: dict[str, object], cli
) -> None:  # type: ignore[no-untyped-def]
    from oligotrial.reports.cut_stamp import sha256_file

    folder, data = Path(str(cut["folder"])), Path(str(cut["data"]))
    body = json.loads((folder / "manifest.json").read_text())
    stamp, files = body["stamp"], body["files"]
    assert {
        "analysis/adsl.csv",
        "analysis/adtte.xpt",
        "protocol.json",
        "report-pooled.html",
        "report-dsmb.html",
    } <= set(files)
    assert all(sha256_file(folder / name) == digest for name, digest in files.items())
    db = sqlite3.connect(data / "trial.sqlite3")
    row = db.execute(
        "SELECT id, chain_seq, chain_head, files, manifest_sha256 FROM edc_datacut"
    ).fetchall()
    assert len(row) == 1
    cut_id, seq, head, recorded, manifest_hash = row[0]
    assert json.loads(recorded) == files and manifest_hash == sha256_file(folder / "manifest.json")
    entry = db.execute("SELECT hash FROM edc_auditentry WHERE seq = ?", (seq,)).fetchone()
    assert entry[0] == head == stamp["chain_head"]
    created = db.execute(
        "SELECT seq FROM edc_auditentry WHERE model = 'edc.DataCut' AND action = 'create'"
    ).fetchall()
    assert created == [(seq + 1,)]  # the cut's own entry follows the state it read
    for report in ("report-pooled.html", "report-dsmb.html"):
        text = (folder / report).read_text()
        assert f"Data cut {cut_id}" in text and head in text
        assert files["analysis/adtte.csv"] in text
    pooled = (folder / "report-pooled.html").read_text()
    assert "RT + continued FLST" not in pooled and "Early switch" not in pooled
    listed = cli("cut", "list", "--data-dir", str(data))
    assert listed.returncode == 0
    assert json.loads(listed.stdout)[0]["chain_head"] == head


def test_verify_passes_on_the_cut_and_names_what_was_altered(
    cut: dict[str, object],
    cli,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    folder, data = Path(str(cut["folder"])), Path(str(cut["data"]))
    ok = cli("cut", "verify", str(folder), "--database", "--data-dir", str(data))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "OK: " in ok.stdout
    altered = tmp_path / "altered"
    shutil.copytree(folder, altered)
    adtte = _csv(altered, "adtte")
    first = adtte.index[(adtte["PARAMCD"] == "PFS") & (adtte["CNSR"] == 0)][0]
    adtte.loc[first, "CNSR"] = 1  # one PFS event turned into a censoring
    adtte.to_csv(altered / "analysis" / "adtte.csv", index=False)
    (altered / "notes.txt").write_text("added later")
    (altered / "analysis" / "adae.xpt").unlink()
    bad = cli("cut", "verify", str(altered))
    assert bad.returncode == 1, bad.stdout + bad.stderr
    out = bad.stdout
    assert "ALTERED   analysis/adtte.csv" in out
    assert "MISSING   analysis/adae.xpt" in out
    assert "UNEXPECTED notes.txt" in out
    events = [line for line in out.splitlines() if "report-pooled.html" in line]
    assert any("PFS" not in line and " of " in line for line in events), out  # "n of planned"
    assert "NOT VERIFIED" in out


def test_bad_input_writes_nothing(cut: dict[str, object], cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = Path(str(cut["data"]))
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    for args, message in (
        (("--cutoff", future), "is in the future"),
        (("--cutoff", "2025-13-01"), "is not a date"),
        (("--cutoff", "2025-01-01", "--user", "monitor"), "needs one of the roles statistician"),
    ):
        done = cli("cut", "make", *args, "--out", str(tmp_path / "x"), "--data-dir", str(data))
        assert done.returncode == 2 and message in done.stderr, done.stderr
        assert not (tmp_path / "x").exists()
    db = sqlite3.connect(data / "trial.sqlite3")
    assert db.execute("SELECT count(*) FROM edc_datacut").fetchone()[0] == 1
