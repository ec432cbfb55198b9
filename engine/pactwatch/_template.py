"""Safe ``{placeholder}`` filling for rule texts.

Rule files are data written by users, so explanation and remedy templates must not be
able to reach into Python objects the way ``str.format`` can (``{x.__class__}``).
Placeholders are plain dotted names looked up in a flat mapping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["placeholders", "fill"]

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)\}")


def placeholders(template: str) -> set[str]:
    return set(_PLACEHOLDER.findall(template))


def _show(value: object) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(v) for v in value)
    return "" if value is None else str(value)


def fill(template: str, values: Mapping[str, object]) -> str:
    """Replace known placeholders; unknown ones stay visible rather than vanish."""
    return _PLACEHOLDER.sub(lambda m: _show(values[m.group(1)]) if m.group(1) in values else m.group(0), template)
