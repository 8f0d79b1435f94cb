"""Investigator e-signatures of a patient's casebook or of one visit (21 CFR 11.50, 11.70).

A signature records who signed (and the printed name shown at signing), when (UTC), what it
means, and the SHA-256 of the canonical serialisation of what was signed. A later change of
signed data voids it: ``voided_at`` and ``void_reason`` say when and by which change; the row
itself is never deleted, so the void shows where the signature is read.
"""

from __future__ import annotations

from django.db import models

from oligotrial.edc.models.patients import Patient
from oligotrial.edc.models.sites import Staff
from oligotrial.edc.models.visits import Visit


class SignatureScope(models.TextChoices):
    CASEBOOK = "casebook", "Casebook"
    VISIT = "visit", "Visit"


class Signature(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="signatures")
    scope = models.CharField(max_length=10, choices=SignatureScope.choices)
    #: the signed visit (scope "visit"); null for a whole casebook
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT)
    signer = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="signatures")
    printed_name = models.CharField(max_length=200)
    meaning = models.CharField(max_length=100)
    signed_at = models.DateTimeField()  # UTC
    content_hash = models.CharField(max_length=64)  # SHA-256 hex of the signed content
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(blank=True)

    class Meta:
        ordering = ("patient", "signed_at", "id")
