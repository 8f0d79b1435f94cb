"""The web layer as a Django application (its templates, static files and translations)."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "oligotrial.edc.web"
    label = "oligotrial_web"
    verbose_name = "Trial web application"
