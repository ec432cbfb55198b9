"""Turn pydantic's errors into located, plain-language problems."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from .errors import MAX_PROBLEMS, Problem

__all__ = ["problems_from_validation"]

_FRIENDLY = {
    "missing": "is required",
    "extra_forbidden": "is not a known field",
    "timezone_aware": "needs a UTC offset (e.g. 2026-03-02T07:55:00+01:00)",
    "datetime_from_date_parsing": "is not an RFC 3339 timestamp",
    "datetime_parsing": "is not an RFC 3339 timestamp",
    "datetime_type": "is not an RFC 3339 timestamp",
}


def _sentence(err: Any) -> str:
    kind = err.get("type", "")
    if kind in _FRIENDLY:
        return _FRIENDLY[kind]
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"must be one of {expected} (got {err.get('input')!r})"
    message = str(err.get("msg", "is invalid"))
    return message[0].lower() + message[1:] if message else "is invalid"


def problems_from_validation(
    exc: ValidationError,
    *,
    code: str,
    file: str | None,
    prefix: tuple[str | int, ...] = (),
    line_of: Callable[[tuple[str | int, ...]], int | None] | None = None,
    line: int | None = None,
) -> list[Problem]:
    """One problem per pydantic error, each naming the field path and, if known, its line."""
    problems: list[Problem] = []
    for err in exc.errors()[:MAX_PROBLEMS]:
        loc = tuple(p for p in (*prefix, *err.get("loc", ())) if not (isinstance(p, str) and p.startswith("function-")))
        field = ".".join(str(p) for p in loc) or None
        where = line_of(loc) if line_of is not None else line
        problems.append(Problem(code, _sentence(err), file=file, line=where, field=field))
    return problems
