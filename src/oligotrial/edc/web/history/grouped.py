"""Fields that are corrected together because they are only valid together.

An adverse event is serious when it meets at least one ICH E2A seriousness criterion
(section II.B), so "serious" and its six criteria cannot change one at a time: making an
event serious one field at a time would be refused at the first step. Their correction page
shows all seven boxes; the changed ones go to the service in one correction, one reason.
"""

from __future__ import annotations

from typing import Any

from django import forms

from oligotrial.edc.models.safety import SERIOUSNESS_CRITERIA
from oligotrial.edc.services.corrections import MAX_REASON
from oligotrial.edc.web.history.values import label_of

#: per record kind, the fields corrected as one group
GROUPS: dict[str, tuple[str, ...]] = {"adverse_event": ("serious", *SERIOUSNESS_CRITERIA)}


def group_of(kind: str, name: str) -> tuple[str, ...]:
    """The fields corrected together with ``name`` (empty when it is corrected alone)."""
    fields = GROUPS.get(kind, ())
    return fields if name in fields else ()


def group_form(record: Any, fields: tuple[str, ...], data: Any = None) -> forms.Form:
    """A tick box per field of the group, ticked as recorded, and the reason."""
    form = forms.Form(data=data, initial={name: getattr(record, name) for name in fields})
    for name in fields:
        form.fields[name] = forms.BooleanField(label=label_of(name), required=False)
    form.fields["reason"] = forms.CharField(
        label=label_of("reason"), max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 2})
    )
    return form


def changed_values(record: Any, form: forms.Form, fields: tuple[str, ...]) -> dict[str, bool]:
    """The fields whose box differs from the recorded value (a valid ``form``)."""
    return {
        name: form.cleaned_data[name]
        for name in fields
        if form.cleaned_data[name] != getattr(record, name)
    }
