"""Find, parse and validate a protocol file; errors name the field path and its line."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from oligotrial.errors import ProtocolError
from oligotrial.protocol._yaml_lines import line_of, load_yaml_with_lines
from oligotrial.protocol.model import Protocol, unresolved_setting_refs

SHIPPED_PROTOCOL = "nct06841172.yaml"


def shipped_protocol_path() -> Path:
    """Path of the protocol the product ships with (NCT06841172)."""
    ref = resources.files("oligotrial.protocol").joinpath("protocols", SHIPPED_PROTOCOL)
    return Path(str(ref))


def _dotted(loc: tuple[Any, ...]) -> str:
    # Drop pydantic's union-branch tags (e.g. "all", "condition") that are not data keys.
    return ".".join(str(p) for p in loc) or "(top level)"


def _clean_loc(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """Keep only the parts of a pydantic location that exist as keys/indexes in ``data``."""
    kept: list[Any] = []
    node = data
    for part in loc:
        in_map = isinstance(node, Mapping) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_map or in_list:
            kept.append(part)
            node = node[part]
        elif isinstance(node, Mapping) and part == "not_" and "not" in node:
            kept.append("not")
            node = node["not"]
        elif isinstance(node, Mapping | list) and not isinstance(part, int):
            if part in ("all", "any", "not", "condition") or "[" in str(part):
                continue  # a union tag
            kept.append(part)  # a missing or unknown key: name it, stop descending
            node = None
        else:
            kept.append(part)
            node = None
    return tuple(kept)


def protocol_from_data(
    data: Any, source: str, lines: Mapping[tuple[str, ...], int] | None = None
) -> Protocol:
    """Validate already-parsed protocol data (``lines`` maps key paths to lines)."""
    line_map = lines or {}

    def where(loc: tuple[Any, ...]) -> str:
        line = line_of(line_map, loc) if line_map else None
        return f"{source} line {line}" if line else source

    if not isinstance(data, dict):
        raise ProtocolError(source, "a protocol file must be a mapping of sections")
    try:
        protocol = Protocol.model_validate(data)
    except ValidationError as exc:
        problems = []
        errors = exc.errors(include_url=False)
        for err in errors:
            loc = _clean_loc(tuple(err["loc"]), data)
            if err["type"] == "too_short" and any(
                len(other["loc"]) > len(err["loc"])
                and tuple(other["loc"][: len(err["loc"])]) == tuple(err["loc"])
                for other in errors
            ):
                continue  # a list shortened only because its items failed: noise
            message = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = "unknown field"
            elif err["type"] == "missing":
                message = "required field is missing"
            problems.append((loc, f"{message} ({where(loc)})"))
        first_loc, first = problems[0]
        rest = "".join(f"\n  {_dotted(loc)}: {msg}" for loc, msg in problems[1:])
        raise ProtocolError(_dotted(first_loc), first + rest) from None
    for loc, name in unresolved_setting_refs(protocol):
        raise ProtocolError(
            _dotted(loc),
            f"reads setting {name!r}, which the eligibility section does not define ({where(loc)})",
        )
    for cid, name in protocol.report.setting_refs() if protocol.report else ():
        loc = ("report", "criterion_reasons", cid)
        if name not in protocol.eligibility:
            raise ProtocolError(
                f"report.criterion_reasons.{cid}",
                f"names setting {name!r}, which the eligibility section does not define "
                f"({where(loc)})",
            )
    protocol._source = source
    protocol._lines = dict(line_map)
    return protocol


def load_protocol(path: str | Path | None = None) -> Protocol:
    """Load and validate a protocol file (default: the shipped NCT06841172 protocol).

    Raises :class:`~oligotrial.errors.ProtocolError` naming the field path and the line.
    """
    file = Path(path) if path is not None else shipped_protocol_path()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProtocolError(str(file), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProtocolError(str(file), f"cannot read the file ({exc})") from None
    data, lines = load_yaml_with_lines(text, file.name)
    return protocol_from_data(data, file.name, lines)
