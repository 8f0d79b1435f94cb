"""Read screening records from JSON: every problem named by field path (and line), never a
traceback. ``as_of`` is the date no record date may pass (default: today)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.errors import InputError
from oligotrial.strict import DATE_TEXT, not_finite

_PATH_IN_MESSAGE = re.compile(r"^([A-Za-z_][\w.]*): (.*)$", re.DOTALL)


def _describe(err: Any) -> tuple[str, str]:
    loc = ".".join(str(p) for p in err["loc"])
    message = str(err["msg"]).removeprefix("Value error, ")
    kind = err["type"]
    if kind == "extra_forbidden":
        return loc, "unknown field (misspelt?)"
    if kind == "missing":
        return loc, "required field is missing"
    if kind == "finite_number":  # a record's numbers are FiniteNumber
        return loc, not_finite(err["input"])
    if kind == "date_text":  # a record's dates are Day
        return loc, f"{DATE_TEXT}, got {err['input']!r}"
    match = _PATH_IN_MESSAGE.match(message)
    if match and not loc:
        return match.group(1), match.group(2)
    if match and loc:
        inner = match.group(1)
        return (inner if inner.startswith(loc) else f"{loc}.{inner}"), match.group(2)
    if "input" in err and kind not in ("model_type", "dict_type", "value_error"):
        message = f"{message} (got {err['input']!r})"
    return loc or "(record)", message


def record_from_data(
    data: Any, *, as_of: dt.date | None = None, where: str = ""
) -> ScreeningRecord:
    """Validate one parsed JSON object; raise :class:`InputError` naming the field."""
    prefix = f"{where}: " if where else ""
    if not isinstance(data, dict):
        raise InputError(where or "(record)", "a screening record must be a JSON object")
    try:
        return ScreeningRecord.model_validate(data, context={"as_of": as_of or dt.date.today()})
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        field, problem = _describe(errors[0])
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise InputError(f"{prefix}{field}", problem + more) from None


def parse_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            source, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None


def read_record(path: str | Path, *, as_of: dt.date | None = None) -> ScreeningRecord:
    """Read and validate one record from a ``.json`` file."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(file), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(file), f"cannot read the file ({exc})") from None
    return record_from_data(parse_json(text, file.name), as_of=as_of)
