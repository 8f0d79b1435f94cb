"""Data queries opened by edit checks and closed when the value is corrected; the site's
answers to them."""

from __future__ import annotations

from django.db import models

from oligotrial.edc.models.patients import Patient
from oligotrial.edc.models.sites import Site, Staff


class DataQuery(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="queries")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="queries")
    model = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    field = models.CharField(max_length=60)
    rule = models.CharField(max_length=60)
    message = models.CharField(max_length=300)
    status = models.CharField(
        max_length=8, choices=[("open", "Open"), ("closed", "Closed")], default="open"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("site", "opened_at", "id")


class QueryAnswer(models.Model):
    """A site's answer to a data query: the coordinator explains or confirms the value (a
    correction of the value, not an answer, is what closes an automatic query)."""

    query = models.ForeignKey(DataQuery, on_delete=models.PROTECT, related_name="answers")
    answered_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="query_answers")
    text = models.TextField()
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("query", "answered_at", "id")
