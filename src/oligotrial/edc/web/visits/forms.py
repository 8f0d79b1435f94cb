"""The forms of the visit page. They only parse what the browser sends into typed values
(a date, a number); every rule is the services' (edc.services.kinds), whose errors are put
back on the field they name (:func:`place_error`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from oligotrial.clinical.anatomy import organ_vocabulary
from oligotrial.edc.models import Exposure, Lesion
from oligotrial.edc.services.edit_checks import PLAUSIBLE_LABS
from oligotrial.edc.services.kinds import ANALYTES
from oligotrial.edc.trial_config import current_config
from oligotrial.edc.web.screening.panel import protocol_label

ANALYTE_LABELS = {
    "bilirubin": _("Bilirubin"),
    "albumin": _("Albumin"),
    "inr": _("INR"),
    "afp": _("AFP"),
    "alt": _("ALT"),
    "ast": _("AST"),
    "platelets": _("Platelets"),
    "neutrophils": _("Neutrophils"),
    "creatinine": _("Creatinine"),
    "hbv_dna": _("HBV DNA"),
}
STATUSES = [
    ("present", _("Present")),
    ("absent", _("Absent (disappeared)")),
    ("too_small", _("Too small to measure")),
    ("not_evaluated", _("Not evaluated")),
    ("unequivocal_pd", _("Unequivocal progression")),
]
NEW_STATUSES = [("present", _("Equivocal")), ("unequivocal_pd", _("Unequivocal"))]
ROLES = {"target": _("Target"), "non_target": _("Non-target"), "new": _("New")}
CAUSES = [
    ("progression", _("Disease progression")),
    ("adverse_event", _("Adverse event")),
    ("other", _("Other")),
    ("unknown", _("Unknown")),
]
ENDINGS = [("withdrawal", _("Withdrew consent")), ("lost", _("Lost to follow-up"))]
ADDED_ROWS = 3


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(
            format="%Y-%m-%d",  # ISO, whatever the browser's locale (a date picker is not)
            attrs={"placeholder": "YYYY-MM-DD", "inputmode": "numeric", "size": "11"},
        ),
    )


def _number(label: Any, required: bool = True, **attrs: Any) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        required=required,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", **attrs}),
    )


def organ_choices() -> list[tuple[str, str]]:
    """Organ codes of the clinical vocabulary, labelled in the active language."""
    lang = "zh" if (get_language() or "").startswith("zh") else "en"
    return [("", "—")] + [(code, labels[lang]) for code, labels in organ_vocabulary().items()]


class SectionForm(forms.Form):
    """A form whose element ids carry its section (``id_rt_start_date``), so that the
    forms of one page never share an id."""

    section = ""

    def __init__(self, *args: Any, **kw: Any) -> None:
        if self.section:
            kw.setdefault("auto_id", f"id_{self.section}_%s")
        super().__init__(*args, **kw)


class VisitDateForm(forms.Form):
    visit_date = _date(_("Visit date"), required=False)
    missed = forms.BooleanField(label=_("The visit did not take place (missed)"), required=False)


class LabsForm(forms.Form):
    """One sample: a value and its unit per analyte; an analyte left blank is not entered."""

    sampled_on = _date(_("Sample date"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for analyte in ANALYTES:
            label = ANALYTE_LABELS.get(analyte, analyte)
            self.fields[f"value_{analyte}"] = _number(label, required=False, min="0")
            self.fields[f"unit_{analyte}"] = forms.CharField(
                label=_("Unit"),
                required=False,
                max_length=20,
                initial=PLAUSIBLE_LABS[analyte][0],
            )

    def rows(self) -> list[tuple[str, Any, forms.BoundField, forms.BoundField]]:
        return [
            (a, ANALYTE_LABELS.get(a, a), self[f"value_{a}"], self[f"unit_{a}"]) for a in ANALYTES
        ]

    def results(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {"analyte": a, "value": data[f"value_{a}"], "unit": data[f"unit_{a}"].strip()}
            for a in ANALYTES
            if data.get(f"value_{a}") is not None
        ]

    def field_for(self, dotted: str) -> str | None:
        parts = dotted.split(".")
        if len(parts) == 3 and parts[0] == "labs" and parts[2] in {"value", "unit"}:
            return f"{parts[2]}_{parts[1]}"
        return {"sampled_on": "sampled_on", "labs.sampled_on": "sampled_on"}.get(dotted)


class AssessmentForm(forms.Form):
    """The scan date, a status and diameter for each lesion recorded, and rows for lesions
    recorded here for the first time (target or non-target at baseline, new later)."""

    measured_on = _date(_("Scan date"))

    def __init__(self, *args: Any, lesions: Iterable[Lesion], baseline: bool, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.lesions = [les for les in lesions if not (baseline and les.role == "new")]
        self.baseline = baseline
        for les in self.lesions:
            choices = NEW_STATUSES if les.role == "new" else STATUSES
            self.fields[f"status_{les.pk}"] = forms.ChoiceField(
                label=_("Status"), choices=[("", "—"), *choices], required=False
            )
            self.fields[f"diameter_{les.pk}"] = _number(_("Diameter (mm)"), False, min="0")
        roles = ["target", "non_target"] if baseline else ["new"]
        for i in range(ADDED_ROWS):
            self.fields[f"add_code_{i}"] = forms.CharField(
                label=_("Code"), required=False, max_length=16
            )
            self.fields[f"add_role_{i}"] = forms.ChoiceField(
                label=_("Role"), choices=[(r, ROLES[r]) for r in roles], required=False
            )
            self.fields[f"add_organ_{i}"] = forms.ChoiceField(
                label=_("Organ"), choices=organ_choices(), required=False
            )
            self.fields[f"add_nodal_{i}"] = forms.BooleanField(
                label=_("Lymph node"), required=False
            )
            self.fields[f"add_status_{i}"] = forms.ChoiceField(
                label=_("Status"), choices=STATUSES if baseline else NEW_STATUSES, required=False
            )
            self.fields[f"add_diameter_{i}"] = _number(_("Diameter (mm)"), False, min="0")

    def lesion_rows(self) -> list[tuple[Lesion, Any, forms.BoundField, forms.BoundField]]:
        return [
            (
                les,
                ROLES.get(les.role, les.role),
                self[f"status_{les.pk}"],
                self[f"diameter_{les.pk}"],
            )
            for les in self.lesions
        ]

    def added_rows(self) -> list[list[forms.BoundField]]:
        names = ("code", "role", "organ", "nodal", "status", "diameter")
        return [[self[f"add_{n}_{i}"] for n in names] for i in range(ADDED_ROWS)]

    def measurements(self) -> list[dict[str, Any]]:
        """The lesions given a status (of the values that parsed)."""
        data = self.cleaned_data
        return [
            {
                "lesion_code": les.code,
                "status": data[f"status_{les.pk}"],
                "diameter_mm": data.get(f"diameter_{les.pk}"),
            }
            for les in self.lesions
            if data.get(f"status_{les.pk}")
        ]

    def added(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "code": data[f"add_code_{i}"].strip(),
                "role": data.get(f"add_role_{i}", ""),
                "organ": data.get(f"add_organ_{i}", ""),
                "nodal": data.get(f"add_nodal_{i}", False),
                "status": data.get(f"add_status_{i}", ""),
                "diameter_mm": data.get(f"add_diameter_{i}"),
            }
            for i in range(ADDED_ROWS)
            if data.get(f"add_code_{i}", "").strip()
        ]

    def field_for(self, dotted: str) -> str | None:
        parts = dotted.split(".")
        if len(parts) == 3 and parts[0] == "lesions":
            pk = next((les.pk for les in self.lesions if les.code == parts[1]), None)
            name = "diameter" if parts[2] == "diameter_mm" else "status"
            return f"{name}_{pk}" if pk is not None else None
        if len(parts) == 3 and parts[0] == "added" and parts[1].isdigit():
            name = {"diameter_mm": "diameter", "lesion_code": "code"}.get(parts[2], parts[2])
            field = f"add_{name}_{parts[1]}"
            return field if field in self.fields else f"add_code_{parts[1]}"
        return "measured_on" if parts[-1] == "measured_on" else None


class RadiotherapyForm(SectionForm):
    section = "rt"
    target_site = forms.CharField(label=_("Target site"), max_length=100)
    lesion = forms.ChoiceField(label=_("Lesion treated"), required=False)
    total_dose_gy = _number(_("Total dose (Gy)"), min="0")
    fractions = forms.IntegerField(label=_("Fractions"), min_value=1)
    alpha_beta_gy = _number(_("α/β (Gy)"), min="0")
    start_date = _date(_("Start date"))
    end_date = _date(_("End date"), required=False)

    def __init__(self, *args: Any, lesions: Iterable[Lesion] = (), **kw: Any) -> None:
        kw.setdefault("initial", {"alpha_beta_gy": 10.0})
        super().__init__(*args, **kw)
        choices = [("", "—"), *((les.code, les.code) for les in lesions)]
        self.fields["lesion"].choices = choices  # type: ignore[attr-defined]


class ExposureForm(SectionForm):
    section = "exposure"
    line = forms.ChoiceField(
        label=_("Line"), choices=[("FLST", _("First line")), ("SLST", _("Second line"))]
    )
    drug = forms.CharField(label=_("Drug"), max_length=80)
    dose = _number(_("Dose"), min="0")
    dose_unit = forms.CharField(label=_("Dose unit"), max_length=20, initial="mg")
    start_date = _date(_("Start date"))


class DoseChangeForm(SectionForm):
    section = "dose"
    exposure_id = forms.TypedChoiceField(label=_("Treatment period"), coerce=int)
    new_dose = _number(_("New dose"), min="0")
    on = _date(_("From"))
    reason = forms.CharField(label=_("Reason"), max_length=180)

    def __init__(self, *args: Any, exposures: Iterable[Exposure] = (), **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["exposure_id"].choices = [  # type: ignore[attr-defined]
            (e.pk, f"{e.drug} {e.dose:g} {e.dose_unit} · {e.start_date:%Y-%m-%d}")
            for e in exposures
        ]


class BiosampleForm(SectionForm):
    section = "sample"
    kind = forms.ChoiceField(label=_("Kind"), choices=[("ctdna", "ctDNA"), ("biopsy", _("Biopsy"))])
    time_point = forms.ChoiceField(label=_("Time point"))
    identifier = forms.CharField(label=_("Sample identifier"), max_length=64)
    collected_on = _date(_("Collected on"))

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        config = current_config()
        points = dict.fromkeys((*config.ctdna_time_points, *config.biopsy_time_points))
        self.fields["time_point"].choices = [(p, protocol_label(p)) for p in points]  # type: ignore[attr-defined]


class NewTherapyForm(SectionForm):
    section = "therapy"
    therapy = forms.CharField(label=_("Therapy"), max_length=120)
    start_date = _date(_("Start date"))


class DeathForm(SectionForm):
    section = "death"
    death_date = _date(_("Date of death"))
    cause = forms.ChoiceField(label=_("Cause"), choices=CAUSES)


class WithdrawalForm(SectionForm):
    section = "withdrawal"
    kind = forms.ChoiceField(label=_("Kind"), choices=ENDINGS)
    last_known_alive = _date(_("Last known alive"))
    effective_date = _date(_("Effective date"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


#: Words some services use for a field instead of its name.
_ALIASES = {"dose per fraction": "fractions", "new_dose": "new_dose", "on": "on"}


def place_error(form: forms.Form, dotted: str, message: str) -> None:
    """Put a service's error on the form field it names, else on the form as a whole."""
    finder = getattr(form, "field_for", None)
    name = finder(dotted) if finder is not None else None
    if name is None:
        last = dotted.rsplit(".", 1)[-1]
        last = _ALIASES.get(last, last)
        name = last if last in form.fields else None
    form.add_error(name, message)
