"""A laboratory's result for one biosample: ctDNA detection, variant allele fractions,
tumour fraction and the mutations found (VAF stored in percent)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from oligotrial.edc.models.samples import Biosample


class SampleResult(models.Model):
    sample = models.OneToOneField(Biosample, on_delete=models.PROTECT, related_name="result")
    ctdna_detected = models.BooleanField(null=True)  # None for a biopsy
    mean_vaf_percent = models.FloatField(null=True, blank=True)
    max_vaf_percent = models.FloatField(null=True, blank=True)
    tumour_fraction_percent = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)  # file name and line
    #: for a result read from FHIR: field -> the resources it came from (``Observation/o1``;
    #: ``mutations``: one entry a mutation, the variant and the sequence it derives from)
    fhir_sources = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)


class SampleMutation(models.Model):
    result = models.ForeignKey(SampleResult, on_delete=models.PROTECT, related_name="mutations")
    gene = models.CharField(max_length=32)
    hgvs = models.CharField(max_length=120)
    vaf_percent = models.FloatField()

    class Meta:
        ordering = ("result", "gene", "hgvs")
