"""Event-time helpers: RFC 3339 parsing with a mandatory offset, and stable formatting.

Nothing here reads the wall clock: pactwatch's notion of "now" is the latest event time.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["parse_stamp", "stamp_epoch", "from_epoch", "format_local", "format_utc"]


def parse_stamp(text: str) -> datetime:
    """An RFC 3339 timestamp (``Z`` or an offset) as a datetime; naive when the text has no offset."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def stamp_epoch(text: str) -> float:
    """Seconds since 1970 (the engine's clock unit) of an RFC 3339 timestamp with offset."""
    return parse_stamp(text).timestamp()


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def format_utc(seconds: float) -> str:
    """RFC 3339 in UTC with a ``Z`` suffix: the report's canonical time format."""
    moment = from_epoch(seconds)
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def format_local(seconds: float, tz: str, language: str = "en") -> str:
    """Human form in the contract's timezone, by the language's CLDR patterns (never the process
    locale): ``Mon 2 March 2026, 07:55 CET`` / ``Mo., 2. März 2026, 07:55 MEZ``."""
    from .i18n import moment

    return moment(seconds, tz, language)
