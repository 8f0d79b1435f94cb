"""The exploratory analyses on small hand-made data whose answers are known."""

from __future__ import annotations

import numpy as np

from oligotrial.exploratory import (
    BiopsyGenes,
    CtdnaObservation,
    PfsTime,
    clearance,
    counting_process,
    detection_by_time_point,
    gene_changes,
    landmark_pfs,
    time_dependent_cox,
)
from oligotrial.stats import cox_ph

B, F, P = "baseline", "first-follow-up-after-rt", "progression"


def _o(s: str, arm: str, tp: str, day: int, det: bool, vaf: float = 1.0) -> CtdnaObservation:
    return CtdnaObservation(s, arm, tp, day, det, vaf if det else 0.0)


def test_detection_and_clearance_count_by_arm() -> None:
    obs = [
        _o("1", "A", B, 0, True),
        _o("1", "A", F, 40, False),
        _o("2", "A", B, 0, True),
        _o("2", "A", F, 42, True),
        _o("3", "B", B, 0, False),
        _o("3", "B", F, 28, False),
    ]
    rows = {(r.time_point, r.arm): r for r in detection_by_time_point(obs, (B, F, P), ("A", "B"))}
    assert (rows[(B, "A")].n, rows[(B, "A")].detected) == (2, 2)
    assert rows[(P, "A")].n == 0 and rows[(P, "A")].percent is None
    assert 0 < rows[(F, "A")].lower < 50 < rows[(F, "A")].upper  # type: ignore[operator]
    clear = {r.arm: r for r in clearance(obs, B, F, ("A", "B"))}
    assert (clear["A"].detected_at_baseline, clear["A"].cleared, clear["A"].percent) == (2, 1, 50)
    assert clear["B"].detected_at_baseline == 0 and clear["B"].percent is None


def test_counting_process_splits_at_each_draw_before_the_event() -> None:
    obs = [_o("1", "A", B, -3, False), _o("1", "A", F, 40, True), _o("1", "A", P, 90, True)]
    cp = counting_process(obs, [PfsTime("1", "A", 90.0, True)], "A")
    assert cp.start.tolist() == [0.0, 40.0] and cp.stop.tolist() == [40.0, 90.0]
    assert cp.detected.tolist() == [0.0, 1.0] and cp.event.tolist() == [0, 1]
    assert cp.experimental.tolist() == [1.0, 1.0]
    late = counting_process([_o("2", "B", F, 30, True)], [PfsTime("2", "B", 50.0, False)], "A")
    assert late.start.tolist() == [30.0] and late.stop.tolist() == [50.0]  # enters at its draw


def test_time_dependent_cox_is_the_engine_fit_on_the_split_rows() -> None:
    rng = np.random.default_rng(3)
    obs, pfs = [], []
    for i in range(60):
        arm = "A" if i % 2 else "B"
        base = bool(rng.random() < 0.8)
        follow = bool(rng.random() < (0.7 if base else 0.2))
        t = float(rng.exponential(200 if not follow else 90)) + 1
        obs += [_o(str(i), arm, B, 0, base), _o(str(i), arm, F, 35, follow)]
        pfs.append(PfsTime(str(i), arm, t, bool(rng.random() < 0.85)))
    cp = counting_process(obs, pfs, "A")
    fit = time_dependent_cox(cp)
    direct = cox_ph(
        cp.stop,
        cp.event,
        {"ctdna_detected": cp.detected, "experimental_arm": cp.experimental},
        start=cp.start,
        cluster=list(cp.subject),
    )
    assert fit.coef == direct.coef and fit.robust and fit.n_clusters == 60
    assert fit.hazard_ratio["ctdna_detected"] > 1  # persisting ctDNA shortens PFS here


def test_landmark_keeps_patients_event_free_at_the_last_follow_up_draw() -> None:
    obs = [
        _o("1", "A", F, 30, False),
        _o("2", "A", F, 45, True),
        _o("3", "B", F, 40, True),
        _o("4", "B", F, 35, False),
    ]
    pfs = [
        PfsTime("1", "A", 300, True),
        PfsTime("2", "A", 100, True),
        PfsTime("3", "B", 44, True),  # progressed before the landmark: left out
        PfsTime("4", "B", 200, False),
    ]
    lm = landmark_pfs(obs, pfs, F)
    assert lm is not None and lm.landmark_day == 45
    assert lm.groups["detected"][:2] == (1, 1) and lm.groups["not detected"][:2] == (2, 1)
    assert lm.groups["detected"][2] == 100  # median PFS from randomization
    assert landmark_pfs(obs, pfs, "none") is None


def test_gene_changes_between_paired_biopsies() -> None:
    bx = [
        BiopsyGenes("1", "A", B, frozenset({"TP53", "TERT"})),
        BiopsyGenes("1", "A", P, frozenset({"TP53", "TERT", "KEAP1"})),
        BiopsyGenes("2", "B", B, frozenset({"CTNNB1"})),
        BiopsyGenes("2", "B", P, frozenset()),
        BiopsyGenes("3", "B", B, frozenset({"TP53"})),  # no pair
    ]
    rows = {(c.gene, c.arm): c for c in gene_changes(bx, B, P, ("A", "B"))}
    assert set(rows) == {("KEAP1", "A"), ("CTNNB1", "B")}
    assert (rows[("KEAP1", "A")].gained, rows[("CTNNB1", "B")].lost) == (1, 1)
    assert rows[("CTNNB1", "B")].pairs == 1
