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
    """One version of a patient's screening record and what the eligibility engine made of it.

    ``record`` is the validated screening record (JSON, schema ``record_schema``); every
    other value is derived from it by the one engine (protocol ``protocol_id`` /
    ``protocol_version``, software ``software_version``) and never taken from a caller.
    Versions count from 1 per patient: a re-screening or a correction adds a version, the
    newest one is in force. Rows made before records were stored (migration 0004) have
    ``record`` null and only their verdicts.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="screenings")
    version = models.PositiveIntegerField(default=1)
    #: "screen" (a record entered) or "correction" (one field of the previous version changed)
    origin = models.CharField(max_length=12, default="screen")
    reason = models.CharField(max_length=300, blank=True)
    screened_on = models.DateField()
    record = models.JSONField(null=True, blank=True)
    record_schema = models.CharField(max_length=80, blank=True)
    protocol_id = models.CharField(max_length=64)
    protocol_version = models.CharField(max_length=32)
    software_version = models.CharField(max_length=32, blank=True)
    eligible = models.BooleanField()
    #: "eligible" | "ineligible" | "incomplete" (blank on rows from before 0004)
    overall = models.CharField(max_length=12, blank=True)
    #: the engine's per-criterion verdicts: {"id", "kind", "status", "in_favour", "missing",
    #: "values", ...}
    verdicts = models.JSONField(default=list)
    #: every fact the criteria used (Child-Pugh, BCLC, lesion counts...), by fact name
    facts = models.JSONField(default=dict, blank=True)
    #: the stratification factors the record determines (None: cannot tell)
    strata = models.JSONField(default=dict, blank=True)
    evaluated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("patient", "version", "id")
        constraints = (
            models.UniqueConstraint(fields=["patient", "version"], name="screening_unique_version"),
        )
