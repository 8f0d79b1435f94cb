"""The row layout shared by the two lean extractors and the column builder.

Plainly valid records become rows of plain values (bool codes 0/1/2, NaN for unknown
numbers, ISO date text, small integer codes for lesion vocabularies); records that are
not plainly valid raise :class:`Odd` and go to the pydantic model instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oligotrial.clinical.anatomy import lymph_node_region, organ_system
from oligotrial.errors import InputError


class Odd(Exception):
    """The record is not plainly valid: let the pydantic model decide."""


NAN = float("nan")


# Lesion vocabularies as small integer codes for the column-wise path.
MODALITY_CODES = {
    m: i for i, m in enumerate(("CT", "MRI", "PET-CT", "X-ray", "clinical", "ultrasound", "PET"))
}
KIND_CODES = {
    k: i
    for i, k in enumerate(
        ("solid", "cystic", "effusion", "ascites", "lymphangitic", "leptomeningeal")
    )
}
BONE_CODES: dict[str | None, int] = {None: 0, "lytic": 1, "mixed": 2, "blastic": 3}
SYSTEM_CODES: dict[str, int] = {}  # organ/system name -> code, grows as names are seen
REGION_CODES: dict[str | None, int] = {None: -1}  # node drainage region -> code


def system_code(system: str) -> int:
    return SYSTEM_CODES.setdefault(system, len(SYSTEM_CODES))


def region_code(region: str | None) -> int:
    return REGION_CODES.setdefault(region, len(REGION_CODES) - 1)


@dataclass
class LeanRows:
    """Rows pulled from plainly valid records (``owner`` = position in the batch)."""

    owners: list[int] = field(default_factory=list)
    scalars: list[tuple[Any, ...]] = field(default_factory=list)
    lesions: list[tuple[Any, ...]] = field(default_factory=list)
    malignancies: list[tuple[Any, ...]] = field(default_factory=list)
    rt_lesion_ids: list[tuple[int, str]] = field(default_factory=list)
    date_owners: list[int] = field(default_factory=list)
    date_texts: list[str] = field(default_factory=list)
    odd: list[int] = field(default_factory=list)


# The scalar columns in row order, with their kind: text ("t", object), date ("d", ISO
# text, "" unknown), bool code ("b": 0/1, 2 unknown), number ("n", NaN unknown).
SCALARS = (
    ("patient_id", "t"),
    ("screening_date", "d"),
    ("sex", "t"),
    ("birth_date", "d"),
    ("consent_signed", "b"),
    ("consent_date", "d"),
    ("procedure_date", "d"),
    ("basis", "t"),
    ("diagnosis_date", "d"),
    ("histology", "t"),
    ("flst_setting", "t"),
    ("flst_start", "d"),
    ("disease_control", "d"),
    ("ongoing", "b"),
    ("prior_lines", "n"),
    ("start_stage", "t"),
    ("start_ecog", "n"),
    ("start_mvi", "b"),
    ("start_ehs", "b"),
    ("start_cp", "n"),
    ("start_count", "n"),
    ("start_largest", "n"),
    ("ae_max_grade", "n"),
    ("oligo_date", "d"),
    ("confirmed_by", "t"),
    ("poly", "b"),
    ("oligo", "b"),
    ("has_lesions", "b"),
    ("ecog", "n"),
    ("ascites", "t"),
    ("enceph", "t"),
    ("hbsag", "b"),
    ("antiviral", "b"),
    ("has_malignancy_list", "b"),
    ("rt_courses", "n"),
    ("interventional", "b"),
    ("received_investigational", "b"),
    ("investigational_date", "d"),
    ("autoimmune", "b"),
    ("steroids", "b"),
    ("allergy", "b"),
    ("transplant", "b"),
    ("bleeding", "b"),
    ("pregnant", "b"),
    ("breastfeeding", "b"),
    ("tumour_sample", "b"),
    ("blood_sample", "b"),
    ("expected_survival", "n"),
    ("severe", "b"),
    ("investigator_excludes", "b"),
    ("bilirubin_value", "n"),
    ("bilirubin_unit", "t"),
    ("albumin_value", "n"),
    ("albumin_unit", "t"),
    ("inr_value", "n"),
    ("inr_unit", "t"),
    ("afp_value", "n"),
    ("afp_unit", "t"),
    ("hbv_dna_value", "n"),
    ("hbv_dna_unit", "t"),
    ("hbv_dna_uln", "n"),
)
FACT_LABS = ("bilirubin", "albumin", "inr", "afp", "hbv_dna")


@dataclass
class Caches:
    systems: dict[str, str | None] = field(default_factory=dict)
    regions: dict[str, str | None] = field(default_factory=dict)

    def system(self, organ: str) -> str:
        if organ not in self.systems:
            try:
                self.systems[organ] = organ_system(organ)
            except InputError:
                self.systems[organ] = None
        found = self.systems[organ]
        if found is None:
            raise Odd
        return found

    def region(self, text: str) -> str:
        if text not in self.regions:
            try:
                self.regions[text] = lymph_node_region(text)
            except InputError:
                self.regions[text] = None
        found = self.regions[text]
        if found is None:
            raise Odd
        return found

    units: dict[tuple[str, str], bool] = field(default_factory=dict)

    def unit(self, analyte: str, unit: str) -> None:
        key = (analyte, unit)
        if key not in self.units:
            from oligotrial.clinical.units import to_canonical

            try:
                to_canonical(analyte, 1.0, unit)
                self.units[key] = True
            except InputError:
                self.units[key] = False
        if not self.units[key]:
            raise Odd


CACHES = Caches()
