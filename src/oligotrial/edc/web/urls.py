"""URLs of the web application."""

from __future__ import annotations

from django.urls import include, path

from oligotrial.edc.web.site import views

urlpatterns = [
    path("", views.site_home, name="site_home"),
    path("patients/<str:screening_number>/", views.patient, name="patient"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
