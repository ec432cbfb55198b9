"""Safe ``{placeholder}`` filling for rule texts.

Rule files are data written by users, so explanation and remedy templates must not be
able to reach into Python objects the way ``str.format`` can (``{x.__class__}``).
Placeholders are plain dotted names looked up in a flat mapping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from . import i18n

__all__ = ["placeholders", "fill", "WithUnit"]

#: a placeholder, and the unit word a rule text may write after it ("{notice_hours} h")
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)\}"
                          r"( (?:h|min|minutes|hours|days|Std\.|Stunden|Minuten|Tage|Tagen)\b| ?%)?")


class WithUnit(str):
    """A value that names its own unit ("4 business hours"): the unit word after it is dropped."""


def placeholders(template: str) -> set[str]:
    return {m.group(1) for m in _PLACEHOLDER.finditer(template)}


def _show(value: object, language: str) -> str:
    if isinstance(value, float):
        return i18n.number(value, language)
    if isinstance(value, (list, tuple)):
        return i18n.listing([_show(v, language) for v in value], language)
    return "" if value is None else str(value)


def _one(m: re.Match[str], values: Mapping[str, object], language: str, template: str) -> str:
    name, unit = m.group(1), m.group(2) or ""
    if name not in values:
        return m.group(0)
    value = values[name]
    if isinstance(value, WithUnit):
        return i18n.inflect(_show(value, language), language, _word_before(template, m.start()))
    if not unit:
        return _show(value, language)
    word = unit.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if word == "%":
            return i18n.percent(value, language)
        if word in _HOURS:
            return i18n.duration(value * _HOURS[word], language, _word_before(template, m.start()))
        if word in _DAYS:
            return i18n.days(value, language, _word_before(template, m.start()))
    return _show(value, language) + unit


def _word_before(template: str, at: int) -> str:
    """The word in front of a placeholder: German case depends on it ("innerhalb von 3 Tagen")."""
    return template[max(0, at - 40):at].rstrip().rsplit(" ", 1)[-1]


#: unit words after a placeholder that say the value is a span, with their length in hours
_HOURS = {"h": 1.0, "hours": 1.0, "Std.": 1.0, "Stunden": 1.0, "min": 1 / 60, "minutes": 1 / 60, "Minuten": 1 / 60}
#: unit words that count days: said in days whatever the number ("1 Tag", "innerhalb von 7 Tagen")
_DAYS = frozenset({"days", "Tage", "Tagen"})


def fill(template: str, values: Mapping[str, object], language: str = "en") -> str:
    """Replace known placeholders; unknown ones stay visible rather than vanish. Numbers, lists,
    percentages ("{x} %") and spans ("{x} h") are written as ``language`` writes them ("99,9 %",
    "3 Tage", "a, b und c")."""
    return _PLACEHOLDER.sub(lambda m: _one(m, values, language, template), template)
