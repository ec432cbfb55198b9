"""Turn the rows of a Gherkin events table into event records.

Policy authors write times as people do: ``Monday 07:40`` (the scenario's week),
``Montag 07:40``, ``+2h`` (after the previous row), ``2026-03-02 07:55`` (contract time)
or a full RFC 3339 timestamp. The data column is ``key=value`` pairs separated by
commas; lists are written ``[a, b]``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .._time import parse_stamp

__all__ = ["TimelineError", "parse_time", "parse_data", "rows_to_events", "BASE_WEEK"]

#: Monday of the week in which weekday-only times are placed.
BASE_WEEK = (2026, 3, 2)

_DAYS = {
    **{d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])},
    **{d: i for i, d in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])},
    **{d: i for i, d in enumerate(["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"])},
    **{d: i for i, d in enumerate(["mo", "di", "mi", "do", "fr", "sa", "so"])},
}
_WEEKDAY = re.compile(r"^(?:(next|nächster|nächsten)\s+)?([a-zäöü]+)\.?\s+(\d{1,2})[:.](\d{2})(?:\s*uhr)?$", re.IGNORECASE)
_RELATIVE = re.compile(r"^\+\s*(\d+(?:\.\d+)?)\s*(m|min|h|d)$", re.IGNORECASE)
_LOCAL = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$")

# Column names in English and German.
COLUMNS = {
    "at": "at", "zeit": "at", "time": "at",
    "type": "type", "typ": "type",
    "service": "service", "dienst": "service",
    "actor": "actor", "akteur": "actor", "von": "actor",
    "text": "text",
    "data": "data", "daten": "data",
    "id": "id", "incident": "incident", "fall": "incident", "vendor": "vendor", "anbieter": "vendor",
    "source": "source", "quelle": "source", "lang": "lang", "sprache": "lang",
}
_ACTORS = {"anbieter": "vendor", "kunde": "customer", "monitor": "monitor", "überwachung": "monitor"}


class TimelineError(ValueError):
    """A cell of the events table cannot be understood."""


def parse_time(cell: str, tz: str, previous: datetime | None) -> datetime:
    text = cell.strip()
    zone = ZoneInfo(tz)
    if m := _RELATIVE.match(text):
        if previous is None:
            raise TimelineError(f"{text!r}: a relative time needs an earlier row")
        amount, unit = float(m.group(1)), m.group(2).lower()
        return previous + timedelta(minutes=amount) if unit.startswith("m") else (
            previous + timedelta(hours=amount) if unit == "h" else previous + timedelta(days=amount))
    if m := _WEEKDAY.match(text):
        day = _DAYS.get(m.group(2).lower())
        if day is None:
            raise TimelineError(f"{text!r}: unknown weekday {m.group(2)!r}")
        week = datetime(*BASE_WEEK, tzinfo=zone) + timedelta(days=7 if m.group(1) else 0)
        return (week + timedelta(days=day)).replace(hour=int(m.group(3)), minute=int(m.group(4)))
    if m := _LOCAL.match(text):
        return datetime.fromisoformat(f"{m.group(1)}T{m.group(2)}").replace(tzinfo=zone)
    try:
        moment = parse_stamp(text)
    except ValueError:
        raise TimelineError(f"{text!r}: not a time (use 'Monday 07:40', '+2h', '2026-03-02 07:55' or RFC 3339)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment


def _value(raw: str) -> Any:
    text = raw.strip()
    if text.startswith("[") and text.endswith("]"):
        return [_value(v) for v in text[1:-1].split(",") if v.strip()] if text[1:-1].strip() else []
    lowered = text.lower()
    if lowered in ("true", "yes", "ja"):
        return True
    if lowered in ("false", "no", "nein"):
        return False
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    return text.strip("\"'")


def parse_data(cell: str) -> dict[str, Any]:
    """``kind=warning, services=[a.de, b.de], up=false`` → a dict."""
    out: dict[str, Any] = {}
    text = cell.strip()
    pos = 0
    for m in re.finditer(r"\s*([A-Za-z_][\w]*)\s*=\s*(\[[^\]]*\]|[^,]*)\s*(?:,|$)", text):
        if m.start() != pos:
            break
        out[m.group(1)] = _value(m.group(2))
        pos = m.end()
    if pos != len(text):
        raise TimelineError(f"{cell!r}: write data as key=value pairs separated by commas")
    return out


def rows_to_events(table: list[list[str]], *, tz: str, vendor: str) -> list[dict[str, Any]]:
    """The events table (first row = column names) → raw event records."""
    if not table:
        return []
    header = [COLUMNS.get(h.strip().lower()) for h in table[0]]
    unknown = [h for h, k in zip(table[0], header, strict=True) if k is None]
    if unknown:
        raise TimelineError(f"unknown column(s) {', '.join(unknown)}; use: at, type, service, actor, text, data")
    events, previous = [], None
    for number, row in enumerate(table[1:], start=2):
        cells = {k: v.strip() for k, v in zip(header, row, strict=False) if k and v.strip()}  # a short row: empty cells
        if "at" not in cells or "type" not in cells:
            raise TimelineError(f"row {number}: 'at' and 'type' are required")
        try:
            moment = parse_time(cells.pop("at"), tz, previous)
            data = parse_data(cells.pop("data", ""))
        except TimelineError as exc:
            raise TimelineError(f"row {number}: {exc}") from None
        previous = moment
        record: dict[str, Any] = {"at": moment.isoformat(), "vendor": vendor, **cells, "data": data}
        if "actor" in record:
            record["actor"] = _ACTORS.get(record["actor"].lower(), record["actor"].lower())
        events.append(record)
    return events
