"""API tokens: a staff member's key to the API, stored only as its SHA-256 hash.

A token acts as the staff member it was issued to, with the role and site they held when it
was issued: a later change of role or site makes the token stop working (a scope never
widens silently). Each token expires; it can be revoked at any time (21 CFR 11.300(b):
credentials are issued, checked and withdrawn under control).
"""

from __future__ import annotations

from django.db import models

from oligotrial.edc.models.sites import Staff


class ApiToken(models.Model):
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=80, blank=True)  # what the token is for
    #: the first characters of the token, to tell tokens apart in lists (not a secret)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256 hex of the token
    role = models.CharField(max_length=20)  # the staff member's role at issue
    site_code = models.CharField(max_length=16, blank=True)  # their site at issue ("" none)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("staff", "created_at", "id")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.staff_id})"
