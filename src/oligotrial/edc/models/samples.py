"""Biosamples: ctDNA draws and biopsies at the protocol's time points, followed from draw to
result (status, processing, shipment, receipt, storage) with a chain-of-custody log."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from oligotrial.edc.models.patients import Patient
from oligotrial.edc.models.sites import Staff


class SampleStatus(models.TextChoices):
    """Where a sample is on its way; ``expected`` samples have no row (the schedule says)."""

    COLLECTED = "collected", "Collected"
    SHIPPED = "shipped", "Shipped"
    RECEIVED = "received", "Received"
    ANALYSED = "analysed", "Analysed"
    MISSING = "missing", "Missing"


class Biosample(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="samples")
    kind = models.CharField(max_length=8, choices=[("ctdna", "ctDNA"), ("biopsy", "Biopsy")])
    time_point = models.CharField(max_length=40)
    identifier = models.CharField(max_length=64, unique=True)
    collected_on = models.DateField(null=True, blank=True)  # none for a missing sample
    status = models.CharField(
        max_length=10, choices=SampleStatus.choices, default=SampleStatus.COLLECTED
    )
    processed_on = models.DateField(null=True, blank=True)
    shipped_on = models.DateField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)
    storage_location = models.CharField(max_length=120, blank=True)
    missing_reason = models.CharField(max_length=200, blank=True)


class CustodyEvent(models.Model):
    """One hand-over or handling step of a sample (who, when, where); also audited."""

    sample = models.ForeignKey(Biosample, on_delete=models.PROTECT, related_name="custody")
    event = models.CharField(
        max_length=10,
        choices=[
            ("collected", "Collected"),
            ("processed", "Processed"),
            ("shipped", "Shipped"),
            ("received", "Received"),
            ("analysed", "Analysed"),
            ("missing", "Missing"),
        ],
    )
    on = models.DateField()
    location = models.CharField(max_length=120, blank=True)
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("sample", "on", "id")
