"""The facts of the service-level stage (a vendor's availability per service and month) and how
they are dealt into sessions.

A durable_rules session gets slower with every fact it holds (each assertion is matched against
what is there), so one session with every month of every service of a vendor took time in the
square of the services: 20,000 services in one month took 16 minutes. Where no rule on these
facts relates one month's fact to another's, they are judged in slices of services, each slice
with the vendor's compensation offers; the findings are grouped afterwards (``once_per``), so a
month's finding still lists every service below target.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .._time import from_epoch
from ..enrich.outages import month_end
from ..models.events import Event
from ..rules.compiler import guard_of, service_level
from ..rules.schema import RuleSpec

__all__ = ["SLICE_SERVICES", "month_fact", "months_apart", "slices"]

#: services per session of the service-level stage: small enough that a session stays fast,
#: large enough that the vendor's offers, asserted into every slice, are not repeated often
SLICE_SERVICES = 256

#: the fields of a month fact whose value is the same on every one
_FIXED = {"pw": "ev", "type": "availability.month"}
#: the fields whose value differs from fact to fact
_VARYING = frozenset({"ev", "id", "ref", "at", "vendor", "service", "month", "availability_percent",
                      "downtime_hours", "month_end", "incidents"})


def month_fact(vendor: str, service: str, month: str, percent: float, down: float, incidents: list[str],
               causes: list[str], tz: str, now: float) -> tuple[dict[str, Any], Event]:
    """The fact the rules judge a service's month by, and the event a finding quotes for it."""
    end = month_end(month, tz).timestamp()
    at = min(now, end)
    event_id = f"availability:{service}:{month}"
    text = (f"{service}: {percent} % available in {month} ({down / 3600:.2f} h down; outages began with "
            f"{', '.join(causes)}" + (f"; incidents {', '.join(incidents)}" if incidents else "") + ")")
    event = Event.model_construct(id=event_id, at=from_epoch(at), type="availability.month", vendor=vendor,
                                  service=service, incident=None, actor="monitor", source="pactwatch",
                                  text=text, lang=None, data={})
    fact = {"pw": "ev", "ev": event_id, "id": event_id, "ref": event_id, "at": at, "type": "availability.month",
            "vendor": vendor, "service": service, "month": month, "availability_percent": percent,
            "downtime_hours": round(down / 3600, 2), "month_end": end, "incidents": ", ".join(incidents)}
    return fact, event


def _may_match_month(match: dict[str, Any]) -> bool:
    """Whether a pattern could match a month fact: no literal condition rules it out."""
    for name, values in guard_of(match):
        if name in _VARYING:
            continue
        if _FIXED.get(name) not in values:  # a field the fact lacks reads as null
            return False
    return True


def months_apart(rules: Iterable[RuleSpec]) -> bool:
    """Whether each month fact can be judged without the others: no service-level alternative has a
    role that could match a month fact. (A once-per-case rule's sessions each arm their earliest
    trigger; the case keeps only the decisions of the earliest of all, ``_Run._earliest_only``.)"""
    return not any(_may_match_month(p.match) for rule in rules for alt in rule.when if service_level(alt)
                   for p in (*alt.absent, *alt.present))


def slices(months: list[tuple[dict[str, Any], Event]], apart: bool) -> list[list[tuple[dict[str, Any], Event]]]:
    """The month facts dealt into sessions: all of a service's months together, ``SLICE_SERVICES``
    services a slice in service order; one slice with everything where they cannot be judged apart."""
    if not apart:
        return [months]
    size = SLICE_SERVICES
    by_service: dict[str, list[tuple[dict[str, Any], Event]]] = {}
    for pair in months:
        by_service.setdefault(pair[0]["service"], []).append(pair)
    services = sorted(by_service)
    return [[pair for service in services[i:i + size] for pair in by_service[service]]
            for i in range(0, len(services), size)] or [[]]
