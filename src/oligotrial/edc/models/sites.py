"""Sites and the staff who work for them, each with one role."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from oligotrial.countries import COUNTRIES


class Role(models.TextChoices):
    INVESTIGATOR = "investigator", "Investigator"
    COORDINATOR = "coordinator", "Coordinator"
    MONITOR = "monitor", "Monitor"
    DATA_MANAGER = "data_manager", "Data manager"
    STATISTICIAN = "statistician", "Statistician"
    ADMIN = "admin", "Administrator"


#: Roles that belong to one site and see only its patients.
SITE_ROLES = frozenset({Role.INVESTIGATOR, Role.COORDINATOR})


#: The languages of the web application; a site's staff see its language until they choose.
SITE_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
#: The trial's sites are in China (registry NCT06841172), so a new site speaks Chinese.
DEFAULT_SITE_LANGUAGE = "zh-hans"
#: ... and is in China (ISO 3166-1 alpha-3; SDTM DM.COUNTRY).
DEFAULT_SITE_COUNTRY = "CHN"


def validate_country(value: str) -> None:
    """An ISO 3166-1 alpha-3 code of CDISC's COUNTRY codelist (:mod:`oligotrial.countries`)."""
    if value not in COUNTRIES:
        raise ValidationError(
            f"{value!r} is not an ISO 3166-1 alpha-3 country code (e.g. CHN for China)"
        )


class Site(models.Model):
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    language = models.CharField(max_length=8, choices=SITE_LANGUAGES, default=DEFAULT_SITE_LANGUAGE)
    country = models.CharField(
        max_length=3, default=DEFAULT_SITE_COUNTRY, validators=[validate_country]
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("code",)

    def __str__(self) -> str:
        return self.code


class Staff(models.Model):
    """A person using the database: a role, and a site for site roles (monitors optional)."""

    username = models.CharField(max_length=150, unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("username",)

    def __str__(self) -> str:
        return f"{self.username} ({self.role}{'@' + self.site.code if self.site else ''})"
