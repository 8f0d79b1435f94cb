"""ESTRO-EORTC classification: every branch of the decision tree."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest

from oligotrial.clinical.oligo import add_months, estro_eortc_class
from oligotrial.errors import InputError

STATES = {
    (False, False): "oligorecurrence",
    (False, True): "oligorecurrence",
    (True, True): "oligoprogression",
    (True, False): "oligopersistence",
}


@pytest.mark.parametrize(("therapy", "progressing"), list(product([False, True], repeat=2)))
@pytest.mark.parametrize("oligo_history", [False, True])
def test_induced_when_polymetastatic_history(
    therapy: bool, progressing: bool, oligo_history: bool
) -> None:
    result = estro_eortc_class(
        history_polymetastatic=True,
        history_oligometastatic=oligo_history,
        on_systemic_therapy=therapy,
        progressing_lesion=progressing,
    )
    state = STATES[(therapy, progressing)]
    assert (result.category, result.timing, result.state) == ("induced", None, state)
    assert result.label == f"induced {state}"
    assert result.repeat_or_induced_oligoprogression is (state == "oligoprogression")


@pytest.mark.parametrize(("therapy", "progressing"), list(product([False, True], repeat=2)))
def test_repeat_when_oligometastatic_history(therapy: bool, progressing: bool) -> None:
    result = estro_eortc_class(
        history_polymetastatic=False,
        history_oligometastatic=True,
        on_systemic_therapy=therapy,
        progressing_lesion=progressing,
    )
    state = STATES[(therapy, progressing)]
    assert (result.category, result.state, result.label) == ("repeat", state, f"repeat {state}")
    assert result.repeat_or_induced_oligoprogression is (state == "oligoprogression")


@pytest.mark.parametrize(
    ("primary", "omd", "timing"),
    [
        (date(2024, 1, 15), date(2024, 1, 15), "synchronous"),
        (date(2024, 1, 15), date(2024, 7, 15), "synchronous"),
        (date(2024, 1, 15), date(2024, 7, 16), "metachronous"),
        (date(2023, 8, 31), date(2024, 2, 29), "synchronous"),
        (date(2023, 8, 31), date(2024, 3, 1), "metachronous"),
    ],
)
def test_de_novo_timing_by_dates(primary: date, omd: date, timing: str) -> None:
    result = estro_eortc_class(
        history_polymetastatic=False,
        history_oligometastatic=False,
        on_systemic_therapy=True,
        progressing_lesion=True,
        primary_diagnosis=primary,
        omd_diagnosis=omd,
    )
    assert (result.category, result.timing) == ("de-novo", timing)
    assert not result.repeat_or_induced_oligoprogression


def test_synchronous_has_no_state() -> None:
    result = estro_eortc_class(
        history_polymetastatic=False,
        history_oligometastatic=False,
        on_systemic_therapy=False,
        progressing_lesion=False,
        months_since_primary=6,
    )
    assert (result.state, result.label) == (None, "synchronous oligometastatic disease")


@pytest.mark.parametrize(("therapy", "progressing"), list(product([False, True], repeat=2)))
def test_metachronous_states(therapy: bool, progressing: bool) -> None:
    result = estro_eortc_class(
        history_polymetastatic=False,
        history_oligometastatic=False,
        on_systemic_therapy=therapy,
        progressing_lesion=progressing,
        months_since_primary=6.5,
    )
    state = STATES[(therapy, progressing)]
    assert (result.timing, result.state, result.label) == (
        "metachronous",
        state,
        f"metachronous {state}",
    )


def test_timing_inputs_needed_only_for_de_novo() -> None:
    with pytest.raises(InputError) as err:
        estro_eortc_class(
            history_polymetastatic=False,
            history_oligometastatic=False,
            on_systemic_therapy=True,
            progressing_lesion=True,
        )
    assert err.value.field == "primary_diagnosis"
    with pytest.raises(InputError) as err:
        estro_eortc_class(
            history_polymetastatic=False,
            history_oligometastatic=False,
            on_systemic_therapy=True,
            progressing_lesion=True,
            primary_diagnosis=date(2024, 1, 1),
        )
    assert err.value.field == "omd_diagnosis"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        (
            {"primary_diagnosis": date(2024, 5, 1), "omd_diagnosis": date(2024, 4, 30)},
            "omd_diagnosis",
        ),
        ({"months_since_primary": -1.0}, "months_since_primary"),
        ({"months_since_primary": float("nan")}, "months_since_primary"),
        (
            {
                "primary_diagnosis": date(2024, 1, 1),
                "omd_diagnosis": date(2024, 2, 1),
                "months_since_primary": 1.0,
            },
            "months_since_primary",
        ),
    ],
)
def test_bad_timing(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as err:
        estro_eortc_class(
            history_polymetastatic=False,
            history_oligometastatic=False,
            on_systemic_therapy=True,
            progressing_lesion=True,
            **kwargs,
        )  # type: ignore[arg-type]
    assert err.value.field == field


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2024, 11, 15), 3, date(2025, 2, 15)),
        (date(2024, 7, 1), 6, date(2025, 1, 1)),
    ],
)
def test_add_months(start: date, months: int, end: date) -> None:
    assert add_months(start, months) == end
