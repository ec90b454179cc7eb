"""A YAML loader that remembers the line of every mapping, key and list item.

Validation errors must point content writers to ``file:line``; PyYAML forgets node
positions once objects are built, so mappings and sequences are built as subclasses
of ``dict`` and ``list`` that keep them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class LineDict(dict[str, Any]):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


class YamlSyntaxError(ValueError):
    """The file is not valid YAML, or repeats a key."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line
        self.message = message


class _LineLoader(yaml.SafeLoader):
    """SafeLoader building LineDict / LineList and refusing duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml_with_lines(path: Path) -> Any:
    """Parse one YAML file; raise ``YamlSyntaxError`` with the line on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise YamlSyntaxError(path, 1, f"not UTF-8 text ({error.reason})") from error
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlSyntaxError(path, line, str(error.problem or error)) from error
    except yaml.YAMLError as error:
        raise YamlSyntaxError(path, 1, str(error)) from error


def line_of(document: Any, location: tuple[int | str, ...]) -> int:
    """The line of the deepest node of ``location`` that exists in ``document``."""
    node = document
    line = getattr(document, "line", 1) or 1
    for step in location:
        if isinstance(node, LineDict) and isinstance(step, str) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line
