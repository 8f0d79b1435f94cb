"""URLs of the web application.

Accounts are issued and their passwords reset by the trial's administrator
(``oligotrial staff set-password``), so allauth's self-service pages that would send e-mail
(password reset, e-mail addresses) and sign-up answer 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path, re_path

from oligotrial.edc.api.app import api
from oligotrial.edc.web.history import views as history
from oligotrial.edc.web.office import cuts as office_cuts
from oligotrial.edc.web.office import dashboard as office_dashboard
from oligotrial.edc.web.safety import views as safety
from oligotrial.edc.web.samples import views as samples
from oligotrial.edc.web.screening import enrolment, fhir_import
from oligotrial.edc.web.screening import views as screening
from oligotrial.edc.web.site import views
from oligotrial.edc.web.visits import views as visits


def _closed(request: HttpRequest) -> HttpResponse:
    raise Http404("accounts are managed by the trial's administrator")


urlpatterns = [
    path("", views.site_home, name="site_home"),
    path("office/cuts/", office_cuts.cuts, name="office_cuts"),
    path("office/dashboard/", office_dashboard.dashboard, name="office_dashboard"),
    path("office/cuts/<int:cut_id>/pooled/", office_cuts.pooled_report, name="office_cut_pooled"),
    path("office/cuts/<int:cut_id>/dsmb/", office_cuts.dsmb_report, name="office_cut_dsmb"),
    path("patients/<str:screening_number>/", views.patient, name="patient"),
    path("patients/<str:screening_number>/visits/<int:number>/", visits.visit_page, name="visit"),
    path(
        "patients/<str:screening_number>/visits/<int:number>/tumour/preview/",
        visits.tumour_preview,
        name="visit_tumour_preview",
    ),
    path(
        "patients/<str:screening_number>/visits/<int:number>/rt/bed/",
        visits.bed_preview,
        name="visit_bed_preview",
    ),
    path(
        "patients/<str:screening_number>/visits/<int:number>/<slug:section>/",
        visits.save_section,
        name="visit_save",
    ),
    path("patients/new/screening/", screening.screening_new, name="screening_new"),
    path("screening/panel/", screening.screening_panel, name="screening_panel"),
    path(
        "patients/<str:screening_number>/screening/",
        screening.screening_edit,
        name="screening_edit",
    ),
    path(
        "patients/<str:screening_number>/screening/fhir/",
        fhir_import.screening_fhir,
        name="screening_fhir",
    ),
    path("patients/<str:screening_number>/consent/", enrolment.consent, name="consent"),
    path("patients/<str:screening_number>/randomize/", enrolment.randomize_page, name="randomize"),
    path(
        "patients/<str:screening_number>/visits/schedule/",
        enrolment.schedule_page,
        name="schedule_visits",
    ),
    path(
        "patients/<str:screening_number>/adverse-events/",
        safety.adverse_events,
        name="adverse_events",
    ),
    path(
        "patients/<str:screening_number>/adverse-events/terms/",
        safety.term_options,
        name="ae_terms",
    ),
    path("patients/<str:screening_number>/adverse-events/term/", safety.term_block, name="ae_term"),
    path("patients/<str:screening_number>/samples/", samples.samples_page, name="samples"),
    path(
        "patients/<str:screening_number>/samples/<str:identifier>/label/",
        samples.label_page,
        name="sample_label",
    ),
    path("patients/<str:screening_number>/data/", history.records, name="patient_records"),
    path(
        "patients/<str:screening_number>/data/<str:kind>/<int:record_id>/<str:name>/history/",
        history.history,
        name="field_history",
    ),
    path(
        "patients/<str:screening_number>/data/<str:kind>/<int:record_id>/<str:name>/correct/",
        history.correct,
        name="correct_field",
    ),
    path(
        "patients/<str:screening_number>/queries/<int:query_id>/answer/",
        history.answer,
        name="answer_query",
    ),
    re_path(r"^accounts/(?:password/reset|email|signup|login/code)/", _closed),
    path("", include("oligotrial.edc.web.signing.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("office/", include("oligotrial.edc.web.office.urls")),
]
