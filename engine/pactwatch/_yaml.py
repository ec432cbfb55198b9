"""Safe YAML loading that remembers where each value came from.

Error messages must name the line of a bad field, so we compose the node tree with the
safe loader and keep a map from data path (``("clauses", 0, "params")``) to line number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import PactwatchError, Problem

__all__ = ["LocatedYaml", "load_yaml", "path_to_str"]

PathKey = tuple[str | int, ...]


class LocatedYaml:
    """Parsed YAML data plus a path → line map for error reporting."""

    def __init__(self, data: Any, lines: dict[PathKey, int], file: str):
        self.data = data
        self.lines = lines
        self.file = file

    def line_of(self, path: PathKey) -> int | None:
        """The line of the closest enclosing node that has one."""
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), None)


def path_to_str(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _construct(node: yaml.Node, path: PathKey, lines: dict[PathKey, int], loader: yaml.SafeLoader) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)):
                key = str(key)
            key = str(key) if not isinstance(key, str) else key
            result[key] = _construct(value_node, (*path, key), lines, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, i), lines, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def load_yaml(source: str | Path, text: str | None = None) -> LocatedYaml:
    """Parse one YAML document safely; syntax errors become a located :class:`Problem`."""
    file = str(source)
    if text is None:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise PactwatchError(Problem("file-not-found", "no such file", file=file)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise PactwatchError(Problem("file-unreadable", f"cannot read file: {exc}", file=file)) from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[PathKey, int] = {}
        data = None if node is None else _construct(node, (), lines, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise PactwatchError(
            Problem("yaml-syntax", f"invalid YAML: {exc.problem}", file=file, line=line)
        ) from None
    except yaml.YAMLError as exc:
        raise PactwatchError(Problem("yaml-syntax", f"invalid YAML: {exc}", file=file)) from None
    finally:
        loader.dispose()
    return LocatedYaml(data, lines, file)
