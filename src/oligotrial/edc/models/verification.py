"""Source data verification: a monitor's check of one recorded value against the source.

One row per verified field of one record (kind, record id, field). A later change of that
value turns the row to ``changed`` (when and why kept), so the loss of verification shows
where the value is read; a new verification sets it back (ICH E6(R3) 3.11.4, 5.18.4).
"""

from __future__ import annotations

from django.db import models

from oligotrial.edc.models.patients import Patient
from oligotrial.edc.models.sites import Site, Staff


class VerificationState(models.TextChoices):
    VERIFIED = "verified", "Verified"
    CHANGED = "changed", "Changed since verification"


class SourceVerification(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="verifications")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="verifications")
    kind = models.CharField(max_length=20)  # a record kind (services.kinds)
    object_id = models.CharField(max_length=40)
    field = models.CharField(max_length=60)
    state = models.CharField(max_length=8, choices=VerificationState.choices)
    verified_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="verifications")
    verified_at = models.DateTimeField()
    changed_at = models.DateTimeField(null=True, blank=True)
    change_reason = models.TextField(blank=True)

    class Meta:
        ordering = ("site", "patient", "kind", "object_id", "field")
        constraints = (
            models.UniqueConstraint(
                fields=("kind", "object_id", "field"), name="one_verification_per_field"
            ),
        )
