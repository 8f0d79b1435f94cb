"""Organs in tumour records come from the clinical vocabulary; "in the liver" and
measurability are the clinical package's."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from oligotrial.response import ResponseSettings
from oligotrial.response.checks import organ_key, recist_measurability


def test_intrahepatic_follows_the_organ(b: SimpleNamespace) -> None:
    rec = b.record(
        [
            b.target("T1", 30, organ="Liver segment 7"),
            b.target("T2", 20, organ="right lung"),
            b.target("N1", 22, organ="lymph node", nodal=True, porta_hepatis=True),
        ],
        [],
    )
    assert [le.intrahepatic for le in rec.baseline] == [True, False, False]
    assert [le.organ for le in rec.baseline] == ["liver", "lung", "lymph-node"]


def test_contradicting_intrahepatic_flag_is_refused(b: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="contradicts organ 'lung'"):
        b.record([b.target("T1", 20, organ="lung", intrahepatic=True)], [])


def test_unmapped_organ_is_refused_with_choices(b: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="choose one of: liver, lung"):
        b.record([b.target("T1", 20, organ="somewhere")], [])


def test_new_lesion_in_the_liver_is_intrahepatic(b: SimpleNamespace) -> None:
    new = [{"id": "X1", "status": "unequivocal", "organ": "hepatic", "longest_mm": 12}]
    rec = b.record([b.target("T1", 30)], [b.visit(56, {"T1": 30}, new=new)])
    assert rec.assessments[0].new_lesions[0].intrahepatic is True


def test_paired_organs_and_nodes_by_the_clinical_organ(b: SimpleNamespace) -> None:
    rec = b.record(
        [
            b.target("T1", 20, organ="left adrenal gland"),
            b.target("N1", 20, organ="liver", nodal=True),
        ],
        [],
    )
    assert [organ_key(le) for le in rec.baseline] == ["adrenal gland", "lymph nodes"]


@pytest.mark.parametrize(
    ("organ", "size", "slice_mm", "measurable"),
    [("lung", 10, 5, True), ("lung", 11, 6, False), ("bone", 10, 5, True), ("bone", 9, 5, False)],
)
def test_measurability_is_the_clinical_rule(
    b: SimpleNamespace, organ: str, size: float, slice_mm: float, measurable: bool
) -> None:
    baseline = [b.non_target("NT1", organ=organ, longest_mm=size, slice_thickness_mm=slice_mm)]
    lesion = b.record(baseline, []).baseline[0]
    assert recist_measurability(lesion, ResponseSettings()).measurable is measurable
