"""The audit log: structlog JSON lines, one object per engine event (docs/audit-log.md).

Library code only receives a logger; this factory is what the CLI (or an embedding
application) calls to get one. Nothing here touches structlog's global configuration.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog

__all__ = ["AUDIT_SCHEMA_VERSION", "audit_logger"]

AUDIT_SCHEMA_VERSION = 1


def audit_logger(stream: TextIO, *, level: str = "info") -> Any:
    """A logger writing sorted-key JSON lines to ``stream``; ``debug`` adds case open/close."""
    threshold = {"debug": 10, "info": 20}[level]

    def _filter(_logger: Any, method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        if {"debug": 10, "info": 20, "warning": 30, "error": 40}.get(method, 20) < threshold:
            raise structlog.DropEvent
        return event

    return structlog.wrap_logger(
        structlog.PrintLogger(stream),
        processors=[
            _filter,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True, key="logged_at"),
            lambda _l, _m, e: {**e, "schema": AUDIT_SCHEMA_VERSION},
            structlog.processors.JSONRenderer(sort_keys=True, ensure_ascii=False),
        ],
    )
