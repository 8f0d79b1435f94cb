"""URLs of the web application.

Accounts are issued and their passwords reset by the trial's administrator
(``oligotrial staff set-password``), so allauth's self-service pages that would send e-mail
(password reset, e-mail addresses) and sign-up answer 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path, re_path

from oligotrial.edc.api.app import api
from oligotrial.edc.web.site import views


def _closed(request: HttpRequest) -> HttpResponse:
    raise Http404("accounts are managed by the trial's administrator")


urlpatterns = [
    path("", views.site_home, name="site_home"),
    path("patients/<str:screening_number>/", views.patient, name="patient"),
    re_path(r"^accounts/(?:password/reset|email|signup|login/code)/", _closed),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
]
