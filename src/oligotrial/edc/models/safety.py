"""Adverse events graded by CTCAE v5.0 with attribution to each treatment, and the ICH E2A
seriousness criteria of a serious event."""

from __future__ import annotations

from django.db import models

from oligotrial.edc.models.patients import Patient

ATTRIBUTION = [
    ("unrelated", "Unrelated"),
    ("unlikely", "Unlikely"),
    ("possible", "Possible"),
    ("probable", "Probable"),
    ("definite", "Definite"),
    ("not_applicable", "Not applicable"),
]


class AdverseEvent(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="adverse_events")
    term = models.CharField(max_length=120)  # CTCAE v5.0 term
    grade = models.IntegerField()
    onset_date = models.DateField()
    resolved_date = models.DateField(null=True, blank=True)
    serious = models.BooleanField(default=False)
    # ICH E2A seriousness criteria (SDTM AESDTH, AESLIFE, AESHOSP, AESDISAB, AESCONG, AESMIE)
    sae_death = models.BooleanField(default=False)
    sae_life_threatening = models.BooleanField(default=False)
    sae_hospitalisation = models.BooleanField(default=False)
    sae_disability = models.BooleanField(default=False)
    sae_congenital_anomaly = models.BooleanField(default=False)
    sae_medically_important = models.BooleanField(default=False)
    related_rt = models.CharField(max_length=16, choices=ATTRIBUTION, default="not_applicable")
    related_flst = models.CharField(max_length=16, choices=ATTRIBUTION, default="not_applicable")
    related_slst = models.CharField(max_length=16, choices=ATTRIBUTION, default="not_applicable")
    outcome = models.CharField(
        max_length=20,
        choices=[
            ("recovered", "Recovered"),
            ("recovering", "Recovering"),
            ("not_recovered", "Not recovered"),
            ("sequelae", "With sequelae"),
            ("fatal", "Fatal"),
            ("unknown", "Unknown"),
        ],
        default="not_recovered",
    )


#: the seriousness criteria of ICH E2A (section II.B), in the order the form shows them
SERIOUSNESS_CRITERIA: tuple[str, ...] = (
    "sae_death",
    "sae_life_threatening",
    "sae_hospitalisation",
    "sae_disability",
    "sae_congenital_anomaly",
    "sae_medically_important",
)
