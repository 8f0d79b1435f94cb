"""URLs of signing (investigators), freezing and the database lock (data managers)."""

from __future__ import annotations

from django.urls import path

from oligotrial.edc.web.signing import views

urlpatterns = [
    path("patients/<str:screening_number>/signatures/", views.sign_page, name="signatures"),
    path("patients/<str:screening_number>/freeze/", views.freeze_page, name="freeze"),
    path("office/lock/", views.lock_page, name="database_lock"),
]
