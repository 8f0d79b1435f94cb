"""Safety tables by arm and the ADaM-like analysis data sets."""

from __future__ import annotations

from types import SimpleNamespace

from oligotrial.endpoints import derive_all
from oligotrial.endpoints.datasets import adae, adrs, adsl, adtte
from oligotrial.endpoints.safety import by_soc_and_term, lab_grades, overview


def _ae(term: str, soc: str, grade: int, start: str, serious: bool = False) -> dict:
    return {"term": term, "soc": soc, "grade": grade, "start_date": start, "serious": serious}


GI, HEP = "Gastrointestinal disorders", "Hepatobiliary disorders"


def _patients(p: SimpleNamespace) -> list:
    return [
        p.patient(
            [(56, p.SD)],
            subject_id="A1",
            arm="A",
            adverse_events=[
                _ae("Diarrhoea", GI, 1, "2025-01-10"),
                _ae("Diarrhoea", GI, 3, "2025-02-10"),
                _ae("Nausea", GI, 2, "2025-02-11"),
            ],
        ),
        p.patient(
            [(56, p.SD)],
            subject_id="A2",
            arm="A",
            adverse_events=[
                _ae("Hepatic failure", HEP, 5, "2025-03-01", serious=True),
                _ae("Nausea", GI, 4, "2025-01-20"),
            ],
        ),
        p.patient([(56, p.SD)], subject_id="A3", arm="A"),
        p.patient(
            [(56, p.SD)],
            subject_id="B1",
            arm="B",
            adverse_events=[
                _ae("Nausea", GI, 1, "2024-12-20"),  # before randomization: not emergent
                _ae("Nausea", GI, 2, "2025-01-05", serious=True),
            ],
        ),
    ]


def test_overview_counts_patients_once(p: SimpleNamespace) -> None:
    rows = {r.arm: r for r in overview(_patients(p))}
    a, b_ = rows["A"], rows["B"]
    assert (a.patients, a.any_ae, a.grade_3_4, a.grade_5, a.serious) == (3, 2, 2, 1, 1)
    assert (b_.patients, b_.any_ae, b_.grade_3_4, b_.grade_5, b_.serious) == (1, 1, 0, 0, 1)


def test_soc_and_term_at_maximum_grade(p: SimpleNamespace) -> None:
    rows = {(r.soc, r.term, r.arm): r for r in by_soc_and_term(_patients(p))}
    gi_a = rows[(GI, None, "A")]
    assert (gi_a.any_grade, gi_a.grade_3_4, gi_a.grade_5) == (2, 2, 0)  # A1 max 3, A2 max 4
    diarrhoea = rows[(GI, "Diarrhoea", "A")]
    assert (diarrhoea.any_grade, diarrhoea.grade_3_4) == (1, 1)  # A1 once, at grade 3
    nausea = rows[(GI, "Nausea", "A")]
    assert (nausea.any_grade, nausea.grade_3_4) == (2, 1)
    assert rows[(HEP, "Hepatic failure", "A")].grade_5 == 1
    assert rows[(HEP, None, "B")].any_grade == 0
    order = [(r.soc, r.term) for r in by_soc_and_term(_patients(p)) if r.arm == "A"]
    assert order[0] == (GI, None) and order[1] == (GI, "Diarrhoea")


def test_lab_grades_use_the_pre_randomization_baseline(p: SimpleNamespace) -> None:
    rec = p.patient(
        [],
        labs=[
            {"test": "alt", "date": "2024-12-28", "value": 80, "uln": 40},
            {"test": "alt", "date": "2025-02-01", "value": 110, "uln": 40},
            {"test": "alt", "date": "2025-03-01", "value": 120, "uln": 40},
            {"test": "platelets", "date": "2025-02-01", "value": 60},
        ],
    )
    grades = {(g.test, g.value): g.grade for g in lab_grades(rec)}
    # abnormal baseline 80 > ULN: grade 1 starts at 1.5 × 80 = 120, not at the ULN
    assert grades == {("alt", 110): 0, ("alt", 120): 1, ("platelets", 60): 2}


def test_analysis_data_sets(p: SimpleNamespace) -> None:
    results = derive_all(tuple(_patients(p)))
    sl = adsl(results, "TEST-01")
    assert list(sl["USUBJID"]) == ["A1", "A2", "A3", "B1"] and set(sl["ITTFL"]) == {"Y"}
    assert set(sl["STUDYID"]) == {"TEST-01"}  # the protocol's id, as the caller gives it
    tte = adtte(results, "TEST-01")
    assert set(tte["PARAMCD"]) == {"PFS", "OS"}
    pfs = tte[(tte.USUBJID == "A1") & (tte.PARAMCD == "PFS")].iloc[0]
    assert (pfs.AVAL, pfs.CNSR, pfs.EVNTDESC) == (57, 2, None)
    rs = adrs(results, "TEST-01")
    assert list(rs[rs.USUBJID == "A1"]["PARAMCD"]) == ["OVR", "BOR"]
    ae = adae(results, "TEST-01")
    assert len(ae) == 7
    assert list(ae[ae.USUBJID == "B1"]["TRTEMFL"].eq("Y")) == [False, True]
