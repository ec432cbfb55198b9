"""Help that names what to type (TEXT, PATH, INTEGER), not Python annotations (``<list[str]>``, ``<bool>``).

typer 0.29 prints each parameter's annotation as its type column. A contract manager reading
``pactwatch check --help`` should not need to know Python's typing, and typer has no setting
for this, so the one method that makes the label is wrapped here. If a later typer moves it,
help falls back to typer's own labels (nothing else depends on this).
"""

from __future__ import annotations

from typing import Any

__all__ = ["install"]

_WORDS = {"str": "TEXT", "path": "PATH", "Path": "PATH", "file": "FILE", "directory": "DIR", "int": "INTEGER",
          "float": "NUMBER", "bool": ""}


def plain_label(label: str) -> str:
    """``<list[Path]>`` → ``PATH``, ``<bool>`` → nothing, ``<a|b>`` → ``a|b``."""
    inner = label[1:-1] if label.startswith("<") and label.endswith(">") else label
    if inner.startswith("list[") and inner.endswith("]"):
        inner = inner[5:-1]
    if "|" in inner:
        return inner
    return _WORDS.get(inner, inner.upper())


def install() -> None:
    try:
        from typer.core import _TyperParameter
    except ImportError:  # pragma: no cover - a typer without it keeps its own labels
        return
    original = getattr(_TyperParameter, "display_type", None)
    if original is None or getattr(original, "_pactwatch", False):
        return

    def display_type(self: Any, ctx: Any) -> str:
        return plain_label(str(original(self, ctx)))

    display_type._pactwatch = True  # type: ignore[attr-defined]
    _TyperParameter.display_type = display_type  # type: ignore[method-assign]
