"""The append-only, hash-chained audit trail.

Each entry's hash is HMAC-SHA256 under the audit key (kept outside the database) over the
canonical JSON of its content, the previous entry's hash and the chain id; the chain head
row holds the last sequence number and hash and is locked while entries are appended, so the
chain has one tail (21 CFR 11.10(e); ICH E6(R3) 3.16.1). Triggers refuse any change to an
entry and any head that does not point at the last entry (migrations 0002 and 0004).
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
    """One row (id 1): the sequence number and hash of the last entry, and the chain's identity.

    ``chain_id`` (set with the first keyed entry) names the chain in the signed checkpoints;
    ``key_id`` names the key that signs it; entries before ``keyed_from`` (written before the
    key existed) carry plain SHA-256 hashes.
    """

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    chain_id = models.CharField(max_length=32, blank=True, default="")
    key_id = models.CharField(max_length=16, blank=True, default="")
    keyed_from = models.BigIntegerField(default=1)
