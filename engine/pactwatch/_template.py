"""Safe ``{placeholder}`` filling for rule texts.

Rule files are data written by users, so explanation and remedy templates must not be
able to reach into Python objects the way ``str.format`` can (``{x.__class__}``).
Placeholders are plain dotted names looked up in a flat mapping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["placeholders", "fill", "WithUnit"]

#: a placeholder, and the unit word a rule text may write after it ("{notice_hours} h")
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)\}"
                          r"( (?:h|min|minutes|hours|days|Std\.|Stunden|Minuten|Tage|Tagen)\b)?")


class WithUnit(str):
    """A value that names its own unit ("4 business hours"): the unit word after it is dropped."""


def placeholders(template: str) -> set[str]:
    return {m.group(1) for m in _PLACEHOLDER.finditer(template)}


def _show(value: object) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(v) for v in value)
    return "" if value is None else str(value)


def _one(m: re.Match[str], values: Mapping[str, object]) -> str:
    name, unit = m.group(1), m.group(2) or ""
    if name not in values:
        return m.group(0)
    value = values[name]
    return _show(value) + ("" if isinstance(value, WithUnit) else unit)


def fill(template: str, values: Mapping[str, object]) -> str:
    """Replace known placeholders; unknown ones stay visible rather than vanish."""
    return _PLACEHOLDER.sub(lambda m: _one(m, values), template)
