"""Event-time helpers: RFC 3339 parsing with a mandatory offset, and stable formatting.

Nothing here reads the wall clock: pactwatch's notion of "now" is the latest event time.
"""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

__all__ = ["to_epoch", "from_epoch", "format_local", "format_utc"]


def to_epoch(moment: datetime) -> float:
    """Seconds since 1970 for an aware datetime (the engine's internal clock unit)."""
    return moment.timestamp()


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def format_utc(seconds: float) -> str:
    """RFC 3339 in UTC with a ``Z`` suffix: the report's canonical time format."""
    moment = from_epoch(seconds)
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


_DE_DAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


def format_local(seconds: float, tz: str, language: str = "en") -> str:
    """Human form in the contract's timezone: ``Mon 02 Mar 2026 07:55 CET`` / ``Mo 02.03.2026 07:55 CET``."""
    moment = from_epoch(seconds).astimezone(ZoneInfo(tz))
    if language == "de":
        return f"{_DE_DAYS[moment.weekday()]} {moment.strftime('%d.%m.%Y %H:%M %Z')}"
    return moment.strftime("%a %d %b %Y %H:%M %Z")
