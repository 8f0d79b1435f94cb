"""Trial-wide state: whether the database is locked for analysis."""

from __future__ import annotations

from django.db import models


class TrialState(models.Model):
    """One row (id 1)."""

    locked = models.BooleanField(default=False)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.CharField(max_length=150, blank=True)
