"""Correcting one field of a stored screening record, and the history of its versions.

A correction addresses a field by its dotted path in the record (``labs.albumin.value``;
list items by index: ``oligoprogression.lesions.0.longest_diameter_mm``), needs a reason,
and validates the whole corrected record with the same strict model as at screening (a bad
value: :class:`InputError` naming the path, nothing written). The corrected record is
stored as a new version, audited field by field (old, new, reason), and the engine runs
again on it (21 CFR 11.10(e); ICH E6(R3) 4.2: changes to source data are attributable,
explained and do not obscure the original).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

from oligotrial.edc.models import Screening, Staff
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import (
    ENTRY_ROLES,
    readable_patient,
    require_role,
    require_unlocked,
)
from oligotrial.edc.services.screening_engine import (
    latest_screening,
    run_engine,
    store_version,
    validate_record,
)
from oligotrial.edc.services.screening_state import apply_evaluation, locked_patient
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.errors import InputError, StateError

FIXED = frozenset({"patient_id"})


def _json_value(value: Any, field: str) -> Any:
    try:
        return json.loads(json.dumps(value, default=str, allow_nan=False))
    except ValueError:
        raise InputError(
            field, "NaN and infinity are not values; leave it null if unknown"
        ) from None
    except TypeError:
        raise InputError(field, f"{type(value).__name__} is not a JSON value") from None


def set_path(record: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``record`` with ``value`` at ``path``; the path must name an existing field."""
    field = f"record.{path}"
    parts = path.split(".") if isinstance(path, str) else []
    if not parts or any(not p.strip() for p in parts):
        raise InputError("path", f"{path!r} is not a dotted field path (e.g. labs.albumin.value)")
    if parts[0] in FIXED:
        raise InputError(field, "the patient id cannot be corrected; screen the patient anew")
    out = copy.deepcopy(record)
    node: Any = out
    for depth, key in enumerate(parts):
        here = ".".join(parts[:depth]) or "the record"
        last = depth == len(parts) - 1
        if isinstance(node, dict):
            if key not in node:
                raise InputError(field, f"{key!r} is not a field of {here}")
        elif isinstance(node, list):
            if not key.isdigit() or int(key) >= len(node):
                raise InputError(field, f"{here} has items 0 to {len(node) - 1}, not {key!r}")
        else:
            raise InputError(
                field, f"{here} is not recorded (null); correct {here} as a whole instead"
            )
        index: Any = int(key) if isinstance(node, list) else key
        if last:
            node[index] = _json_value(value, field)
        else:
            node = node[index]
    return out


def _leaves(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _leaves(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and value:
        for i, item in enumerate(value):
            yield from _leaves(item, f"{prefix}.{i}")
    else:
        yield prefix, value


def record_changes(old: Any, new: Any) -> dict[str, list[Any]]:
    """``{path: [old, new]}`` for every leaf of the record that differs."""
    before, after = dict(_leaves(old or {}, "")), dict(_leaves(new or {}, ""))
    return {
        path: [before.get(path), after.get(path)]
        for path in sorted(set(before) | set(after))
        if before.get(path) != after.get(path)
    }


@atomic_service
def correct_screening_record(
    actor: Staff, screening_number: str, *, path: str, value: Any, reason: str
) -> Screening:
    """Set the field at ``path`` of the patient's stored record to ``value``; returns the new
    record version (a :class:`Screening`) with the engine's new verdicts."""
    require_unlocked()
    if not isinstance(reason, str) or not reason.strip():
        raise InputError("reason", "a reason is required to correct a screening record")
    require_role(actor, ENTRY_ROLES, "correcting a screening record")
    patient = locked_patient(actor, screening_number)
    current = latest_screening(patient)
    if current is None or current.record is None:
        raise StateError(
            f"patient {screening_number} has no stored screening record; screen the patient"
        )
    corrected = set_path(current.record, path, value)
    try:
        record = validate_record(corrected)
    except InputError as exc:
        where = exc.field.removeprefix("record.")
        problem = exc.problem if where.startswith(path) else f"{where}: {exc.problem}"
        raise InputError(f"record.{path}", problem) from None
    evaluation = run_engine(record)
    changes = record_changes(current.record, evaluation.data)
    if not changes:
        raise InputError(f"record.{path}", "the new value equals the recorded one")
    screening = store_version(actor, patient, evaluation, origin="correction", reason=reason)
    audit.append(
        actor,
        "correction",
        screening,
        {f"record.{p}": change for p, change in changes.items()},
        reason=reason,
        patient=patient,
    )
    apply_evaluation(actor, patient, evaluation, screening, reason=reason)
    return screening


def _verdict_changes(before: list[Any], after: list[Any]) -> list[dict[str, Any]]:
    old = {v["id"]: v["status"] for v in before}
    return [
        {"id": v["id"], "before": old.get(v["id"]), "after": v["status"]}
        for v in after
        if old.get(v["id"]) != v["status"]
    ]


def screening_history(actor: Staff, screening_number: str) -> list[dict[str, Any]]:
    """Every record version of the patient, oldest first, with what changed in the record
    and which verdicts changed against the version before."""
    patient = readable_patient(actor, screening_number)
    out: list[dict[str, Any]] = []
    previous = None
    for s in patient.screenings.order_by("version"):
        out.append(
            {
                "version": s.version,
                "origin": s.origin,
                "reason": s.reason,
                "screened_on": s.screened_on,
                "evaluated_at": s.evaluated_at,
                "overall": s.overall or ("eligible" if s.eligible else "not eligible"),
                "eligible": s.eligible,
                "protocol": f"{s.protocol_id} {s.protocol_version}",
                "software_version": s.software_version,
                "record_schema": s.record_schema,
                "strata": dict(s.strata),
                "facts": dict(s.facts),
                "record": s.record,
                "record_changes": record_changes(previous.record, s.record) if previous else {},
                "verdict_changes": _verdict_changes(previous.verdicts, s.verdicts)
                if previous
                else [],
            }
        )
        previous = s
    return out
