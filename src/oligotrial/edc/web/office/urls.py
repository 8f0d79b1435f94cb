"""URLs of the trial office (included under ``office/``)."""

from __future__ import annotations

from django.urls import path

from oligotrial.edc.web.office import audit, lab_results, overdue_samples, queries, sdv

urlpatterns = [
    path("queries/", queries.query_list, name="office_queries"),
    path("queries/raise/", queries.raise_query, name="office_raise_query"),
    path("queries/<int:query_id>/", queries.query_detail, name="office_query"),
    path("queries/<int:query_id>/close/", queries.close, name="office_close_query"),
    path("sdv/", sdv.progress, name="office_sdv"),
    path("sdv/<str:screening_number>/", sdv.patient, name="office_sdv_patient"),
    path("sdv/<str:screening_number>/verify/", sdv.verify, name="office_sdv_verify"),
    path("samples/overdue/", overdue_samples.overdue_list, name="office_overdue_samples"),
    path("audit/", audit.trail, name="office_audit"),
    path("audit/export.csv", audit.export, name="office_audit_csv"),
    path("lab-results/", lab_results.lab_results, name="office_lab_results"),
]
