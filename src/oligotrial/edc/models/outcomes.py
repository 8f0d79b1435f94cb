"""Death, and the end of follow-up by withdrawal or loss to follow-up."""

from __future__ import annotations

from django.db import models

from oligotrial.edc.models.patients import Patient


class Death(models.Model):
    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="death")
    death_date = models.DateField()
    cause = models.CharField(
        max_length=20,
        choices=[
            ("progression", "Disease progression"),
            ("adverse_event", "Adverse event"),
            ("other", "Other"),
            ("unknown", "Unknown"),
        ],
    )


class Withdrawal(models.Model):
    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="withdrawal")
    kind = models.CharField(
        max_length=20,
        choices=[("withdrawal", "Withdrew consent"), ("lost", "Lost to follow-up")],
    )
    last_known_alive = models.DateField()
    effective_date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)
