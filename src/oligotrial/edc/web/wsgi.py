"""The WSGI application of the web layer (Django must be configured first)."""

from __future__ import annotations

from typing import Any


def application() -> Any:
    """Django's WSGI handler for the configured settings."""
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()
