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

#: Contracts, rules, lexicons and hand-written timelines are small; anything larger is a mistake
#: (or /dev/zero) and is refused before it is read.
MAX_YAML_BYTES = 64 * 2**20
#: Aliases may repeat a node; an alias bomb ("billion laughs") repeats them exponentially.
#: Building more repeated values than this stops with an error instead of filling memory.
MAX_REPEATED_VALUES = 100_000


class _Budget:
    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.repeated = 0


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


def _construct(node: yaml.Node, path: PathKey, lines: dict[PathKey, int], loader: yaml.SafeLoader,
               budget: _Budget) -> Any:
    if id(node) in budget.seen:
        budget.repeated += 1
        if budget.repeated > MAX_REPEATED_VALUES:
            raise yaml.YAMLError(f"aliases expand to more than {MAX_REPEATED_VALUES:,} repeated values (an alias bomb?)")
    else:
        budget.seen.add(id(node))
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)):
                key = str(key)
            key = str(key) if not isinstance(key, str) else key
            if key in result:
                first = lines.get((*path, key))
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice in one mapping" + (f" (first on line {first})" if first else "")
                    + "; the second would silently replace the first", key_node.start_mark)
            result[key] = _construct(value_node, (*path, key), lines, loader, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, i), lines, loader, budget) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def load_yaml(source: str | Path, text: str | None = None) -> LocatedYaml:
    """Parse one YAML document safely; syntax errors become a located :class:`Problem`."""
    file = str(source)
    if text is None:
        path = Path(source)
        if path.exists() and not path.is_file():
            raise PactwatchError(Problem("file-unreadable", "not a regular file", file=file))
        if path.is_file() and path.stat().st_size > MAX_YAML_BYTES:
            raise PactwatchError(Problem("file-too-large", f"larger than {MAX_YAML_BYTES // 2**20} MiB; a contract or "
                                         "timeline is far smaller (use JSON Lines for large event streams)", file=file))
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise PactwatchError(Problem("file-not-found", "no such file", file=file)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise PactwatchError(Problem("file-unreadable", f"cannot read file: {exc}", file=file)) from None
    try:
        loader = yaml.SafeLoader(text)  # reads the first characters already: a NUL fails here
    except yaml.YAMLError as exc:
        raise PactwatchError(Problem("yaml-syntax", f"invalid YAML: {exc}", file=file)) from None
    try:
        node = loader.get_single_node()
        lines: dict[PathKey, int] = {}
        data = None if node is None else _construct(node, (), lines, loader, _Budget())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise PactwatchError(
            Problem("yaml-syntax", f"invalid YAML: {exc.problem}", file=file, line=line)
        ) from None
    except yaml.YAMLError as exc:
        raise PactwatchError(Problem("yaml-syntax", f"invalid YAML: {exc}", file=file)) from None
    except RecursionError:
        raise PactwatchError(Problem("yaml-too-deep", "nested too deeply to read", file=file)) from None
    finally:
        loader.dispose()
    return LocatedYaml(data, lines, file)
