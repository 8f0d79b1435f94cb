"""Trial-wide state: whether the database is locked for analysis, and its last unlock."""

from __future__ import annotations

from django.db import models


class TrialState(models.Model):
    """One row (id 1)."""

    locked = models.BooleanField(default=False)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.CharField(max_length=150, blank=True)
    unlocked_at = models.DateTimeField(null=True, blank=True)
    unlocked_by = models.CharField(max_length=150, blank=True)
    unlock_reason = models.TextField(blank=True)
