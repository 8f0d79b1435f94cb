"""Load YAML while remembering the line of every node, so errors can name the line.

PyYAML's composer keeps a ``start_mark`` on every node; we construct plain Python data
from the node tree ourselves (safe scalars only) and record ``path -> line`` (1-based)
for every mapping value and sequence item. The parser is libyaml's (``CSafeLoader``) when
PyYAML was built with it: the same nodes and marks, a quarter of a second less to load the
protocol on every command.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from oligotrial.errors import ProtocolError

Path = tuple[str, ...]


class _Constructor(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader used only for composing nodes and constructing scalars."""


def _build(node: yaml.Node, path: Path, lines: dict[Path, int], loader: _Constructor) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool):
                raise ProtocolError(
                    ".".join(path) or "(top level)",
                    f"line {key_node.start_mark.line + 1}: mapping keys must be scalars",
                )
            if key in out:
                raise ProtocolError(
                    ".".join((*path, str(key))),
                    f"line {key_node.start_mark.line + 1}: duplicate key",
                )
            out[key] = _build(value_node, (*path, str(key)), lines, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, str(i)), lines, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def load_yaml_with_lines(text: str, source: str) -> tuple[Any, Mapping[Path, int]]:
    """Parse ``text``; return the data and a map from key path to its 1-based line."""
    loader = _Constructor(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ProtocolError(source, "the file is empty")
        lines: dict[Path, int] = {}
        data = _build(node, (), lines, loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ProtocolError(source, f"{where}not valid YAML ({problem})") from None
    finally:
        loader.dispose()
    return data, lines


def line_of(lines: Mapping[Path, int], loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest known prefix of ``loc`` (a pydantic error location)."""
    path = tuple(str(p) for p in loc)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())
