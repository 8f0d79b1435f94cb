"""Biosamples: ctDNA draws and biopsies at the protocol's time points."""

from __future__ import annotations

from django.db import models

from oligotrial.edc.models.patients import Patient


class Biosample(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="samples")
    kind = models.CharField(max_length=8, choices=[("ctdna", "ctDNA"), ("biopsy", "Biopsy")])
    time_point = models.CharField(max_length=40)
    identifier = models.CharField(max_length=64, unique=True)
    collected_on = models.DateField()
