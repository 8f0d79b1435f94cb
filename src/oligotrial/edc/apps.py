"""Django application configuration of the trial database."""

from __future__ import annotations

from django.apps import AppConfig


class EdcConfig(AppConfig):
    name = "oligotrial.edc"
    label = "edc"
    verbose_name = "Trial database"
    default_auto_field = "django.db.models.BigAutoField"
