"""Visits against the protocol's assessment schedule."""

from __future__ import annotations

from django.db import models

from oligotrial.edc.models.patients import Patient


class VisitStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    DONE = "done", "Done"
    MISSED = "missed", "Missed"


class Visit(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="visits")
    number = models.IntegerField()  # 0 = baseline, 1.. = scheduled assessments, 900+ unscheduled
    kind = models.CharField(
        max_length=16,
        choices=[
            ("baseline", "Baseline"),
            ("assessment", "Assessment"),
            ("unscheduled", "Unscheduled"),
        ],
    )
    due_date = models.DateField(null=True, blank=True)
    window_days = models.IntegerField(default=0)
    visit_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=VisitStatus.choices, default=VisitStatus.SCHEDULED
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["patient", "number"], name="visit_unique_number"),
        )
        ordering = ("patient", "number")
