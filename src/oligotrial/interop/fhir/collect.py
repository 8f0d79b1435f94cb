"""Turn one decoded resource into evidence about its patient, by the mapping table.

Every function returns ``None`` when it used the resource, or a problem (text) when the
resource cannot be used (a wrong unit, a date that is not a day); codes the table does not
know are counted in ``unknown``. Resources entered in error are skipped.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from oligotrial.clinical.units import to_canonical
from oligotrial.errors import InputError
from oligotrial.interop.fhir import bulk_types as t
from oligotrial.interop.fhir.evidence import Dated, Evidence, Source
from oligotrial.interop.fhir.mapping import FhirMapping, Rule

_SKIP_STATUS = frozenset({"entered-in-error", "cancelled", "not-done", "preliminary"})


def day_of(text: str | None) -> dt.date | None:
    """The day of a FHIR date or dateTime (``None`` when absent or not precise to a day)."""
    if text is None or len(text) < 10:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


@dataclass
class Collector:
    """Applies the mapping to resources; counts unknown codes and unused resources."""

    mapping: FhirMapping
    screening_date: dt.date
    unknown: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # type, system, code

    def _codes(self, kind: str, concept: t.CodeableConcept | None) -> list[t.Coding]:
        return [] if concept is None else [c for c in concept.coding if c.code]

    def _lookup(
        self, kind: str, concept: t.CodeableConcept | None, table: Mapping[tuple[str, str], Rule]
    ) -> Rule | None:
        codings = self._codes(kind, concept)
        for c in codings:
            rule = table.get((c.system or "", c.code or ""))
            if rule is not None:
                return rule
        for c in codings[:1]:
            self.unknown[(kind, c.system or "", c.code or "")] += 1
        return None

    def _in_window(self, day: dt.date | None) -> bool:
        return day is not None and day <= self.screening_date

    def condition(self, r: t.Condition, ev: Evidence, src: Source) -> str | None:
        rule = None
        for c in self._codes("Condition", r.code):
            rule = self.mapping.condition(c.system, c.code)
            if rule is not None:
                break
        if rule is None:
            for c in self._codes("Condition", r.code)[:1]:
                self.unknown[("Condition", c.system or "", c.code or "")] += 1
            return None
        if rule.ignore or _refuted(r.verificationStatus):
            return None
        day = day_of(r.onsetDateTime) or day_of(r.recordedDate)
        if day is None:
            return "no onset or recorded date precise to the day"
        if not self._in_window(day):
            return None
        if rule.marks == "hcc":
            ev.hcc.append(Dated(day, True, src))
        elif rule.malignancy is not None:
            ev.malignancies.append(Dated(day, rule.malignancy, src))
        elif rule.field is not None:
            if rule.active_only and not _active(r.clinicalStatus):
                return None
            ev.flag(rule.field, src)
        return None

    def observation(self, r: t.Observation, ev: Evidence, src: Source) -> str | None:
        if r.status in _SKIP_STATUS:
            return None
        rule = self._lookup("Observation", r.code, self.mapping.observations)
        if rule is None or rule.ignore:
            return None
        day = day_of(r.effectiveDateTime)
        if day is None:
            return "effectiveDateTime missing or not precise to the day"
        if not self._in_window(day):
            return None
        if rule.lab is not None:
            if (self.screening_date - day).days > self.mapping.lab_recent_days:
                return None
            return self._lab(rule.lab, r, ev, src, day)
        value = self._answer(rule, r)
        if value is None:
            return f"no usable value for {rule.field}"
        ev.keep_latest(str(rule.field), Dated(day, value, src))
        return None

    def _answer(self, rule: Rule, r: t.Observation) -> object:
        if rule.integer and r.valueInteger is not None:
            return r.valueInteger
        if rule.integer and r.valueQuantity is not None and r.valueQuantity.value is not None:
            number = r.valueQuantity.value
            return int(number) if float(number).is_integer() else None
        for c in self._codes("Observation", r.valueCodeableConcept):
            if rule.answers and c.code is not None and c.code in rule.answers:
                return rule.answers[c.code]
        return None

    def _lab(
        self, lab: str, r: t.Observation, ev: Evidence, src: Source, day: dt.date
    ) -> str | None:
        q = r.valueQuantity
        if q is None or q.value is None:
            return f"{lab}: valueQuantity with a value is missing"
        unit = self.mapping.unit(q.code, q.unit)
        try:
            to_canonical(lab, q.value, unit)
        except InputError as exc:
            return f"wrong unit for {lab}: {exc.problem}"
        value: dict[str, object] = {"value": q.value, "unit": unit or "", "date": str(day)}
        for rr in r.referenceRange[:1]:
            for key, bound in (("lower_limit", rr.low), ("upper_limit", rr.high)):
                if bound is not None and bound.value is not None:
                    if self.mapping.unit(bound.code, bound.unit) != unit:
                        return f"{lab}: reference range in another unit than the value"
                    value[key] = bound.value
        ev.keep_latest(f"labs.{lab}", Dated(day, value, src))
        return None

    def medication(
        self, r: t.MedicationRequest | t.MedicationStatement, ev: Evidence, src: Source
    ) -> str | None:
        if r.status in _SKIP_STATUS:
            return None
        rule = self._lookup(type(r).__name__, r.medicationCodeableConcept, self.mapping.medications)
        if rule is None or rule.ignore:
            return None
        if isinstance(r, t.MedicationRequest):
            day = day_of(r.authoredOn)
        else:
            period = r.effectivePeriod.start if r.effectivePeriod else None
            day = day_of(r.effectiveDateTime) or day_of(period)
        if day is None:
            return "no start date precise to the day"
        if not self._in_window(day):
            return None
        if rule.drug is not None:
            ev.drugs.append(Dated(day, (rule.drug, rule.ici), src))
        elif rule.antiviral is not None:
            ev.antivirals.append(Dated(day, rule.antiviral, src))
        return None

    def procedure(self, r: t.Procedure, ev: Evidence, src: Source) -> str | None:
        if r.status in _SKIP_STATUS:
            return None
        rule = self._lookup("Procedure", r.code, self.mapping.procedures)
        if rule is None or rule.ignore:
            return None
        period = r.performedPeriod.start if r.performedPeriod else None
        day = day_of(r.performedDateTime) or day_of(period)
        if day is None:
            return "no performed date precise to the day"
        if not self._in_window(day):
            return None
        if rule.radiotherapy:
            sites = [
                s.text or next((c.display for c in s.coding if c.display), None) for s in r.bodySite
            ]
            ev.radiotherapy.append(
                Dated(day, next((s for s in sites if s), "site not recorded"), src)
            )
        elif rule.field is not None:
            ev.flag(rule.field, src)
        return None

    def report(self, r: t.DiagnosticReport, ev: Evidence, src: Source) -> str | None:
        if r.status in _SKIP_STATUS:
            return None
        kind = self._lookup("DiagnosticReport", r.code, self.mapping.report_basis)
        if kind is None or kind.ignore:
            return None
        day = day_of(r.effectiveDateTime)
        if day is None:
            return "effectiveDateTime missing or not precise to the day"
        if not self._in_window(day):
            return None
        for concept in r.conclusionCode:
            found = self._lookup(
                "DiagnosticReport.conclusion", concept, self.mapping.report_conclusions
            )
            if found is not None and not found.ignore:
                ev.pathology.append(Dated(day, (kind.basis, found.histology), src))
                if found.marks == "hcc":
                    ev.hcc.append(Dated(day, True, src))
                return None
        return None


def _status_code(concept: t.CodeableConcept | None) -> str | None:
    if concept is None:
        return None
    return next((c.code for c in concept.coding if c.code), None)


def _refuted(status: t.CodeableConcept | None) -> bool:
    return _status_code(status) in ("refuted", "entered-in-error")


def _active(status: t.CodeableConcept | None) -> bool:
    return _status_code(status) in (None, "active", "recurrence", "relapse")
