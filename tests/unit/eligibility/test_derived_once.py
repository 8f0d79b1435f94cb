"""Each derived value is computed once per record, whatever number of rules use it, and
remembering it changes no verdict."""

from __future__ import annotations

from typing import Any

import pytest
from eligibility_kit import AS_OF, PROTOCOL, base

import oligotrial.eligibility.clinical_bridge as bridge
import oligotrial.eligibility.lesion_facts as lesion_facts
from oligotrial.clinical.units import to_canonical
from oligotrial.eligibility.canonical import canonical
from oligotrial.eligibility.evaluate import evaluate
from oligotrial.eligibility.reading import record_from_data
from oligotrial.errors import InputError


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[Any]:
    calls: list[Any] = []
    original = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_clinical_lesions_and_the_estro_eortc_class_are_built_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lesions = _counting(monkeypatch, lesion_facts, "clinical_lesion")
    classes = _counting(monkeypatch, bridge, "estro_eortc")
    record = record_from_data(base(), as_of=AS_OF)
    first = evaluate(PROTOCOL, record)
    count = len(record.oligoprogression.lesions or ())
    assert len(lesions) == count  # none irradiated: one clinical lesion each
    assert len(classes) == 1  # category and state share one classification
    assert evaluate(PROTOCOL, record) == first  # remembered: nothing rebuilt, same verdicts
    assert len(lesions) == count and len(classes) == 1


def test_an_irradiated_progressing_lesion_gets_its_own_clinical_lesion(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = base()
    data["oligoprogression"]["lesions"][1].update(
        previously_irradiated=True, progressed_after_rt=True
    )
    lesions = _counting(monkeypatch, lesion_facts, "clinical_lesion")
    result = evaluate(PROTOCOL, record_from_data(data, as_of=AS_OF))
    assert [irradiated for _, irradiated in lesions].count(True) == 1
    assert result.failed == ("E6",)


def test_remembered_unit_conversions_equal_the_unit_table() -> None:
    for analyte, value, unit in (("bilirubin", 1.1, "mg/dL"), ("afp", 8264, "IU/mL")):
        assert canonical(analyte, value, unit) == to_canonical(analyte, value, unit)
        assert canonical(analyte, value, unit) == to_canonical(analyte, value, unit)
    canonical("inr", 1, "")
    with pytest.raises(InputError):  # True is not cached as 1
        canonical("inr", True, "")
