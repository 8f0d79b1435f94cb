"""Reading the audit trail as the trial office does: filtered by patient, user, field and
date, a page at a time or exported whole (21 CFR 11.10(e): the trail is available for
review and copying). Data managers read every site; a monitor bound to a site, its entries.
The allocation list's own entries are never shown here (see :data:`CONCEALED`).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import JSONField, QuerySet
from django.db.models.functions import Cast

from oligotrial.edc.models import AuditEntry, Role, Staff
from oligotrial.edc.services.access import current_actor, require_role
from oligotrial.edc.services.validation import require_text
from oligotrial.errors import InputError

READERS = frozenset({Role.DATA_MANAGER, Role.MONITOR})
COLUMNS = (
    "seq", "at", "actor", "role", "action", "model", "object_id", "patient", "site",
    "changes", "reason", "hash",
)  # fmt: skip
_FIELD = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
#: the allocation list's entries (its seed and fingerprint regenerate the list, its slots
#: are the sequence itself): concealed from the trial office, as the list is (ICH E9 2.3.2;
#: the statistician reads the list itself with ``oligotrial randomization``)
CONCEALED = ("edc.AllocationList", "edc.AllocationSlot", "edc.StratumCursor")


@dataclass(frozen=True)
class AuditFilter:
    """What to show; empty values do not filter."""

    patient: str = ""
    user: str = ""
    field: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def _date(value: object, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(require_text(value, name, max_length=10))
    except ValueError:
        raise InputError(name, f"{value!r} is not a date (YYYY-MM-DD)") from None


def parse_filter(params: dict[str, object]) -> AuditFilter:
    """The filter from form values (text), each checked; a bad one names its field."""
    text = {
        k: require_text(params.get(k) or "", k, max_length=150).strip()
        for k in ("patient", "user", "field")
    }
    if text["field"] and not _FIELD.match(text["field"]):
        raise InputError("field", f"{text['field']!r} is not a field name (e.g. grade)")
    since, until = _date(params.get("since"), "since"), _date(params.get("until"), "until")
    if since and until and since > until:
        raise InputError("until", f"{until} is before {since}")
    return AuditFilter(text["patient"], text["user"], text["field"], since, until)


def audit_entries(actor: Staff, f: AuditFilter) -> QuerySet[AuditEntry]:
    """The entries the actor may read that pass ``f``, newest first (one flat table: no
    related rows are read per entry)."""
    staff = current_actor(actor)
    require_role(staff, READERS, "reading the audit trail")
    qs = AuditEntry.objects.order_by("-seq").exclude(model__in=CONCEALED)
    if staff.role == Role.MONITOR and staff.site is not None:
        qs = qs.filter(site=staff.site.code)
    if f.patient:
        qs = qs.filter(patient=f.patient)
    if f.user:
        qs = qs.filter(actor=f.user)
    if f.field:  # a changed field is a key of the changes object, not a key nested in a value
        qs = qs.filter(changes__contains=f'"{f.field}":').alias(
            change_keys=Cast("changes", JSONField())
        )
        qs = qs.filter(change_keys__has_key=f.field)
    if f.since:
        qs = qs.filter(at__gte=dt.datetime.combine(f.since, dt.time(), tzinfo=dt.UTC))
    if f.until:
        end = dt.datetime.combine(f.until + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        qs = qs.filter(at__lt=end)
    return qs


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    """The entries as CSV lines (header first), read in chunks: memory stays flat."""
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for row in entries.values_list(*COLUMNS).iterator(chunk_size=2000):
        values = list(row)
        values[1] = values[1].astimezone(dt.UTC).isoformat()
        yield writer.writerow(values)
