"""Template context: the signed-in user's trial staff record (role and site)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from oligotrial.edc.services.data_cuts import POOLED_READERS
from oligotrial.edc.web.accounts import staff_of

ROLE_LABELS = {
    "investigator": _("Investigator"),
    "coordinator": _("Coordinator"),
    "monitor": _("Monitor"),
    "data_manager": _("Data manager"),
    "statistician": _("Statistician"),
    "admin": _("Administrator"),
}


def staff(request: HttpRequest) -> dict[str, Any]:
    member = staff_of(getattr(request, "user", None))
    return {
        "staff": member,
        "role_label": ROLE_LABELS.get(member.role, "") if member else "",
        "office_roles": POOLED_READERS,  # the trial office pages (data cuts)
    }
