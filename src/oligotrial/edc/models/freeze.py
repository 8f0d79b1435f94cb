"""Frozen data: a form (one record), a visit or a whole patient that no one may change.

A data manager freezes data once cleaned; every write to it is refused in the service layer
until a data manager releases it (with a reason). Rows are kept after release, so when and
why data was frozen stays readable.
"""

from __future__ import annotations

from django.db import models

from oligotrial.edc.models.patients import Patient
from oligotrial.edc.models.sites import Staff
from oligotrial.edc.models.visits import Visit


class FreezeScope(models.TextChoices):
    PATIENT = "patient", "Patient"
    VISIT = "visit", "Visit"
    FORM = "form", "Form"


class Freeze(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="freezes")
    scope = models.CharField(max_length=8, choices=FreezeScope.choices)
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT)
    #: the frozen form (scope "form"): a record kind (services.kinds) and the record's id
    kind = models.CharField(max_length=20, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    frozen_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    frozen_at = models.DateTimeField()
    reason = models.TextField()
    released_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)

    class Meta:
        ordering = ("patient", "frozen_at", "id")
