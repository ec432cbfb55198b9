"""One raw record → a validated :class:`Event`, or the problems that reject it."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from .._validation import problems_from_validation
from ..errors import Problem
from ..models.events import DATA_MODELS, EVENT_TYPES, INGEST_CONTEXT, Event, derive_id, lone_surrogate

__all__ = ["parse_record"]

#: validated ``data`` by content: a stream repeats a few shapes (a probe's check and
#: up) thousands of times, and validating plus dumping each one again cost a fifth of
#: ingest. Only flat records are kept, so no two events share a mutable value.
_DATA_CACHE: dict[tuple[Any, ...], dict[str, Any]] = {}
_DATA_CACHE_LIMIT = 4096
_FLAT = (str, int, float, bool, type(None))
_INGEST = {INGEST_CONTEXT: True}
#: a key's closing quote and its colon: every key of a JSON text has one, and a string holds one
#: only as an escaped quote (``\\":``), which makes the count larger, never smaller
_KEY_END = re.compile(r'"\s*:')


def _keys(value: Any) -> int:
    if isinstance(value, dict):
        return len(value) + sum(_keys(v) for v in value.values())
    if isinstance(value, list):
        return sum(_keys(v) for v in value)
    return 0


def duplicate_key(raw: str, parsed_keys: int | None = None) -> str | None:
    """A key that appears twice in one object of this JSON text, or None.

    JSON parsers keep the last of two equal keys without a word, so ``{"up": false, …,
    "up": true}`` would be decided on a value nobody may have meant. ``parsed_keys`` (how
    many keys the parsed value has) makes the common case cheap: when the text has no
    more key endings than that, no key can have been dropped. Only otherwise is the text
    parsed again pair by pair.
    """
    if parsed_keys is not None and len(_KEY_END.findall(raw)) <= parsed_keys:
        return None
    found: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for key, _ in items:
            if key in seen and not found:
                found.append(key)
            seen.add(key)
        return dict(items)

    try:
        json.loads(raw, object_pairs_hook=pairs)
    except (ValueError, RecursionError):
        return None
    return found[0] if found else None


def parse_record(raw: Any, *, file: str, line: int | None, allow_unknown: bool) -> tuple[Event | None, list[Problem], bool]:
    """Validate one record (a mapping, or one line of JSON text).

    Returns (event, problems, is_unknown_type).
    """
    try:
        if isinstance(raw, str):
            event = Event.model_validate_json(raw, context=_INGEST)
        elif isinstance(raw, dict):
            bad = lone_surrogate(raw)
            if bad is not None:
                return None, [Problem("event-invalid", "text with a lone surrogate (e.g. \\ud800) is not valid Unicode",
                                      file=file, line=line, field=bad)], False
            event = Event.model_validate(raw, context=_INGEST)
        else:
            return None, [Problem("event-not-object", "an event must be a JSON object", file=file, line=line)], False
    except ValidationError as exc:
        if exc.errors()[0].get("type") == "model_type":
            return None, [Problem("event-not-object", "an event must be a JSON object", file=file, line=line)], False
        if exc.errors()[0].get("type") == "json_invalid":
            return None, [Problem("event-bad-json", f"not valid JSON: {exc.errors()[0].get('ctx', {}).get('error', '')}",
                                  file=file, line=line)], False
        return None, problems_from_validation(exc, code="event-invalid", file=file, line=line), False
    if isinstance(raw, str):
        twice = duplicate_key(raw, len(event.model_fields_set) + _keys(event.data))
        if twice is not None:
            return None, [Problem("event-duplicate-key", f"key {twice!r} appears twice in one object; which one is "
                                  "meant cannot be told", file=file, line=line)], False
    model = DATA_MODELS.get(event.type)
    if model is None:
        if not allow_unknown:
            return None, [Problem("event-unknown-type",
                                  f"unknown type {event.type!r} (use --allow-unknown to keep it); known: {', '.join(EVENT_TYPES)}",
                                  file=file, line=line, field="type")], False
        data = event.data
    else:
        try:
            data = _validated_data(model, event.type, event.data)
        except ValidationError as exc:
            return None, problems_from_validation(exc, code="event-bad-data", file=file, line=line, prefix=("data",)), False
    # The event was just validated and nobody else holds it yet: fill in the normalised
    # data and the derived id in place (a model_copy per event cost ~15 % of ingest).
    object.__setattr__(event, "data", data)
    if event.id is None:
        object.__setattr__(event, "id", derive_id(json.loads(raw) if isinstance(raw, str) else raw))
    return event, [], model is None


def _validated_data(model: Any, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` checked against its model and normalised (JSON types, no nulls)."""
    # the value's class is part of the key: 1, 1.0 and True are equal in Python, not in JSON
    key = (event_type, *[(k, v.__class__, v) for k, v in data.items()])
    try:
        hit, cacheable = _DATA_CACHE.get(key), True
    except TypeError:  # a list or mapping inside: not cached
        hit, cacheable = None, False
    if hit is None:
        hit = dict(model.model_validate(data).model_dump(mode="json", exclude_none=True))
        if not cacheable or not all(isinstance(v, _FLAT) for v in hit.values()):
            return hit
        if len(_DATA_CACHE) >= _DATA_CACHE_LIMIT:
            _DATA_CACHE.clear()
        _DATA_CACHE[key] = hit
    return dict(hit)
