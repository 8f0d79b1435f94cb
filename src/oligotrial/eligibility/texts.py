"""A text column held as integer codes into its distinct texts.

Checks and look-ups then run once per distinct text instead of once per row: a batch has
thousands of lesions but a handful of organ names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Texts:
    """Per row, the position of its text in ``distinct`` (-1: no text)."""

    codes: Ints
    distinct: list[str]

    @classmethod
    def of(cls, values: Sequence[str | None]) -> Texts:
        index: dict[str, int] = {}
        codes = [-1 if v is None else index.setdefault(v, len(index)) for v in values]
        return cls(np.array(codes, dtype=np.int64), list(index))

    def __len__(self) -> int:
        return len(self.codes)

    def objects(self) -> npt.NDArray[np.object_]:
        """The texts (``None`` where there is none) as an object array."""
        table = np.array([*self.distinct, None], dtype=object)
        return table[self.codes]  # code -1 picks the trailing None

    def per_text(self, function: Callable[[str], Any], none: Any, dtype: Any) -> Any:
        """``function`` of each row's text (``none`` where there is none), computed once per
        distinct text."""
        values = np.array([*map(function, self.distinct), none], dtype=dtype)
        return values[self.codes]

    def padded(self) -> Bools:
        """Per row: empty or with surrounding white space (the model would strip it)."""
        return self.per_text(lambda t: not t or t != t.strip(), False, bool)  # type: ignore[no-any-return]

    def lookup(self, table: dict[Any, int]) -> Ints:
        """Codes from ``table`` (``table[None]`` where there is no text, -1 for a text
        ``table`` lacks)."""
        return self.per_text(lambda t: table.get(t, -1), table.get(None, -1), np.int64)  # type: ignore[no-any-return]
