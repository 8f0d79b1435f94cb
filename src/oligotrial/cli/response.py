"""Commands ``oligotrial recist``, ``oligotrial endpoints``, ``oligotrial schema assessments``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from oligotrial.cli._common import guarded, print_json, stdout

if TYPE_CHECKING:
    from oligotrial.endpoints.derive import PatientEndpoints
    from oligotrial.endpoints.settings import EndpointSettings
    from oligotrial.response.settings import ResponseSettings

FILE_HELP = 'JSON file: one patient, or {"patients": [...]} (see `oligotrial schema assessments`).'
PROTOCOL_HELP = (
    "Protocol YAML whose response/endpoints/schedule settings to use (default: built-in)."
)


def _settings(protocol: Path | None) -> tuple[ResponseSettings, EndpointSettings]:
    from oligotrial.endpoints.settings import EndpointSettings
    from oligotrial.response.settings import ResponseSettings

    if protocol is None:
        return ResponseSettings(), EndpointSettings()
    import importlib

    # The protocol loader is optional here: the built-in defaults equal the shipped protocol.
    loader = getattr(importlib.import_module("oligotrial.protocol"), "load_protocol", None)
    if loader is None:
        from oligotrial.errors import InputError

        raise InputError("--protocol", "this build has no protocol loader; omit --protocol")
    p = loader(protocol)
    return (
        ResponseSettings.from_protocol(p.response),
        EndpointSettings.from_protocol(p.endpoints, p.schedule),
    )


def _mm(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}%"


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _time_points_json(r: PatientEndpoints) -> list[dict[str, Any]]:
    from dataclasses import asdict

    if r.response is None:
        return []
    return [{k: _iso(v) for k, v in asdict(tp).items()} for tp in r.response.time_points]


def _best_json(r: PatientEndpoints) -> dict[str, Any]:
    from dataclasses import asdict

    return {k: _iso(v) for k, v in asdict(r.best).items()}


def _tte_json(t: Any) -> dict[str, Any] | None:
    if t is None:
        return None
    return {
        "paramcd": t.paramcd,
        "start_date": t.start_date.isoformat(),
        "date": t.date.isoformat(),
        "days": t.days,
        "months": round(t.months, 4),
        "cnsr": t.cnsr,
        "event_description": t.event_description,
        "censor_description": t.censor_description,
    }


def _print_recist(r: PatientEndpoints) -> None:
    resp = r.response
    head = f"{r.patient.subject_id}  {resp.criteria if resp else 'no baseline lesions'}"
    if resp is not None and resp.baseline_sum_mm is not None:
        head += f"  baseline sum {resp.baseline_sum_mm:g} mm"
    lines = [head]
    row = "{:<10} {:>4} {:>6} {:>8} {:>6} {:>8}  {:<3} {:<13} {:<9} {}"
    lines.append(
        row.format(
            "date", "day", "sum", "vs base", "nadir", "vs nadir", "T", "NT", "new", "overall"
        )
    )
    points = resp.time_points if resp else ()
    for tp in points:
        lines.append(
            row.format(
                tp.date.isoformat(),
                tp.day,
                _mm(tp.sum_mm) + ("*" if tp.sum_partial else ""),
                _pct(tp.change_from_baseline_pct),
                _mm(tp.nadir_mm),
                _pct(tp.change_from_nadir_pct),
                tp.target,
                tp.non_target,
                tp.new_lesions,
                tp.overall,
            )
        )
    for tp in points:
        lines.append(f"  {tp.date.isoformat()}  {tp.reason}")
    kind = "confirmed" if r.best.confirmed else "unconfirmed"
    lines.append(f"Best overall response ({kind}): {r.best.reason}")
    stdout.print("\n".join(lines) + "\n", highlight=False, markup=False)


def register(app: typer.Typer, schema_app: typer.Typer) -> None:
    """Add the response and endpoint commands."""

    @app.command("recist")
    @guarded
    def recist(
        file: Annotated[Path, typer.Argument(help=FILE_HELP)],
        criteria: Annotated[str, typer.Option(help="recist1.1 or mrecist.")] = "recist1.1",
        confirm: Annotated[bool, typer.Option("--confirm", help="Confirmed BOR.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        protocol: Annotated[Path | None, typer.Option(help=PROTOCOL_HELP)] = None,
    ) -> None:
        """Per-visit RECIST 1.1 / mRECIST responses with reasons, and best overall response."""
        from oligotrial.endpoints import derive_all, load_patients
        from oligotrial.errors import InputError
        from oligotrial.response.settings import CRITERIA

        if criteria not in CRITERIA:
            raise InputError("--criteria", f"must be one of {', '.join(CRITERIA)}")
        rs, es = _settings(protocol)
        results = derive_all(
            load_patients(file),
            rs,
            es,
            criteria=criteria,
            confirmed=confirm or None,
        )
        if as_json:
            print_json(
                [
                    {
                        "subject_id": r.patient.subject_id,
                        "criteria": criteria,
                        "baseline_sum_mm": r.response.baseline_sum_mm if r.response else None,
                        "time_points": _time_points_json(r),
                        "best_overall_response": _best_json(r),
                    }
                    for r in results
                ]
            )
            return
        for r in results:
            _print_recist(r)

    @app.command("endpoints")
    @guarded
    def endpoints(
        file: Annotated[Path, typer.Argument(help=FILE_HELP)],
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        protocol: Annotated[Path | None, typer.Option(help=PROTOCOL_HELP)] = None,
    ) -> None:
        """PFS, OS, DOR (CNSR codes, reasons), ORR/DCR and safety for a patient or data set."""
        from oligotrial.endpoints import derive_all, load_patients, response_rates
        from oligotrial.endpoints.safety import by_soc_and_term, lab_grades, overview

        rs, es = _settings(protocol)
        results = derive_all(load_patients(file), rs, es)
        patients = [r.patient for r in results]
        rates = response_rates(results)
        if as_json:
            from dataclasses import asdict

            print_json(
                {
                    "patients": [
                        {
                            "subject_id": r.patient.subject_id,
                            "arm": r.patient.arm,
                            "best_overall_response": _best_json(r),
                            "pfs": _tte_json(r.pfs),
                            "os": _tte_json(r.os),
                            "dor": _tte_json(r.dor),
                            "lab_grades": [
                                {k: _iso(v) for k, v in asdict(g).items()}
                                for g in lab_grades(r.patient)
                            ],
                        }
                        for r in results
                    ],
                    "rates": [{**asdict(x), "proportion": x.proportion} for x in rates],
                    "safety_overview": [asdict(x) for x in overview(patients)],
                    "safety_by_soc_term": [asdict(x) for x in by_soc_and_term(patients)],
                }
            )
            return
        _print_endpoints(results, rates, overview(patients), by_soc_and_term(patients))

    @schema_app.command("assessments")
    def schema_assessments() -> None:
        """JSON Schema of the tumour assessment / endpoint input file."""
        from oligotrial.endpoints.inputs import json_schema

        print_json(json_schema())


def _print_endpoints(results: Any, rates: Any, over: Any, soc_rows: Any) -> None:
    from rich.table import Table

    lines = []
    for r in results:
        lines.append(f"{r.patient.subject_id} (arm {r.patient.arm or '-'})  BOR {r.best.reason}")
        for t in (r.pfs, r.os, r.dor):
            if t is None:
                continue
            why = t.event_description or t.censor_description or ""
            lines.append(
                f"  {t.paramcd:<4}{t.days:>5} days ({t.months:6.2f} months)  CNSR {t.cnsr}  "
                f"{t.date.isoformat()}  {why}"
            )
    stdout.print("\n".join(lines) + "\n", highlight=False, markup=False)
    rt = Table(title="Response rates (exact 95% CI)", title_justify="left")
    for col in ("arm", "rate", "n/N", "%", "95% CI"):
        rt.add_column(col)
    for x in rates:
        pct = "" if x.proportion is None else f"{100 * x.proportion:.1f}"
        ci = "" if x.low is None else f"{100 * x.low:.1f}–{100 * x.high:.1f}"
        rt.add_row(x.arm, x.name, f"{x.count}/{x.total}", pct, ci)
    stdout.print(rt)
    st = Table(title="Safety: patients with", title_justify="left")
    for col in ("arm", "N", "any AE", "grade 3–4", "grade 5", "serious"):
        st.add_column(col)
    for o in over:
        st.add_row(
            o.arm, str(o.patients), str(o.any_ae), str(o.grade_3_4), str(o.grade_5), str(o.serious)
        )
    stdout.print(st)
    if soc_rows:
        arms = sorted({row.arm for row in soc_rows})
        keys = list(dict.fromkeys((row.soc, row.term) for row in soc_rows))
        cells = {(row.soc, row.term, row.arm): row for row in soc_rows}
        labels = [soc if term is None else f"  {term}" for soc, term in keys]
        width = max(len(label) for label in [*labels, "SOC / term"])
        head = "".join(f" | arm {arm}: any  3–4    5" for arm in arms)
        out = ["Patients by SOC and term at maximum grade", f"{'SOC / term':<{width}}{head}"]
        for label, (soc, term) in zip(labels, keys, strict=True):
            line = f"{label:<{width}}"
            for arm in arms:
                c = cells[(soc, term, arm)]
                line += f" | {'':>5}{c.any_grade:>4} {c.grade_3_4:>4} {c.grade_5:>4}"
            out.append(line)
        stdout.print("\n".join(out), highlight=False, markup=False)
