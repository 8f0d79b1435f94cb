"""Adverse events by arm, CTCAE v5.0 terms with their system organ class.

Frequencies (any grade, grade ≥ 3 among patients) are plausible values, not estimates:
regorafenib's from RESORCE (Bruix, Lancet 2017: hand-foot skin reaction 53 % / 13 %,
hypertension 31 % / 15 %, fatigue 40 % / 9 %, diarrhoea 41 % / 3 %, AST and bilirubin
increases); arm A combines continued FLST (bevacizumab/TKI-related hypertension and
proteinuria) with liver-directed RT (radiation-induced liver disease a few per cent,
transaminase rises, platelet decrease; pneumonitis after lung RT). Radiation-induced liver
disease, which CTCAE v5.0 has no term of its own for, is recorded under "Hepatobiliary
disorders - Other, specify". Every term is a CTCAE v5.0 term; its system organ class and the
grades it may take come from the dictionary (:mod:`oligotrial.clinical.ctcae_terms`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from oligotrial.clinical.ctcae_terms import CtcaeTerm, lookup

#: CTCAE v5.0 has no term for radiation-induced liver disease; its SOC's "Other" term
RILD = "Hepatobiliary disorders - Other, specify"


@dataclass(frozen=True)
class AeSpec:
    term: str
    p_any: float
    p_grade3_plus: float

    @property
    def ctcae(self) -> CtcaeTerm:
        return lookup(self.term)

    @property
    def soc(self) -> str:
        return self.ctcae.soc


def defined_grade(term: CtcaeTerm, grade: int) -> int:
    """The highest grade CTCAE defines for ``term`` up to ``grade`` (else its lowest)."""
    below = [g for g in term.grade_numbers if g <= grade]
    return max(below) if below else min(term.grade_numbers)


ARM_A_AES: tuple[AeSpec, ...] = (
    AeSpec("Fatigue", 0.34, 0.03),
    AeSpec("Alanine aminotransferase increased", 0.30, 0.05),
    AeSpec("Aspartate aminotransferase increased", 0.33, 0.06),
    AeSpec("Platelet count decreased", 0.28, 0.05),
    AeSpec("Hypertension", 0.24, 0.07),
    AeSpec("Proteinuria", 0.20, 0.03),
    AeSpec("Anorexia", 0.18, 0.01),
    AeSpec("Nausea", 0.16, 0.01),
    AeSpec(RILD, 0.06, 0.02),
    AeSpec("Pneumonitis", 0.05, 0.01),
    AeSpec("Dermatitis radiation", 0.06, 0.0),
)

ARM_B_AES: tuple[AeSpec, ...] = (
    AeSpec("Palmar-plantar erythrodysesthesia syndrome", 0.52, 0.13),
    AeSpec("Hypertension", 0.31, 0.15),
    AeSpec("Fatigue", 0.40, 0.09),
    AeSpec("Diarrhea", 0.41, 0.03),
    AeSpec("Anorexia", 0.31, 0.03),
    AeSpec("Aspartate aminotransferase increased", 0.25, 0.10),
    AeSpec("Alanine aminotransferase increased", 0.20, 0.05),
    AeSpec("Blood bilirubin increased", 0.20, 0.07),
    AeSpec("Platelet count decreased", 0.18, 0.04),
    AeSpec("Proteinuria", 0.12, 0.02),
)


@dataclass(frozen=True)
class SynthAdverseEvent:
    term: str
    soc: str
    grade: int
    serious: bool
    onset_day: int
    related: bool
    #: the ICH E2A criteria of a serious event (the record's field names), none otherwise
    criteria: tuple[str, ...] = ()


def seriousness_criteria(grade: int, serious: bool, u: float) -> tuple[str, ...]:
    """The criterion a serious event meets, from a uniform draw ``u`` in [0, 1): a fatal
    event results in death; a grade 4 event is life-threatening or leads to hospitalisation
    (or, rarely, is otherwise medically important); a grade 3 one leads to hospitalisation
    or is medically important."""
    if not serious:
        return ()
    if grade == 5:
        return ("sae_death",)
    if grade == 4:
        if u < 0.5:
            return ("sae_life_threatening",)
        return ("sae_hospitalisation",) if u < 0.9 else ("sae_medically_important",)
    return ("sae_hospitalisation",) if u < 0.8 else ("sae_medically_important",)


def draw_adverse_events(
    rng: np.random.Generator,
    arm: str,
    days_on_treatment: int,
    liver_rt: bool,
    lung_rt: bool,
    death_day: int | None = None,
) -> list[SynthAdverseEvent]:
    """One row per term the patient had, at its worst grade, with onset on treatment or
    within 30 days after it (treatment-emergent); onsets do not depend on how long the
    treatment lasted, only which events fall in the window does.

    A fatal (grade 5) event is kept only for a patient who died within 30 days of the end
    of treatment, dated to the death; otherwise it becomes grade 4.
    """
    specs = ARM_A_AES if arm == "A" else ARM_B_AES
    horizon = max(days_on_treatment, 14)
    out: list[SynthAdverseEvent] = []
    for spec in specs:
        # a fixed block of draws per term keeps every patient's stream independent of
        # which events end up inside the window
        u, g5, g4, g2, ser = rng.random(5)
        onset = int(rng.gamma(1.5, 25.0)) + 1
        if arm == "A" and spec.term == RILD and not liver_rt:
            continue
        if arm == "A" and spec.term == "Pneumonitis" and not lung_rt:
            continue
        if u >= spec.p_any or onset > horizon + 30:
            continue
        if u < spec.p_grade3_plus:
            grade = 5 if g5 < 0.02 else (4 if g4 < 0.12 else 3)
        else:
            grade = 1 if g2 < 0.6 else 2
        if grade == 5 and 5 not in spec.ctcae.grade_numbers:
            grade = 4  # a term that cannot be fatal (e.g. fatigue)
        if grade == 5:
            fatal_ok = (
                death_day is not None
                and death_day <= horizon + 30
                and not any(e.grade == 5 for e in out)
            )
            if fatal_ok and death_day is not None:
                onset = death_day
            else:
                grade = 4
        serious = bool(grade >= 4 or (grade == 3 and ser < 0.4))
        # the criterion reuses the seriousness draw, uniform given seriousness (ser < 0.4
        # for grade 3), so no further draw shifts the stream of the events that follow
        u = ser / 0.4 if grade == 3 else ser
        grade = defined_grade(spec.ctcae, grade)  # fatigue has no grade 4, for example
        criteria = seriousness_criteria(grade, serious, u)
        out.append(SynthAdverseEvent(spec.term, spec.soc, grade, serious, onset, True, criteria))
    return out
