"""The safety population: who the adverse-event tables count, and in which arm.

ICH E3 §12 and the CONSORT extension for harms (Ioannidis et al., Ann Intern Med 2004):
safety is analysed in all randomized patients who received at least one dose of study
treatment, by the treatment actually received. Derived here once, from ADSL, for every
safety table, the CONSORT "treated" counts and the text that explains the exclusions:

* membership: ADSL ``SAFFL`` ("Y"/"N") when the column is there (checked against
  ``TRTSDT`` when both are given: a flag that contradicts the treatment start is refused);
  otherwise a non-empty ``TRTSDT`` (first dose); with neither, every randomized patient
  (stated as such in the report);
* arm: ``ACTARMCD`` (arm actually received) when given, else the randomized ``ARMCD`` —
  in this open-label trial patients are analysed as randomized unless the data say
  otherwise;
* each randomized patient left out carries a reason: death or study discontinuation
  (``DCSREAS``) before the first dose, else "no study treatment started".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from oligotrial.errors import InputError


@dataclass(frozen=True)
class Exclusion:
    """A randomized patient outside the safety population."""

    usubjid: str
    arm: str
    reason: str


@dataclass(frozen=True)
class SafetyPopulation:
    """Members (USUBJID -> arm analysed), N per arm, exclusions and how it was derived."""

    arms: dict[str, str]
    n: dict[str, int]
    randomized: dict[str, int]
    treated_by_randomized_arm: dict[str, int]
    excluded: tuple[Exclusion, ...]
    switched: int
    source: str

    @property
    def total(self) -> int:
        return sum(self.n.values())

    def members(self) -> pd.DataFrame:
        """USUBJID and ARMCD (the arm analysed) of every member."""
        return pd.DataFrame(
            {"USUBJID": list(self.arms), "ARMCD": list(self.arms.values())},
            columns=["USUBJID", "ARMCD"],
        )


def _present(value: Any) -> bool:
    """A recorded value: not None, NaN, NaT or blank."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return False
    return str(value).strip() != ""


def _reason(row: Mapping[str, Any]) -> str:
    if _present(row.get("DTHDT")) or row.get("DTHFL") == "Y":
        return "died before the first dose"
    if _present(row.get("DCSREAS")):
        why = str(row["DCSREAS"]).replace("-", " ").replace("_", " ").lower()
        return f"left the study before the first dose ({why})"
    return "no study treatment started"


def _member_flags(adsl: pd.DataFrame) -> tuple[pd.Series, str]:
    started = adsl["TRTSDT"].map(_present) if "TRTSDT" in adsl.columns else None
    if "SAFFL" in adsl.columns:
        flag = adsl["SAFFL"].astype(str).str.strip().str.upper()
        bad = adsl[~flag.isin(["Y", "N"])]
        if not bad.empty:
            raise InputError("adsl.SAFFL", f"must be Y or N (patient {bad['USUBJID'].iloc[0]})")
        member = flag == "Y"
        if started is not None:
            clash = adsl[member != started]
            if not clash.empty:
                row = clash.iloc[0]
                state = "empty" if member[clash.index[0]] else "given"
                raise InputError(
                    "adsl.SAFFL",
                    f"{row['SAFFL']} for {row['USUBJID']} but TRTSDT (first dose) is {state}",
                )
        return member, "ADSL SAFFL"
    if started is not None:
        return started.astype(bool), "ADSL TRTSDT (first dose recorded)"
    return pd.Series(True, index=adsl.index), "none given: every randomized patient counted"


def safety_population(adsl: pd.DataFrame, arms: Mapping[str, str] | list[str]) -> SafetyPopulation:
    """The safety population of ``adsl`` (USUBJID, ARMCD; optional SAFFL, TRTSDT, ACTARMCD,
    DTHDT/DTHFL, DCSREAS) for the arm codes ``arms``."""
    codes = list(arms)
    member, source = _member_flags(adsl)
    analysed = adsl["ARMCD"].astype(str)
    if "ACTARMCD" in adsl.columns:
        actual = adsl["ACTARMCD"].where(adsl["ACTARMCD"].map(_present), adsl["ARMCD"])
        unknown = adsl[member & ~actual.astype(str).isin(codes)]
        if not unknown.empty:
            raise InputError(
                "adsl.ACTARMCD",
                f"unknown arm {unknown['ACTARMCD'].iloc[0]!r} "
                f"for treated patient {unknown['USUBJID'].iloc[0]}",
            )
        analysed = actual.astype(str)
    in_pop = adsl[member]
    arm_of = dict(zip(in_pop["USUBJID"].astype(str), analysed[member], strict=True))
    excluded = tuple(
        Exclusion(str(r["USUBJID"]), str(r["ARMCD"]), _reason(r))
        for r in adsl[~member].to_dict("records")
    )
    return SafetyPopulation(
        arms=arm_of,
        n={a: sum(1 for v in arm_of.values() if v == a) for a in codes},
        randomized={a: int((adsl["ARMCD"] == a).sum()) for a in codes},
        treated_by_randomized_arm={a: int(((adsl["ARMCD"] == a) & member).sum()) for a in codes},
        excluded=excluded,
        switched=int((member & (analysed != adsl["ARMCD"].astype(str))).sum()),
        source=source,
    )
