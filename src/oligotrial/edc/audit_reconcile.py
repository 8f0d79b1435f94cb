"""Reconciliation: replay the audit trail and compare every clinical row with it.

Every write goes through a service that records the change in the audit trail, so replaying
the trail (``create`` entries carry every field, later entries every changed field) rebuilds
each row. A row whose table value differs from the replay, a row with no entry (inserted
in SQL) and an entry whose row is gone (deleted in SQL) are listed with the table, row id,
field, and both values. A field absent from a row's entries was empty (``None``) when the row
was created (entries omit unchanged fields), or is a column added since: it must hold
``None`` or the column's default.

Not reconciled: the trail itself and its head (verified by :mod:`audit_verify`), the
allocation slots and stratum cursors (the concealed list; checked against its seed by
``randomization verify``), two fields of the allocation list: the seed (masked in the
trail) and the counter ``allocated`` (checked against the allocations instead), and two of an
API token: its hash (never in the trail, 21 CFR 11.300) and ``last_used_at`` (a usage note the
token check writes, not trial data).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from oligotrial.edc.audit_verify import consistent_snapshot
from oligotrial.edc.services.audit import json_value as _json

APP = "edc"
NOT_RECONCILED = frozenset(
    {"edc.AuditEntry", "edc.ChainHead", "edc.AllocationSlot", "edc.StratumCursor"}
)
UNAUDITED_FIELDS: dict[str, frozenset[str]] = {
    "edc.AllocationList": frozenset({"seed", "allocated"}),
    "edc.ApiToken": frozenset({"token_hash", "last_used_at"}),
}
#: Rows the migrations create (no audit entry), with the values they are created with.
SEEDED: dict[tuple[str, str], dict[str, Any]] = {
    ("edc.TrialState", "1"): {"id": 1, "locked": False, "locked_at": None, "locked_by": ""},
}


@dataclass(frozen=True)
class Difference:
    """One disagreement between the trail and a table."""

    table: str
    model: str
    row: str
    field: str  # "" for a whole row added or removed
    audit: Any  # the value the trail leads to
    found: Any  # the value in the table
    problem: str  # changed | added | removed | derived


@dataclass(frozen=True)
class ReconcileReport:
    ok: bool
    entries: int
    rows: int
    differences: tuple[Difference, ...]
    total_differences: int
    seconds: float


def replay(entries: Iterator[tuple[str, str, str, str]]) -> dict[str, dict[str, dict[str, Any]]]:
    """``{model: {row id: {field: value}}}`` from (model, object id, action, changes)."""
    state: dict[str, dict[str, dict[str, Any]]] = {}
    for (model, object_id), seeded in SEEDED.items():
        state.setdefault(model, {})[object_id] = dict(seeded)
    for model, object_id, action, changes in entries:
        if model in NOT_RECONCILED:
            continue
        rows = state.setdefault(model, {})
        if action == "delete":
            rows.pop(object_id, None)
            continue
        row = rows.setdefault(object_id, {})
        for field, pair in json.loads(changes).items():
            row[field] = pair[1]
    return state


def _same(field: models.Field[Any, Any], trail: Any, found: Any) -> bool:
    """Equal once the trail's JSON value is read back as the field's Python value."""
    if trail == found:
        return True
    if trail is None or found is None:
        return False
    try:
        return bool(_json(field.to_python(trail)) == found)
    except (ValidationError, TypeError, ValueError):
        return False


def _compare(
    model: type[models.Model], expected: dict[str, dict[str, Any]], out: list[Difference]
) -> int:
    label, table = model._meta.label, model._meta.db_table
    skip = UNAUDITED_FIELDS.get(label, frozenset())
    fields = [f for f in model._meta.concrete_fields if f.attname not in skip]
    names = [f.attname for f in fields]
    pk_at = names.index(model._meta.pk.attname)
    defaults = {f.attname: _json(f.get_default()) for f in fields}
    seen: set[str] = set()
    count = 0
    for values in model._default_manager.order_by().values_list(*names).iterator(chunk_size=5000):
        count += 1
        pk = str(values[pk_at])
        row = expected.get(pk)
        if row is None:
            out.append(Difference(table, label, pk, "", None, "row present", "added"))
            continue
        seen.add(pk)
        for field, value in zip(fields, values, strict=True):
            found = _json(value)
            if field.attname not in row and (found is None or found == defaults[field.attname]):
                continue  # empty at creation, or a column added since
            trail = row.get(field.attname)
            if not _same(field, trail, found):
                out.append(Difference(table, label, pk, field.attname, trail, found, "changed"))
    for pk in sorted(set(expected) - seen):
        out.append(Difference(table, label, pk, "", "row recorded", None, "removed"))
    return count


def _derived(out: list[Difference]) -> None:
    """The allocation list's counter equals its allocations (the counter is not audited)."""
    lists = apps.get_model(APP, "AllocationList")
    for pk, allocated, made in lists.objects.annotate(made=models.Count("allocation")).values_list(
        "pk", "allocated", "made"
    ):
        if allocated != made:
            out.append(
                Difference(
                    lists._meta.db_table,
                    lists._meta.label,
                    str(pk),
                    "allocated",
                    made,
                    allocated,
                    "derived",
                )
            )


def reconcile(max_differences: int = 200) -> ReconcileReport:
    """Compare every reconciled table with the replayed trail, in one snapshot."""
    started = time.perf_counter()
    entries_model = apps.get_model(APP, "AuditEntry")
    with consistent_snapshot():
        rows = entries_model.objects.order_by("seq").values_list(
            "model", "object_id", "action", "changes"
        )
        counted = [0]

        def counting() -> Iterator[tuple[str, str, str, str]]:
            for row in rows.iterator(chunk_size=5000):
                counted[0] += 1
                yield row

        state = replay(counting())
        differences: list[Difference] = []
        total_rows = 0
        for model in apps.get_app_config(APP).get_models():
            if model._meta.label in NOT_RECONCILED:
                continue
            total_rows += _compare(model, state.get(model._meta.label, {}), differences)
        _derived(differences)
    return ReconcileReport(
        not differences,
        counted[0],
        total_rows,
        tuple(differences[:max_differences]),
        len(differences),
        round(time.perf_counter() - started, 3),
    )
