"""The report's exploratory section from a synthetic trial's samples: in the HTML (tables,
spaghetti plot) and the PDF; absent when no laboratory results are given."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from oligotrial.exploratory import BiopsyGenes, CtdnaObservation, ExploratoryData
from oligotrial.protocol import load_protocol
from oligotrial.reports import build_report, render_html, write_pdf
from oligotrial.synth import simulate_trial
from oligotrial.synth.frames import report_inputs


def _data(trial: object) -> ExploratoryData:
    ctdna, biopsies = [], []
    for p in trial.patients:  # type: ignore[attr-defined]
        for s in p.ctdna:
            if s.collected:
                day = (s.planned - p.randomized).days
                ctdna.append(
                    CtdnaObservation(
                        p.usubjid,
                        p.arm,
                        s.timepoint,
                        day,
                        bool(s.ctdna_detected),
                        s.max_vaf_percent,
                    )
                )
        for b in p.biopsies:
            if b.collected:
                genes = frozenset(m.gene for m in b.mutations)
                biopsies.append(BiopsyGenes(p.usubjid, p.arm, b.timepoint, genes))
    schedule = load_protocol().schedule
    return ExploratoryData(tuple(ctdna), tuple(biopsies), schedule.ctdna, schedule.biopsy)


def test_exploratory_section_in_html_and_pdf(tmp_path: Path) -> None:
    trial = simulate_trial(31, "benefit", n_patients=60)
    inputs = report_inputs(trial)
    plain = build_report(inputs)
    assert plain.exploratory is None and "exploratory" not in dict(plain.sections)
    report = build_report(dataclasses.replace(inputs, exploratory=_data(trial)))
    extra = report.exploratory
    assert extra is not None and extra.cox is not None and extra.landmark is not None
    assert list(extra.detection["Samples"])[:2] == [
        sum(
            1
            for p in trial.patients
            if p.arm == arm
            for s in p.ctdna
            if s.collected and s.timepoint == "baseline"
        )
        for arm in ("A", "B")
    ]
    html = render_html(report)
    assert '<section id="exploratory"><h2>Exploratory: ctDNA and biopsies</h2>' in html
    for heading in ("Clearance after radiotherapy", "time-dependent covariate", "paired biopsies"):
        assert heading in html
    assert 'alt="Spaghetti plot of ctDNA VAF over time" src="data:image/png;base64,' in html
    sections = [s[0] for s in report.sections]
    assert sections.index("exploratory") == sections.index("design") - 1
    pdf = write_pdf(report, tmp_path / "r.pdf")
    assert Path(pdf).read_bytes()[:5] == b"%PDF-"
