"""The flat records the rules see: one fact per (event, affected service).

durable_rules matches flat JSON objects best, so an event's ``data`` fields are lifted to
the top level, timestamps become epoch seconds, list-valued ``services`` fan out into one
fact per service, and message analysis adds its verdicts. This is the vocabulary a rule
file may name in ``match`` (checked when rules load).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .enrich.messages import MessageAnalyzer
    from .enrich.outages import OutageTracker
    from .models.events import Event

__all__ = ["FACT_FIELDS", "TIME_FIELDS", "build_facts"]

#: Fields a rule may test, with what they hold (rendered in docs/rule-authoring.md).
FACT_FIELDS: dict[str, str] = {
    "type": "event type",
    "vendor": "vendor name",
    "service": "affected service (one per fact; list-valued data.services fan out)",
    "incident": "case id as given",
    "actor": "vendor | customer | monitor",
    "source": "where the evidence came from",
    "lang": "language of text (given or detected)",
    "at": "event time, epoch seconds",
    "kind": "data.kind (notice, change, message and compensation kinds)",
    "deadline": "data.deadline of a notice, epoch seconds",
    "reason": "data.reason of a suspension",
    "change": "data.change id",
    "host": "data.host",
    "result": "data.result of a host test: pass | fail",
    "check": "data.check of a probe",
    "up": "data.up of a probe: true | false",
    "detail": "data.detail of a probe",
    "status": "data.status of a status claim",
    "in_reply_to": "data.in_reply_to of a message",
    "channel": "data.channel of a message",
    "to": "data.to of a referral",
    "amount": "data.amount of a compensation offer",
    "currency": "data.currency of a compensation offer",
    "apology": "message analysis: explicit | regret-only | none",
    "claims_resolution": "message analysis or status claim: the text claims the problem is resolved",
    "quote": "message analysis: the sentence in which the finding (claim or apology) stands",
    "opens_outage": "true on the event that takes a service down (suspension, host failure, first failing probe)",
    "claimed_services_inferred": "true when a resolution claim named no service and the open outages were assumed",
}

TIME_FIELDS = frozenset({"at", "deadline"})

_SCALAR = (str, int, float, bool)


def build_facts(event: Event, epoch: float, analyzer: MessageAnalyzer, tracker: OutageTracker) -> list[dict[str, Any]]:
    """The facts of one event, enriched; updates the case's outage tracker."""
    data = dict(event.data)
    services = list(dict.fromkeys([*([event.service] if event.service else []), *data.pop("services", [])]))
    data.pop("checks", None)
    if "deadline" in data:
        data["deadline"] = datetime.fromisoformat(data["deadline"].replace("Z", "+00:00")).timestamp()
    base: dict[str, Any] = {
        "pw": "ev", "ev": event.id, "at": epoch, "type": event.type, "vendor": event.vendor,
        "incident": event.incident, "actor": event.actor, "source": event.source, "lang": event.lang, **data,
    }
    if event.text:
        analysis = analyzer.analyze(event.text, event.lang)
        base["apology"] = analysis.apology
        base["claims_resolution"] = analysis.claims_resolution
        base["quote"] = analysis.quote("resolution_claim") or analysis.quote("apology")
    if event.type == "status.claimed":
        base["claims_resolution"] = event.data.get("status") == "resolved"
        base["quote"] = (event.text or "").strip() or "status: resolved"
    if base.get("claims_resolution") and not services:
        # A claim that names no service refers to what is down now (or else to everything seen).
        services = tracker.down() or tracker.seen()
        base["claimed_services_inferred"] = True
    opened = set(tracker.observe(event.type, services, epoch, event.data.get("up")))
    facts = event_facts(flatten(base), services)
    for fact in facts:
        if fact.get("service") in opened:
            fact["opens_outage"] = True
    return facts


def event_facts(base: dict[str, Any], services: list[str]) -> list[dict[str, Any]]:
    """Fan a flat event record out over its services (one fact when it names none)."""
    if not services:
        return [dict(base, id=base["ev"], ref=base["ev"])]
    return [dict(base, service=svc, id=f"{base['ev']}@{svc}", ref=f"{base['ev']}@{svc}") for svc in services]


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """Drop values durable_rules cannot compare (lists, objects, None)."""
    return {k: v for k, v in record.items() if isinstance(v, _SCALAR)}
