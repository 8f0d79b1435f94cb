"""Django settings of the web layer: login (allauth + TOTP), lockout (axes), headers (CSP),
sessions with an idle timeout, English and Simplified Chinese, static files (whitenoise).

Called by :func:`oligotrial.edc.settings.django_settings`; reads the environment only when
called (``OLIGOTRIAL_ALLOWED_HOSTS``: comma-separated host names the server answers to).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ALLOWED_HOSTS_ENV = "OLIGOTRIAL_ALLOWED_HOSTS"
#: the sites are in China: times are shown in this zone (stored in UTC)
DISPLAY_TIME_ZONE = "Asia/Shanghai"
#: roles that must sign in with a second factor (TOTP); optional for the others
MFA_REQUIRED_ROLES = frozenset({"investigator", "data_manager", "statistician"})
#: failed sign-ins (per user name and address) before the account is locked
LOCKOUT_FAILURES = 5
LOCKOUT_HOURS = 1
#: the largest request body read (the API and the forms)
MAX_BODY_BYTES = 1024 * 1024

WEB_APPS = [
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "ninja",  # the API docs page's static files
    "oligotrial.edc.web.apps.WebConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "oligotrial.edc.web.middleware.SiteLanguageMiddleware",
    "oligotrial.edc.web.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "oligotrial.edc.web.middleware.DisplayTimeZoneMiddleware",
    "oligotrial.edc.web.middleware.RequireTwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]


def web_settings(core_apps: list[str], *, idle_minutes: int) -> dict[str, Any]:
    """The settings the web layer adds to the trial database's settings."""
    hosts = os.environ.get(ALLOWED_HOSTS_ENV, "127.0.0.1,localhost,[::1]")
    return {
        "INSTALLED_APPS": [*core_apps, *WEB_APPS],
        "MIDDLEWARE": MIDDLEWARE,
        "ROOT_URLCONF": "oligotrial.edc.web.urls",
        "ALLOWED_HOSTS": [h.strip() for h in hosts.split(",") if h.strip()],
        "TEMPLATES": [
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [str(HERE / "templates")],
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.template.context_processors.i18n",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                        "oligotrial.edc.web.context.staff",
                    ]
                },
            }
        ],
        "STATIC_URL": "/static/",
        "STATICFILES_DIRS": [str(HERE / "static")],
        "WHITENOISE_USE_FINDERS": True,
        "WHITENOISE_AUTOREFRESH": False,
        # languages: English and Simplified Chinese; the user's choice (cookie), else the
        # browser's Accept-Language, else English
        "USE_I18N": True,
        "LANGUAGES": [("en", "English"), ("zh-hans", "简体中文")],
        "LOCALE_PATHS": [str(HERE / "locale")],
        "OLIGOTRIAL_DISPLAY_TIME_ZONE": DISPLAY_TIME_ZONE,
        # sessions: end after ``idle_minutes`` without a request (IdleTimeoutMiddleware
        # moves the expiry on), and with the browser
        "SESSION_COOKIE_AGE": idle_minutes * 60,
        "SESSION_SAVE_EVERY_REQUEST": False,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        # no request body over 1 MiB is read (a screening record is a few kB): 413 in the API
        "DATA_UPLOAD_MAX_MEMORY_SIZE": MAX_BODY_BYTES,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "CONTENT_SECURITY_POLICY": {
            "DIRECTIVES": {
                "default-src": ["'self'"],
                "img-src": ["'self'", "data:"],  # the TOTP set-up QR code is a data: image
                "style-src": ["'self'"],
                "script-src": ["'self'"],
                "frame-ancestors": ["'none'"],
                "form-action": ["'self'"],
                "base-uri": ["'self'"],
            }
        },
        "AUTH_PASSWORD_VALIDATORS": [
            {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
            {
                "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
                "OPTIONS": {"min_length": 12},
            },
            {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
            {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
        ],
        "AUTHENTICATION_BACKENDS": [
            "axes.backends.AxesStandaloneBackend",
            "allauth.account.auth_backends.AuthenticationBackend",
        ],
        "LOGIN_URL": "account_login",
        "LOGIN_REDIRECT_URL": "site_home",
        # allauth: sign in by user name; accounts are made by the trial's administrator
        "ACCOUNT_LOGIN_METHODS": {"username"},
        "ACCOUNT_SIGNUP_FIELDS": ["username*", "password1*", "password2*"],
        "ACCOUNT_EMAIL_VERIFICATION": "none",
        "ACCOUNT_ADAPTER": "oligotrial.edc.web.accounts.StaffAccountAdapter",
        "ACCOUNT_LOGOUT_ON_GET": False,
        "ACCOUNT_SESSION_REMEMBER": False,
        "ACCOUNT_RATE_LIMITS": {"login_failed": False},  # lockout is axes' job (one rule)
        "ACCOUNT_PREVENT_ENUMERATION": True,
        "MFA_SUPPORTED_TYPES": ["totp", "recovery_codes"],
        "MFA_ALLOW_UNVERIFIED_EMAIL": True,  # staff sign in by user name; no e-mail needed
        "MFA_TOTP_ISSUER": "oligotrial",
        # axes: lock a user name at an address after repeated failures
        "AXES_FAILURE_LIMIT": LOCKOUT_FAILURES,
        "AXES_COOLOFF_TIME": LOCKOUT_HOURS,
        "AXES_LOCKOUT_PARAMETERS": [["username", "ip_address"]],
        "AXES_USERNAME_CALLABLE": "oligotrial.edc.web.accounts.attempted_username",
        "AXES_RESET_ON_SUCCESS": True,
        "AXES_LOCKOUT_TEMPLATE": "web/locked_out.html",
        "AXES_VERBOSE": False,
    }
