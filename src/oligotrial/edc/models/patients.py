"""Patients, their consent and their screening (with the eligibility verdicts)."""

from __future__ import annotations

from django.db import models

from oligotrial.edc.models.sites import Site, Staff


class PatientStatus(models.TextChoices):
    SCREENING = "screening", "In screening"
    SCREEN_FAILED = "screen_failed", "Screen failure"
    RANDOMIZED = "randomized", "Randomized"
    WITHDRAWN = "withdrawn", "Withdrawn"
    LOST = "lost", "Lost to follow-up"
    DIED = "died", "Died"


class Patient(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="patients")
    screening_number = models.CharField(max_length=32, unique=True)
    randomization_number = models.CharField(max_length=32, unique=True, null=True, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(
        max_length=1, choices=[("F", "Female"), ("M", "Male"), ("U", "Unknown")], default="U"
    )
    status = models.CharField(
        max_length=16, choices=PatientStatus.choices, default=PatientStatus.SCREENING
    )
    #: stratification factor name -> level (the site factor is the site code).
    stratification = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("screening_number",)

    def __str__(self) -> str:
        return self.screening_number


class Consent(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    version = models.CharField(max_length=32)
    signed_on = models.DateField()
    obtained_by = models.ForeignKey(Staff, on_delete=models.PROTECT)
    withdrawn_on = models.DateField(null=True, blank=True)


class Screening(models.Model):
    """One eligibility evaluation, with the protocol version and every criterion's verdict."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="screenings")
    screened_on = models.DateField()
    protocol_id = models.CharField(max_length=64)
    protocol_version = models.CharField(max_length=32)
    eligible = models.BooleanField()
    #: list of {"id": "I1", "verdict": "met"|"not met"|"cannot tell", "reason": str}
    verdicts = models.JSONField(default=list)
    evaluated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("patient", "evaluated_at", "id")
