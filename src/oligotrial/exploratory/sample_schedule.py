"""When each sample of the protocol's schedule is due, with its window.

The protocol gives each sample time point an anchor (randomization, the end of RT, or
progression), an offset and a window (``schedule.sample_windows``). Without RT (the
systemic-therapy arm) the RT anchor is randomization: the first follow-up visit
(REFERENCE.md §1). A time point anchored on progression is due only once progression is
known; a time point without a window is expected but never overdue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from oligotrial.protocol.model import SampleWindow


@dataclass(frozen=True)
class DueSample:
    kind: str  # ctdna | biopsy
    time_point: str
    due: date | None  # None: the anchor is not known yet (e.g. no progression)
    earliest: date | None
    latest: date | None

    def overdue(self, today: date) -> bool:
        return self.latest is not None and today > self.latest


def due_samples(
    points: Mapping[str, Sequence[str]],
    windows: Mapping[str, SampleWindow],
    *,
    randomized_on: date,
    rt_end: date | None,
    progression_on: date | None,
) -> list[DueSample]:
    """Every sample time point of ``points`` (kind -> time points) with its due window."""
    anchors = {
        "randomization": randomized_on,
        "rt_end": rt_end or randomized_on,
        "progression": progression_on,
    }
    out = []
    for kind, names in points.items():
        for name in names:
            window = windows.get(name)
            anchor = anchors[window.anchor] if window is not None else None
            if window is None or anchor is None:
                out.append(DueSample(kind, name, None, None, None))
                continue
            due = anchor + timedelta(days=window.offset_days)
            out.append(
                DueSample(
                    kind,
                    name,
                    due,
                    due - timedelta(days=window.before_days),
                    due + timedelta(days=window.after_days),
                )
            )
    return out
