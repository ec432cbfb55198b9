"""Per-case detail for timelines, letters and scorecards: what happened, when, to what."""

from __future__ import annotations

from typing import Any

from .._time import format_utc
from ..enrich.outages import OutageTracker, monthly_downtime
from ..models.events import Event
from ..models.report import CaseDetail, Marker, MonthAvailability, OutageSpan

__all__ = ["case_detail", "MAX_MARKERS"]

#: A timeline shows at most this many events per case (the first ones in time).
MAX_MARKERS = 2000
_TEXT = 240


def _flags(event: Event, fact: dict[str, Any]) -> list[str]:
    flags = []
    if event.type == "probe":
        flags.append("up" if event.data.get("up") else "down")
    if fact.get("claims_resolution"):
        flags.append("claims-resolution")
    if fact.get("apology") in ("explicit", "regret-only"):
        flags.append("apology" if fact["apology"] == "explicit" else "regret")
    if fact.get("boilerplate"):
        flags.append("boilerplate")
    return flags


def case_detail(vendor: str, incident: str | None, events: dict[str, Event], facts: dict[str, dict[str, Any]],
                tracker: OutageTracker, end: float, tz: str = "UTC") -> CaseDetail:
    ordered = sorted((e for e in events.values() if e.type != "availability.month"),
                     key=lambda e: (e.at.timestamp(), e.id or ""))
    services: dict[str, list[str]] = {}
    for fact in facts.values():
        if "service" in fact:
            services.setdefault(fact["ev"], []).append(fact["service"])
    by_id = {f["ev"]: f for f in facts.values()}
    markers = [Marker(event=e.id or "", at=format_utc(e.at.timestamp()), type=e.type,
                      services=sorted(set(services.get(e.id or "", []))), actor=e.actor,
                      text=(e.text[:_TEXT] + "…" if e.text and len(e.text) > _TEXT else e.text),
                      flags=_flags(e, by_id.get(e.id or "", {})))
               for e in ordered[:MAX_MARKERS]]
    outages = [OutageSpan(service=o.service, start=format_utc(o.start), end=format_utc(o.end), cause=o.cause,
                          cause_type=o.cause_type) for o in tracker.intervals(end)]
    # This case's own months; the report's ``availability`` merges every case of the vendor.
    availability = [MonthAvailability(service=service, month=month, percent=round(100 * (1 - m.down / m.length), 3),
                                      downtime_hours=round(m.down / 3600, 2))
                    for (service, month), m in sorted(monthly_downtime(tracker.intervals(end), tz).items())]
    complaints = [e for e in ordered if e.type == "message.sent" and e.actor == "customer" and e.data.get("kind") == "complaint"]
    first_complaint = complaints[0].at.timestamp() if complaints else None
    response = None
    if first_complaint is not None:
        response = next((e.at.timestamp() for e in ordered if e.actor == "vendor" and e.type in ("message.sent", "referral")
                         and e.at.timestamp() >= first_complaint), None)
    apologised = any(by_id.get(e.id or "", {}).get("apology") == "explicit" and e.actor == "vendor" for e in ordered)
    start = ordered[0].at.timestamp() if ordered else end
    return CaseDetail(vendor=vendor, incident=incident, start=format_utc(start), end=format_utc(end), events=len(ordered),
                      markers=markers, outages=outages, availability=availability,
                      first_complaint=format_utc(first_complaint) if first_complaint is not None else None,
                      first_response=format_utc(response) if response is not None else None,
                      apologised=apologised, impact=bool(outages or complaints))
