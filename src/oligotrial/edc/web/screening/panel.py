"""The live eligibility panel: the one engine's verdicts on the record as typed, in words.

Each criterion is shown with the protocol's short name (in the user's language where the
protocol gives one), its verdict, the values the engine used (named by the protocol file's
labels) and the data it misses (named as the form names them); a criterion decided against
the patient adds the protocol's short reason. Nothing is decided here: the verdicts are
:func:`evaluate_record`'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language

from oligotrial.edc.services.screening_engine import Evaluation
from oligotrial.edc.trial_config import current_protocol
from oligotrial.edc.web.screening.labels import CHOICES, path_label
from oligotrial.protocol import Protocol


@dataclass(frozen=True)
class CriterionLine:
    id: str
    name: str
    status: str  # met | not_met | cannot_tell
    against: bool
    values: list[tuple[str, str]]
    missing: list[str]
    reason: str


def language() -> str:
    return (get_language() or "en").lower()


def _texts(protocol: Protocol, lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """(criterion reasons, labels) in ``lang``, the protocol's own where not translated."""
    report = protocol.report
    if report is None:
        return {}, {}
    translated = report.translations.get(lang)
    reasons = dict(report.criterion_reasons)
    labels = dict(report.labels)
    if translated is not None:
        reasons.update(translated.criterion_reasons)
        labels.update(translated.labels)
    return reasons, labels


def protocol_label(code: str) -> str:
    """A stratification factor or level in the user's language (the code if unnamed)."""
    return _texts(current_protocol(), language())[1].get(code, code)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, str):
        return str(CHOICES.get(value, value))  # a coded value in the form's words
    return str(value)


def criterion_lines(verdicts: Sequence[Mapping[str, Any]]) -> list[CriterionLine]:
    protocol = current_protocol()
    lang = language()
    reasons, labels = _texts(protocol, lang)
    names = {c.id: c.names for c in protocol.criteria}
    lines = []
    for v in verdicts:
        cid = str(v["id"])
        own = names.get(cid, {})
        name = own.get(lang) or own.get("en") or cid
        against = v.get("in_favour") is False
        reason = reasons[cid].format_map(protocol.eligibility) if against and cid in reasons else ""
        lines.append(
            CriterionLine(
                id=cid,
                name=name,
                status=str(v["status"]),
                against=against,
                values=[
                    (labels.get(k) or k, _shown(x)) for k, x in dict(v.get("values") or {}).items()
                ],
                missing=[path_label(m) for m in v.get("missing") or ()],
                reason=reason,
            )
        )
    return lines


def panel_context(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "overall": evaluation.overall,
        "lines": criterion_lines(evaluation.verdicts),
        "strata": [
            (protocol_label(k), protocol_label(v) if v else None)
            for k, v in evaluation.strata.items()
        ],
    }
