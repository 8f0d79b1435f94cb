"""The append-only, hash-chained audit trail.

Each entry's hash is SHA-256 over the canonical JSON of its content and the previous entry's
hash; the chain head row holds the last sequence number and hash and is locked while an
entry is appended, so the chain has one tail (21 CFR 11.10(e); ICH E6(R3) 3.16.1).
"""

from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()  # UTC
    actor = models.CharField(max_length=150)
    role = models.CharField(max_length=20)
    action = models.CharField(max_length=20)  # create | update | delete | randomize | lock ...
    model = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    patient = models.CharField(max_length=32, blank=True, db_index=True)  # screening number
    site = models.CharField(max_length=16, blank=True)
    changes = models.TextField()  # canonical JSON {field: [old, new]}
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ("seq",)


class ChainHead(models.Model):
    """One row (id 1): the sequence number and hash of the last entry."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
