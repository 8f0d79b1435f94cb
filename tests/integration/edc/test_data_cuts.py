"""Making a data cut through the service, on SQLite and PostgreSQL: the cut keeps only
patients randomized by the cut-off, records the audit chain head it read and every file's
hash in an audited row; refused input and refused roles write nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from edc_support import TODAY, Trial, TrialDb, build_trial, enrol

from oligotrial.edc import services
from oligotrial.edc.models import AuditEntry, ChainHead, DataCut
from oligotrial.edc.services.data_cuts import make_cut
from oligotrial.errors import InputError, PermissionDenied, StateError
from oligotrial.reports.cut_stamp import sha256_file


def _trial() -> Trial:
    t = build_trial()
    c = t.coord["S01"]
    for k, day in enumerate((TODAY - dt.timedelta(days=8), TODAY - dt.timedelta(days=4), TODAY)):
        number = f"S01-00{k + 1}"
        enrol(c, number)
        services.randomize(c, number, randomized_on=day)
    return t


def test_a_cut_keeps_what_is_dated_by_its_cutoff_and_records_its_proof(
    trial_db: TrialDb, tmp_path: Path
) -> None:
    t = _trial()
    head = ChainHead.objects.get(id=1)
    cut = make_cut(t.stat, TODAY - dt.timedelta(days=2), tmp_path / "cut", label="interim 1")
    assert cut.patients == 2  # the third was randomized after the cut-off
    assert (cut.chain_seq, cut.chain_head) == (head.seq, head.hash)
    entry = AuditEntry.objects.get(model="edc.DataCut", object_id=str(cut.pk))
    assert entry.seq == head.seq + 1 and entry.actor == "stat" and entry.action == "create"
    folder = tmp_path / "cut"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["files"] == cut.files
    assert all(sha256_file(folder / name) == digest for name, digest in cut.files.items())
    assert cut.manifest_sha256 == sha256_file(folder / "manifest.json")
    adsl = (folder / "analysis" / "adsl.csv").read_text()
    assert "S01-001" in adsl and "S01-002" in adsl and "S01-003" not in adsl
    assert head.hash in (folder / "report-pooled.html").read_text()
    assert not list(tmp_path.glob(".cut.*"))  # no staging folder left behind


@pytest.mark.parametrize(
    ("who", "cutoff", "out", "error", "message"),
    [
        ("dm", TODAY, "cut", PermissionDenied, "needs one of the roles statistician"),
        ("stat", TODAY + dt.timedelta(days=2), "cut", InputError, "is in the future"),
        ("stat", "yesterday", "cut", InputError, "cutoff: 'yesterday' is not a date"),
        ("stat", TODAY, "missing/cut", InputError, "is not a folder"),
        ("stat", TODAY - dt.timedelta(days=9), "cut", StateError, "no randomized patient"),
    ],
)
def test_refused_cuts_write_nothing(
    trial_db: TrialDb,
    tmp_path: Path,
    who: str,
    cutoff: object,
    out: str,
    error: type[Exception],
    message: str,
) -> None:
    t = _trial()
    actor = {"dm": t.dm, "stat": t.stat}[who]
    entries = AuditEntry.objects.count()
    root = tmp_path / "cuts"
    root.mkdir()
    with pytest.raises(error, match=message):
        make_cut(actor, cutoff, root / out)
    assert DataCut.objects.count() == 0 and list(root.iterdir()) == []
    # bad input writes nothing; a refused role writes only the audited refusal
    refusals = 1 if error is PermissionDenied else 0
    assert AuditEntry.objects.count() == entries + refusals
    if refusals:
        entry = AuditEntry.objects.order_by("-seq").first()
        assert entry is not None and (entry.actor, entry.action) == ("dm", "refused")
        assert "making a data cut" in entry.changes


def test_the_by_arm_report_is_refused_to_all_but_the_statistician_and_the_refusal_audited(
    trial_db: TrialDb, tmp_path: Path
) -> None:
    from oligotrial.edc.services.data_cuts import get_cut

    t = _trial()
    cut = make_cut(t.stat, TODAY - dt.timedelta(days=2), tmp_path / "cut")
    assert get_cut(t.dm, cut.pk) == cut  # the pooled report: the trial office reads it
    assert get_cut(t.stat, cut.pk, by_arm=True) == cut
    entries = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied, match="by-arm report of data cut"):
        get_cut(t.dm, cut.pk, by_arm=True)
    assert AuditEntry.objects.count() == entries + 1
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None and (entry.actor, entry.action) == ("dm", "refused")
