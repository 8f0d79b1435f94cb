"""Data cuts: the analysis data sets and reports of one cut-off date, with their proof.

A cut records the audit chain's head (sequence number and hash) when it was made, so the
database state it was read from is fixed by the chain, and the SHA-256 of every file it
wrote, so a changed or missing file is found (``oligotrial cut verify``). Made only by the
statistician; never changed once made.
"""

from __future__ import annotations

from django.db import models

from oligotrial.edc.models.sites import Staff


class DataCut(models.Model):
    cutoff = models.DateField()  # clinical data dated on or before this day
    label = models.CharField(max_length=80, blank=True)  # e.g. "interim 1"
    made_at = models.DateTimeField()  # UTC
    made_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="data_cuts")
    folder = models.CharField(max_length=500)  # where the files were written
    chain_id = models.CharField(max_length=32, blank=True)
    chain_seq = models.BigIntegerField()  # audit entries up to this one made the data cut
    chain_head = models.CharField(max_length=64)  # hash of entry ``chain_seq``
    files = models.JSONField(default=dict)  # relative path -> SHA-256 hex
    manifest_sha256 = models.CharField(max_length=64, blank=True)
    patients = models.IntegerField(default=0)  # randomized on or before the cut-off

    class Meta:
        ordering = ("-made_at", "-id")

    def __str__(self) -> str:
        return f"cut {self.pk} ({self.cutoff})"
