"""Laboratory results and tumour lesions with their per-visit measurements."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from oligotrial.edc.models.patients import Patient
from oligotrial.edc.models.visits import Visit


class LabResult(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="labs")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT)
    analyte = models.CharField(max_length=40)
    value = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=20, blank=True)  # blank only for unitless (INR)
    reference_low = models.FloatField(null=True, blank=True)
    reference_high = models.FloatField(null=True, blank=True)
    sampled_on = models.DateField()


class Lesion(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="lesions")
    code = models.CharField(max_length=16)  # T1.., NT1.., N1..
    role = models.CharField(
        max_length=12,
        choices=[("target", "Target"), ("non_target", "Non-target"), ("new", "New")],
    )
    organ = models.CharField(max_length=60)
    nodal = models.BooleanField(default=False)
    oligoprogressive = models.BooleanField(default=False)
    previously_irradiated = models.BooleanField(default=False)
    #: the lesion progressed after its radiotherapy (RECIST 1.1: only then measurable);
    #: None: not recorded
    progressed_after_rt = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["patient", "code"], name="lesion_unique_code"),
        )

    def clean(self) -> None:
        if self.progressed_after_rt and not self.previously_irradiated:
            raise ValidationError(
                {"progressed_after_rt": "set for a lesion that was never irradiated"}
            )


class LesionMeasurement(models.Model):
    lesion = models.ForeignKey(Lesion, on_delete=models.PROTECT, related_name="measurements")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT)
    measured_on = models.DateField()
    diameter_mm = models.FloatField(null=True, blank=True)  # longest, or short axis if nodal
    status = models.CharField(
        max_length=16,
        choices=[
            ("present", "Present"),
            ("absent", "Absent"),
            ("too_small", "Too small"),
            ("not_evaluated", "Not evaluated"),
            ("unequivocal_pd", "Unequivocal PD"),
        ],
        default="present",
    )
    modality = models.CharField(max_length=8, default="CT")
    #: reconstructed slice thickness of the scan (RECIST 1.1: lesions under 2 x slices
    #: thicker than 5 mm are not measurable); None: not recorded
    slice_thickness_mm = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(0.1), MaxValueValidator(20.0)]
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["lesion", "visit"], name="measurement_unique_visit"),
        )
