"""Radiotherapy courses, systemic therapy exposure and new anticancer therapy."""

from __future__ import annotations

from django.db import models

from oligotrial.edc.models.measurements import Lesion
from oligotrial.edc.models.patients import Patient


class RadiotherapyCourse(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="rt_courses")
    lesion = models.ForeignKey(Lesion, null=True, blank=True, on_delete=models.PROTECT)
    target_site = models.CharField(max_length=100)
    total_dose_gy = models.FloatField()
    fractions = models.IntegerField()
    alpha_beta_gy = models.FloatField(default=10.0)
    bed_gy = models.FloatField()  # computed by the service: D * (1 + d / (alpha/beta))
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)


class Exposure(models.Model):
    """One period of a systemic drug at one dose; a dose change starts a new period."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="exposures")
    line = models.CharField(max_length=8, choices=[("FLST", "First line"), ("SLST", "Second line")])
    drug = models.CharField(max_length=80)
    dose = models.FloatField()
    dose_unit = models.CharField(max_length=20)
    start_date = models.DateField()
    stop_date = models.DateField(null=True, blank=True)
    change_reason = models.CharField(max_length=200, blank=True)


class NewAnticancerTherapy(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="new_therapies")
    therapy = models.CharField(max_length=120)
    start_date = models.DateField()
