"""The trial office's side of a query's conversation (the site's side is its answers)."""

from __future__ import annotations

from django.db import models

from oligotrial.edc.models.queries import DataQuery
from oligotrial.edc.models.sites import Staff


class QueryMessage(models.Model):
    """A data manager's or monitor's message on a query: the question of a query raised by
    hand, or a follow-up to the site's answer."""

    query = models.ForeignKey(DataQuery, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="query_messages")
    text = models.TextField()
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("query", "written_at", "id")
