"""Per-case service state in event time: which services are down right now.

Used to infer what a vendor's "it works again" refers to when the claim names no
service: the services that were down at that moment (or, if none was, every service
the case has touched so far).
"""

from __future__ import annotations

__all__ = ["OutageTracker", "DOWN_TYPES", "UP_TYPES"]

DOWN_TYPES = frozenset({"service.suspended", "host.failed"})
UP_TYPES = frozenset({"service.restored"})


class OutageTracker:
    def __init__(self) -> None:
        self._down: dict[str, float] = {}
        self._seen: set[str] = set()

    def observe(self, event_type: str, services: list[str], at: float, up: bool | None = None) -> list[str]:
        """Record the event; return the services whose outage it opens."""
        self._seen.update(services)
        going_down = event_type in DOWN_TYPES or (event_type == "probe" and up is False)
        coming_up = event_type in UP_TYPES or (event_type == "probe" and up is True)
        opened = []
        for svc in services:
            if going_down and svc not in self._down:
                self._down[svc] = at
                opened.append(svc)
            elif coming_up:
                self._down.pop(svc, None)
        return opened

    def down(self) -> list[str]:
        return sorted(self._down)

    def seen(self) -> list[str]:
        return sorted(self._seen)
