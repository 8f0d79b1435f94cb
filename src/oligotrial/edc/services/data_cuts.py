"""Making a data cut: the statistician fixes a cut-off date; the cut is read, written and
recorded in one transaction.

In one database snapshot (PostgreSQL: repeatable read; SQLite: the writer lock of ``BEGIN
IMMEDIATE``) the service reads the audit chain head and every randomized patient as of the
cut-off (:mod:`.data_cut_asof`), derives the analysis data sets on the path of ``oligotrial
report`` (:mod:`oligotrial.demo.analysis`), writes them (CSV and SAS XPT v5) and the
protocol to a new folder, derives the pooled and the DSMB report from those files
(:mod:`oligotrial.reports.cut_reports`), and records a :class:`DataCut` with the chain head
and the SHA-256 of every file, audited. A change committed meanwhile moves the head: the
snapshot cannot be serialised, and the whole cut is made again on the new state.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from pathlib import Path

from django.db import connection
from django.utils import timezone

from oligotrial.edc.models import (
    ChainHead,
    DataCut,
    Role,
    Screening,
    Staff,
    TrialState,
    Visit,
)
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import current_actor, require_role
from oligotrial.edc.services.data_cut_asof import as_of
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import require_text
from oligotrial.edc.trial_config import current_protocol
from oligotrial.errors import InputError, PermissionDenied
from oligotrial.reports.cut_stamp import (
    DATA_FOLDER,
    CutStamp,
    hash_files,
    sha256_file,
    write_manifest,
)

CUT_ROLES = frozenset({Role.STATISTICIAN})
#: who may list cuts and read the pooled report (the by-arm report: statisticians only)
POOLED_READERS = frozenset({Role.STATISTICIAN, Role.DATA_MANAGER, Role.MONITOR, Role.ADMIN})


def check_cutoff(value: object, today: dt.date | None = None) -> dt.date:
    """The cut-off as a date, not after today."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise InputError("cutoff", f"{value!r} is not a date (YYYY-MM-DD)") from None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InputError("cutoff", "give the cut-off as a date (YYYY-MM-DD)")
    if value > (today or timezone.localdate()):
        raise InputError("cutoff", f"{value.isoformat()} is in the future")
    return value


def check_folder(value: object) -> Path:
    """A folder that does not exist yet, or is empty, under an existing parent."""
    if not isinstance(value, str | Path) or not str(value).strip():
        raise InputError("out", "give the folder to write the cut to")
    folder = Path(value).expanduser().absolute()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputError("out", f"{folder} exists and is not an empty folder")
    if not folder.parent.is_dir():
        raise InputError("out", f"{folder.parent} is not a folder")
    return folder


def _dates(ids: list[str]) -> tuple[dict[str, dt.date], dict[tuple[str, int], dt.date | None]]:
    screened: dict[str, dt.date] = {}
    for number, day in Screening.objects.filter(patient__screening_number__in=ids).values_list(
        "patient__screening_number", "screened_on"
    ):
        screened[number] = min(day, screened.get(number, day))
    visits = {
        (number, n): (done if status == "done" else due)
        for number, n, status, done, due in Visit.objects.filter(
            patient__screening_number__in=ids
        ).values_list("patient__screening_number", "number", "status", "visit_date", "due_date")
    }
    return screened, visits


def _write(staging: Path, actor: Staff, cutoff: dt.date, stamp: CutStamp) -> tuple[CutStamp, int]:
    """Write the data sets, the protocol and the reports; returns the final stamp."""
    from oligotrial.demo.analysis import analysis_data
    from oligotrial.demo.outputs import write_datasets
    from oligotrial.edc.export import extract
    from oligotrial.reports.cut_reports import render_cut_reports, write_protocol

    # read everything (follow-up to today), then keep what is dated by the cut-off
    raw = extract(actor, data_cutoff=max(timezone.localdate(), cutoff))
    screened, visits = _dates([row["SCRID"] for row in raw.screening])
    data = analysis_data(as_of(raw, cutoff, screened_on=screened, visit_days=visits))
    write_datasets(data, staging / DATA_FOLDER)
    write_protocol(staging, current_protocol())
    final = CutStamp(**{**stamp.__dict__, "sources": hash_files(staging)})
    for name, text in render_cut_reports(staging, final).items():
        (staging / name).write_text(text, encoding="utf-8")
    return final, len(data.adsl)


def make_cut(actor: Staff, cutoff: object, out: object, *, label: str = "") -> DataCut:
    """Make a data cut at ``cutoff`` into the new folder ``out`` (module docstring); a user
    without the statistician's role is refused, and the refusal audited."""
    _refused_unless(actor, CUT_ROLES, "making a data cut")
    return _make_cut(actor, cutoff, out, label=label)


@atomic_service
def _make_cut(actor: Staff, cutoff: object, out: object, *, label: str) -> DataCut:
    if connection.vendor == "postgresql":  # before any read: one snapshot for the whole cut
        with connection.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    require_role(actor, CUT_ROLES, "making a data cut")
    staff = current_actor(actor)
    day = check_cutoff(cutoff)
    folder = check_folder(out)
    text = require_text(label, "label", max_length=80).strip()
    head = ChainHead.objects.filter(id=1).first()
    made_at = timezone.now()
    cut = DataCut.objects.create(
        cutoff=day,
        label=text,
        made_at=made_at,
        made_by=staff,
        folder=str(folder),
        chain_id=head.chain_id if head else "",
        chain_seq=head.seq if head else 0,
        chain_head=head.hash if head else "",
    )
    stamp = CutStamp(
        cut_id=cut.pk,
        cutoff=day,
        made_at=made_at,
        made_by=staff.username,
        chain_id=cut.chain_id,
        chain_seq=cut.chain_seq,
        chain_head=cut.chain_head,
        protocol_id=current_protocol().id,
        protocol_version=current_protocol().version,
        label=text,
    )
    staging = folder.parent / f".{folder.name}.{uuid.uuid4().hex[:8]}.partial"
    try:
        staging.mkdir()
        stamp, patients = _write(staging, staff, day, stamp)
        files = hash_files(staging)
        manifest = write_manifest(staging, stamp, files)
        cut.files, cut.patients = files, patients
        cut.manifest_sha256 = sha256_file(manifest)
        cut.save(update_fields=["files", "patients", "manifest_sha256"])
        if folder.exists():
            folder.rmdir()  # empty (checked above)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    audit.append(staff, "create", cut, audit.changes_between(None, audit.snapshot(cut)))
    return cut


def _refused_unless(actor: Staff, roles: frozenset[str], action: str) -> None:
    """``require_role``, with the refusal written to the audit trail before it is raised:
    who tried to make a cut or read results by arm is what a regulator asks."""
    try:
        require_role(actor, roles, action)
    except PermissionDenied as exc:
        _record_refusal(actor, action, str(exc))
        raise


@atomic_service
def _record_refusal(actor: Staff, action: str, problem: str) -> None:
    state, _ = TrialState.objects.get_or_create(id=1)
    audit.append(current_actor(actor), "refused", state, {"action": [None, action]}, reason=problem)


def list_cuts(actor: Staff) -> list[DataCut]:
    """Every cut, newest first (trial office roles)."""
    require_role(actor, POOLED_READERS, "listing the data cuts")
    return list(DataCut.objects.select_related("made_by"))


def get_cut(actor: Staff, cut_id: int, *, by_arm: bool = False) -> DataCut:
    """A cut, for reading its pooled report (trial office roles) or, ``by_arm``, its DSMB
    report (the statistician only); a refusal of the by-arm report is audited."""
    if by_arm:
        _refused_unless(actor, CUT_ROLES, f"reading the by-arm report of data cut {cut_id}")
    require_role(actor, POOLED_READERS, "reading a data cut")
    cut = DataCut.objects.select_related("made_by").filter(pk=cut_id).first()
    if cut is None:
        raise InputError("cut", f"no data cut {cut_id}")
    return cut


def compare_with_record(folder: object, cut_id: int) -> list[str]:
    """What differs between a cut's folder and its database record: the manifest's hash,
    the files and the chain head; and whether that head is still an entry of the chain."""
    from oligotrial.edc.models import AuditEntry
    from oligotrial.reports.cut_stamp import MANIFEST, read_manifest

    path = Path(str(folder))
    cut = DataCut.objects.filter(pk=cut_id).first()
    if cut is None:
        return [f"the database holds no data cut {cut_id}"]
    stamp, files = read_manifest(path)
    out = []
    if (path / MANIFEST).is_file() and sha256_file(path / MANIFEST) != cut.manifest_sha256:
        out.append(f"{MANIFEST} is not the manifest recorded with cut {cut_id}")
    for name in sorted(set(cut.files) | set(files)):
        if cut.files.get(name) != files.get(name):
            out.append(f"{name}: the manifest's SHA-256 is not the one recorded")
    if (stamp.chain_seq, stamp.chain_head) != (cut.chain_seq, cut.chain_head):
        out.append("the manifest's audit chain head is not the one recorded")
    entry = AuditEntry.objects.filter(seq=cut.chain_seq).first()
    if cut.chain_seq and (entry is None or entry.hash != cut.chain_head):
        out.append(f"audit entry {cut.chain_seq} no longer has the recorded hash")
    return out
