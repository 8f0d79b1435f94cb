"""Property: every write service, given a wrong type or an impossible value in any one of its
arguments (or any one field of a record), refuses with InputError, StateError or
PermissionDenied, and writes nothing (every table's row count and the audit trail unchanged).

Each case starts from a call that would succeed (checked first, inside a transaction that is
rolled back) and spoils exactly one argument.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from edc_support import SCREENED_ON, TODAY, TrialDb, build_trial, enrol, screening_record
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oligotrial.edc import services
from oligotrial.edc.models import Exposure, LabResult, Staff
from oligotrial.errors import InputError, PermissionDenied, StateError

START = TODAY - dt.timedelta(days=5)
# --- wrong values, by the type the argument should have --------------------------------------
_odd = st.one_of(
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
    st.binary(max_size=3),
    st.just(object()),
    st.just(b"\x00"),
)
_bad_text = st.one_of(
    st.text(max_size=5).map(lambda s: s + "\x00"),
    st.text(max_size=5).map(lambda s: s + "\ud800"),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    _odd,
)
_bad_number = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf]),
    st.text(max_size=6),
    st.booleans(),
    st.dates(),
    _odd,
)
_bad_int = st.one_of(
    st.floats(allow_nan=True),
    st.text(max_size=6),
    st.booleans(),
    st.decimals(allow_nan=False).map(str),
    _odd,
)
_bad_date = st.one_of(
    st.dates(max_value=dt.date(1900, 12, 31)),
    st.dates(min_value=TODAY + dt.timedelta(days=1)),
    st.dates(max_value=dt.date(1900, 12, 31)).map(dt.date.isoformat),
    st.datetimes(),
    st.text(max_size=10).filter(lambda s: not _iso(s)),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    _odd,
)
_bad_bool = st.one_of(st.integers(), st.text(max_size=3), st.none(), _odd)
BAD = {"text": _bad_text, "number": _bad_number, "int": _bad_int, "date": _bad_date}
BAD["bool"] = _bad_bool
BAD["flag"] = st.one_of(st.integers(), st.text(max_size=3), _odd)  # None may mean unknown
BAD["record"] = st.one_of(st.none(), st.text(max_size=5), st.integers(), _odd)
BAD["actor"] = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.builds(lambda r: Staff(username="stat", role=r), st.sampled_from(["statistician", "admin"])),
    st.builds(lambda r: Staff(username="x", role=r), st.sampled_from(["coordinator"])),
)


def _iso(text: str) -> bool:
    try:
        dt.date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


#: Fields of the screening record spoiled one at a time (dotted paths), by their type.
SCREENING_FIELDS = {
    "patient_id": "text",
    "screening_date": "date",
    "birth_date": "date",
    "ecog": "int",
    "labs.albumin.value": "number",
    "flst.contains_ici": "flag",
}


def _spoilt(values: dict[str, Any], path: str, bad: Any) -> dict[str, Any]:
    """A deep copy of ``values`` with the field at the dotted ``path`` set to ``bad``."""
    head, _, rest = path.partition(".")
    inner = values.get(head)
    if rest and isinstance(inner, dict):
        return {**values, head: _spoilt(inner, rest, bad)}
    return {**values, head: bad}


@dataclass(frozen=True)
class Case:
    """A service, a call of it that succeeds, and the type of each argument it takes."""

    service: Callable[..., Any]
    args: dict[str, Any]
    types: dict[str, str]
    values: dict[str, str] | None = None  # for a record's values: field (dotted) -> type
    values_arg: str = "values"  # the argument holding those values


LAB = {"analyte": "albumin", "value": 30.0, "unit": "g/L", "sampled_on": TODAY}
RECORDS: dict[str, tuple[dict[str, Any], dict[str, str], dict[str, Any]]] = {
    "lab": (LAB, {"analyte": "text", "value": "number", "unit": "text", "sampled_on": "date"}, {}),
    "adverse_event": (
        {"term": "Fatigue", "grade": 2, "onset_date": TODAY, "serious": False},
        {"term": "text", "grade": "int", "onset_date": "date", "serious": "bool"},
        {},
    ),
    "rt_course": (
        {"target_site": "liver", "total_dose_gy": 40.0, "fractions": 5, "start_date": TODAY},
        {
            "target_site": "text",
            "total_dose_gy": "number",
            "fractions": "int",
            "start_date": "date",
        },
        {"lesion_code": "T1"},
    ),
    "measurement": (
        {"measured_on": TODAY, "diameter_mm": 20.0},
        {"measured_on": "date", "diameter_mm": "number"},
        {"visit_number": 1, "lesion_code": "T1"},
    ),
    "exposure": (
        {
            "line": "SLST",
            "drug": "sorafenib",
            "dose": 400.0,
            "dose_unit": "mg",
            "start_date": TODAY,
        },
        {
            "line": "text",
            "drug": "text",
            "dose": "number",
            "dose_unit": "text",
            "start_date": "date",
        },
        {},
    ),
    "death": ({"death_date": TODAY, "cause": "other"}, {"death_date": "date", "cause": "text"}, {}),
}


def _cases(t: Any) -> dict[str, Case]:
    c, sn = t.coord["S01"], "S01-001"
    lab = LabResult.objects.get(patient__screening_number=sn)
    exposure = Exposure.objects.get(patient__screening_number=sn)
    who = {"actor": "actor", "screening_number": "text"}
    cases = {
        f"record:{kind}": Case(
            services.record,
            {"actor": c, "screening_number": sn, "kind_name": kind, "values": v, **links},
            {
                **who,
                "kind_name": "text",
                **{k: "int" if k == "visit_number" else "text" for k in links},
            },
            types,
        )
        for kind, (v, types, links) in RECORDS.items()
    }
    cases["correct_value"] = Case(
        services.correct_value,
        {"actor": c, "kind_name": "lab", "record_id": lab.pk, "field": "value", "value": 31.0}
        | {"reason": "typo"},
        {"actor": "actor", "kind_name": "text", "record_id": "int", "field": "text"}
        | {"value": "number", "reason": "text"},
    )
    cases["record_visit"] = Case(
        services.record_visit,
        {"actor": c, "screening_number": sn, "visit_number": 2, "visit_date": TODAY},
        {**who, "visit_number": "int", "visit_date": "date"},
    )
    cases["schedule_visits"] = Case(
        services.schedule_visits,
        {"actor": c, "screening_number": sn, "horizon_weeks": 40},
        {**who, "horizon_weeks": "int"},
    )
    cases["change_dose"] = Case(
        services.change_dose,
        {"actor": c, "screening_number": sn, "exposure_id": exposure.pk, "new_dose": 200.0}
        | {"on": TODAY, "reason": "toxicity"},
        {**who, "exposure_id": "int", "new_dose": "number", "on": "date", "reason": "text"},
    )
    cases["randomize"] = Case(
        services.randomize,
        {"actor": c, "screening_number": "S01-002", "randomized_on": TODAY},
        {**who, "randomized_on": "date"},
    )
    cases["record_consent"] = Case(
        services.record_consent,
        {"actor": c, "screening_number": "S01-002", "version": "2.0", "signed_on": TODAY},
        {**who, "version": "text", "signed_on": "date"},
    )
    cases["screen"] = Case(
        services.screen,
        {"actor": c, "record": screening_record("S01-003")},
        {"actor": "actor", "record": "record"},
        SCREENING_FIELDS,
        values_arg="record",
    )
    cases["add_site"] = Case(
        services.add_site,
        {"actor": t.admin, "code": "S09", "name": "Hospital S09"},
        {"actor": "actor", "code": "text", "name": "text"},
    )
    cases["add_staff"] = Case(
        services.add_staff,
        {"actor": t.admin, "username": "new", "role": "coordinator", "site_code": "S01"}
        | {"full_name": "A. Person"},
        {"actor": "actor", "username": "text", "role": "text", "site_code": "text"}
        | {"full_name": "text"},
    )
    cases["freeze"] = Case(  # (the lock's checklist is not clear here; see test_freeze_and_lock)
        services.freeze,
        {"actor": t.dm, "screening_number": "S01-001", "scope": "visit", "reason": "cleaned"}
        | {"visit_number": 1},
        {**who, "scope": "text", "reason": "text", "visit_number": "int"},
    )
    cases["extend_for_new_sites"] = Case(
        services.extend_for_new_sites, {"actor": t.stat}, {"actor": "actor"}
    )
    return cases


def _call(case: Case, args: dict[str, Any]) -> Any:
    return case.service(**args)


def _footprint() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count() for m in apps.get_app_config("edc").get_models()
    }


def _trial() -> Any:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    services.randomize(c, "S01-001", randomized_on=START)
    services.schedule_visits(c, "S01-001", horizon_weeks=20)
    services.record(c, "S01-001", "lab", LAB)
    services.record(c, "S01-001", "lesion", {"code": "T1", "role": "target", "organ": "liver"})
    services.record(
        c,
        "S01-001",
        "exposure",
        {"line": "FLST", "drug": "atezolizumab", "dose": 1.0, "dose_unit": "label dose"}
        | {"start_date": SCREENED_ON},
    )
    enrol(c, "S01-002")
    services.add_site(t.admin, "S08", "Hospital S08")  # opened after the list: extend succeeds
    return t


def test_every_write_service_refuses_bad_input_and_writes_nothing(trial_db: TrialDb) -> None:
    t = _trial()
    cases = _cases(t)
    for case in cases.values():  # each unspoilt call succeeds (then rolled back)
        with transaction.atomic():
            _call(case, case.args)
            transaction.set_rollback(True)
    before = _footprint()

    @settings(
        max_examples=250 if trial_db.vendor == "sqlite" else 200,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    @given(data=st.data())
    def spoil_one(data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(cases)), label="service")
        case = cases[name]
        targets = sorted(case.types)
        targets += sorted(f"values.{f}" for f in case.values or {})
        target = data.draw(st.sampled_from(targets), label="argument")
        args = dict(case.args)
        if target.startswith("values."):
            field = target.removeprefix("values.")
            bad = data.draw(BAD[(case.values or {})[field]], label="value")
            args[case.values_arg] = _spoilt(args[case.values_arg], field, bad)
        else:
            args[target] = data.draw(BAD[case.types[target]], label="value")
        try:
            _call(case, args)
        except (InputError, StateError, PermissionDenied):
            pass
        else:
            pytest.fail(
                f"{name} accepted {target} = {args.get(target, args.get(case.values_arg))!r}"
            )
        assert _footprint() == before

    spoil_one()
