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
from dataclasses import dataclass
from typing import Any

from .._time import from_epoch
from ..enrich.outages import month_end
from ..models.events import Event
from ..rules.compiler import Guard, guard_of, rule_params, service_level, variants
from ..rules.schema import TRIGGER_REF, Pattern, RuleSpec
from .outcomes import holds

__all__ = ["SLICE_SERVICES", "OfferFilter", "month_fact", "months_apart", "slices"]

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


def _plain(cond: Any) -> bool:
    """Whether :func:`outcomes.holds` decides this condition exactly as the compiled pattern does:
    equality, membership in a written list, existence; no reference to the trigger's fields."""
    def literal(value: Any) -> bool:
        return value is None or isinstance(value, bool | int | float) or (
            isinstance(value, str) and TRIGGER_REF.match(value) is None)
    if isinstance(cond, list):
        return all(literal(v) for v in cond)
    if not isinstance(cond, dict):
        return literal(cond)
    return all((op in ("eq", "exists") and literal(arg)) or (op in ("in", "not_in") and isinstance(arg, list)
                                                             and all(literal(v) for v in arg))
               for op, arg in cond.items())


def _earliest_decides(pattern: Pattern) -> bool:
    """Whether only the earliest fact matching this pattern can matter: an ``absent`` window open
    since the case began, on the fact's own fields alone. A later match lies in every window the
    earliest lies in (windows differ only in their end), so it never decides an absence."""
    return not pattern.same and pattern.window.from_ == "case_start" and all(map(_plain, pattern.match.values()))


@dataclass(frozen=True)
class OfferFilter:
    """Which of a vendor's compensation offers the service-level sessions need.

    Every slice of a vendor's months is judged together with the vendor's offers (the rules
    on a month ask whether an offer came in time). A durable_rules session keeps the room of
    the most facts it ever held, so thousands of offers asserted into each slice held hundreds
    of MB after a large run. In the bundled rules an offer matters to a month only through
    an ``absent`` window open since the case began, where the earliest offer decides for
    every month: it alone is kept for such a pattern. An offer that may match any other
    pattern of a service-level rule (``present``, a window relative to the trigger, a
    ``context``) is kept as it is.
    """

    #: (match, params) of the patterns where the earliest matching offer decides
    earliest: tuple[tuple[dict[str, Any], dict[str, Any]], ...]
    #: literal tests of every other pattern an offer may match: an offer passing one is kept
    every: tuple[Guard, ...]

    @classmethod
    def of(cls, rules: Iterable[RuleSpec], params_by_concept: dict[str, dict[str, Any]]) -> OfferFilter:
        earliest: list[tuple[dict[str, Any], dict[str, Any]]] = []
        every: list[Guard] = []
        for rule in rules:
            params = rule_params(rule, params_by_concept)
            judged = [alt for _, alt, _ in variants(rule, params) if service_level(alt)]
            for alt in judged:
                for pattern in alt.present:
                    every.append(guard_of(pattern.match))
                for pattern in alt.absent:
                    if _earliest_decides(pattern):
                        earliest.append((pattern.match, params))
                    else:
                        every.append(guard_of(pattern.match))
            if judged:
                every += [guard_of(p.match) for p in rule.context]
        return cls(tuple(earliest), tuple(dict.fromkeys(every)))

    def needed(self, offers: list[tuple[dict[str, Any], Event]]) -> list[tuple[dict[str, Any], Event]]:
        """The offers a service-level session must hold, in the order given (sorted by time and id:
        the first that matches a pattern is its earliest)."""
        found: set[int] = set()
        keep = []
        for offer in offers:
            fact = offer[0]
            first = [n for n, (match, params) in enumerate(self.earliest) if n not in found and holds(match, fact, params)]
            found.update(first)
            if first or any(all(fact.get(f) in values for f, values in guard) for guard in self.every):
                keep.append(offer)
        return keep
