"""One raw record → a validated :class:`Event`, or the problems that reject it."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from .._validation import problems_from_validation
from ..errors import Problem
from ..models.events import DATA_MODELS, EVENT_TYPES, Event, derive_id

__all__ = ["parse_record"]


def parse_record(raw: Any, *, file: str, line: int | None, allow_unknown: bool) -> tuple[Event | None, list[Problem], bool]:
    """Validate one record. Returns (event, problems, is_unknown_type)."""
    if not isinstance(raw, dict):
        return None, [Problem("event-not-object", "an event must be a JSON object", file=file, line=line)], False
    if "at" in raw and not isinstance(raw["at"], str):
        return None, [Problem("event-invalid", "must be an RFC 3339 string with UTC offset", file=file, line=line, field="at")], False
    try:
        event = Event.model_validate(raw)
    except ValidationError as exc:
        return None, problems_from_validation(exc, code="event-invalid", file=file, line=line), False
    model = DATA_MODELS.get(event.type)
    if model is None:
        if not allow_unknown:
            return None, [Problem("event-unknown-type",
                                  f"unknown type {event.type!r} (use --allow-unknown to keep it); known: {', '.join(EVENT_TYPES)}",
                                  file=file, line=line, field="type")], False
        data = event.data
    else:
        try:
            data = model.model_validate(event.data).model_dump(mode="json", exclude_none=True)
        except ValidationError as exc:
            return None, problems_from_validation(exc, code="event-bad-data", file=file, line=line, prefix=("data",)), False
    update: dict[str, Any] = {"data": data}
    if event.id is None:
        update["id"] = derive_id(raw)
    return event.model_copy(update=update), [], model is None
