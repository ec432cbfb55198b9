"""Durations as contracts write them: 24, "30 days", "72h", "P30D", "4 business hours", "2 Werktage".

A calendar duration becomes a number in the parameter's own unit (``notice_hours: "30 days"``
is 720), so rules keep comparing numbers. A business duration cannot: how long "4 business
hours" lasts depends on when it starts, on the weekend and on public holidays. It stays a
small mapping, ``{"business": "hours", "amount": 4}``, that the compiler turns into a time
computed per trigger on the contract's calendar (:mod:`pactwatch.business_time`).
"""

from __future__ import annotations

import math
import re
from datetime import timedelta
from typing import Any

from pydantic import TypeAdapter, ValidationError

from . import i18n

__all__ = ["parse_duration", "is_business", "describe", "SECONDS"]

SECONDS = {"minutes": 60.0, "hours": 3600.0, "days": 86400.0}

_UNITS: list[tuple[str, str, bool]] = [
    # (pattern, unit, business)
    (r"(?:business|working) ?(?:hours?|hrs?|h)|arbeitsstunden?|geschäftsstunden?|werkstunden?", "hours", True),
    (r"(?:business|working) ?(?:days?|d)|werktag(?:e|en)?|arbeitstag(?:e|en)?|geschäftstag(?:e|en)?|bankarbeitstag(?:e|en)?", "days", True),
    (r"minutes?|mins?|m|minuten?", "minutes", False),
    (r"hours?|hrs?|h|stunden?|std\.?", "hours", False),
    (r"days?|d|tag(?:e|en)?|kalendertag(?:e|en)?", "days", False),
    (r"weeks?|w|wochen?", "weeks", False),
]
_TEXT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(" + "|".join(f"(?:{p})" for p, _, _ in _UNITS) + r")$", re.IGNORECASE)
_TIMEDELTA = TypeAdapter(timedelta)


def _unit_of(word: str) -> tuple[str, bool]:
    for pattern, unit, business in _UNITS:
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return unit, business
    raise AssertionError(word)  # the combined pattern matched one of them


def parse_duration(value: Any, unit: str, business_allowed: bool = True) -> float | dict[str, Any]:
    """The duration in ``unit`` (minutes, hours, days), or a business-time mapping."""
    if isinstance(value, dict) and set(value) == {"business", "amount"}:
        return value  # already parsed (params are validated again after merging)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError('must be a number or a duration such as "30 days", "72h", "P30D", "4 business hours"')
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value < 0:
            raise ValueError("must be a finite number, at least 0")
        return float(value)
    text = value.strip()
    if text[:1] in ("P", "p"):
        try:
            seconds = _TIMEDELTA.validate_python(text.upper()).total_seconds()
        except ValidationError:
            raise ValueError(f"{value!r} is not an ISO 8601 duration (e.g. P30D, PT4H)") from None
        if seconds < 0:
            raise ValueError("must not be negative")
        return seconds / SECONDS[unit]
    m = _TEXT.match(text)
    if not m:
        raise ValueError(f'{value!r} is not a duration; write e.g. 24, "30 days", "72h", "P30D", "4 business hours", '
                         '"2 Werktage"')
    amount = float(m.group(1).replace(",", "."))
    word_unit, business = _unit_of(m.group(2))
    if business:
        if not business_allowed:
            raise ValueError(f"{value!r}: business time is not supported for this parameter")
        return {"business": word_unit, "amount": amount}
    seconds = amount * (SECONDS[word_unit] if word_unit != "weeks" else 7 * 86400)
    return seconds / SECONDS[unit]


def is_business(value: Any) -> bool:
    return isinstance(value, dict) and "business" in value


def describe(value: Any, language: str = "en") -> str:
    """A business duration as a reader says it ("4 business hours", "2 Werktage")."""
    amount = value["amount"]
    n = str(int(amount)) if float(amount).is_integer() else str(amount)
    one = float(amount) == 1
    unit = "business_hour" if value["business"] == "hours" else "business_day"
    word = i18n.text(language, unit if one else unit + "s")
    return f"{n} {word}"
