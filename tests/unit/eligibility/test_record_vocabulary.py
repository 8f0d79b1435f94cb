"""Lesion organs and lymph-node regions are read through the controlled vocabulary."""

from __future__ import annotations

import pytest
from eligibility_kit import AS_OF, base

from oligotrial.eligibility import record_from_data
from oligotrial.errors import InputError


def test_aliases_are_stored_as_their_codes() -> None:
    data = base()
    lesions = data["oligoprogression"]["lesions"]
    lesions[0]["organ"] = "Liver segment 7"
    lesions[2]["lymph_node_region"] = "No. 16a1"
    lesions[2]["organ"] = "淋巴结"
    record = record_from_data(data, as_of=AS_OF)
    stored = record.oligoprogression.lesions
    assert stored is not None
    assert [le.organ for le in stored] == ["liver", "lung", "lymph-node", "liver"]
    assert stored[2].lymph_node_region == "16a1"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("organ", "liverish mass", "choose one of: liver, lung"),
        ("lymph_node_region", "behind the pancreas somewhere", "give a station number"),
        ("lymph_node_region", "16", "16a or 16b"),
    ],
)
def test_unmapped_text_is_refused_at_read_time(field: str, value: str, words: str) -> None:
    data = base()
    data["oligoprogression"]["lesions"][2][field] = value
    with pytest.raises(InputError) as err:
        record_from_data(data, as_of=AS_OF)
    assert err.value.field == f"oligoprogression.lesions.2.{field}"
    assert words in str(err.value)
