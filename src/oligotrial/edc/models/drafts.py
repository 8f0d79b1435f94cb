"""A screening record being entered: the form as typed, kept until it is submitted."""

from __future__ import annotations

from django.db import models

from oligotrial.edc.models.patients import Screening
from oligotrial.edc.models.sites import Site, Staff


class ScreeningDraft(models.Model):
    """An incomplete screening record a coordinator saved to finish later.

    ``values`` holds the form's fields as typed (dotted record path -> text), valid or not;
    nothing is derived from a draft. A screening number has one draft trial-wide (numbers are
    unique across sites). ``submitted`` is the record version the draft became, once it was
    submitted; saving the draft again re-opens it. ``ehr_sources`` keeps, for the fields
    filled from the patient's FHIR Bundle, the resources they came from and the text filled
    (record path -> ``{"resources": [...], "filled": {form field: text}}``); an entry lasts
    while its fields still hold that text.
    """

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="screening_drafts")
    screening_number = models.CharField(max_length=32, unique=True)
    values = models.JSONField(default=dict, blank=True)
    ehr_sources = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted = models.ForeignKey(
        Screening, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("site", "screening_number")

    def __str__(self) -> str:
        return f"draft {self.screening_number}"
