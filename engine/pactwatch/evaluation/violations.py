"""Matches recorded during evaluation → violations with evidence, clauses and remedies."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from .. import i18n
from .._template import WithUnit, fill
from .._time import format_local, format_utc
from ..durations import describe, is_business
from ..facts import CATEGORY_FIELDS
from ..models.contract import Contract
from ..models.events import Event
from ..models.report import Evidence, Violation
from ..remedies import clauses_for, remedies_for
from ..remedies.credits import service_credit
from ..remedies.exemptions import exemption_for
from ..rules.compiler import CompiledAlternative, guard_of
from ..rules.concepts import ConceptRegistry
from ..rules.schema import Alternative, Pattern, RuleSpec

__all__ = ["Match", "build_violations", "group_key"]


@dataclass(frozen=True)
class Match:
    alt: CompiledAlternative
    trigger: dict[str, Any]
    present: dict[str, dict[str, Any]]
    detected: float
    deadline: float | None = None

    def order(self) -> tuple[Any, ...]:
        # Equal detection times: the worst availability first, so a monthly finding cites it.
        return (self.detected, self.trigger.get("availability_percent", 0), self.trigger["at"], self.trigger["ev"],
                self.alt.index)


def _fact_values(prefix: str, fact: dict[str, Any], event: Event, tz: str, lang: str = "en") -> dict[str, object]:
    values: dict[str, object] = {f"{prefix}.{k}": v for k, v in fact.items() if k not in ("sid", "pw", "id")}
    values[f"{prefix}.at_local"] = format_local(fact["at"], tz, lang)
    if isinstance(fact.get("month"), str):
        values[f"{prefix}.month"] = i18n.month(fact["month"], lang)
    values[f"{prefix}.text"] = (event.text or "").strip()
    return values


def _evidence(role: str, event: Event, reading: Literal["reviewed", "uncertain"] | None = None) -> Evidence:
    # Built from a validated event, so not validated again: a claim contradicted by every
    # probe of a long outage quotes hundreds of them.
    return Evidence.model_construct(event=event.id or "", type=event.type, at=format_utc(event.at.timestamp()),
                                    role=role, service=event.service, actor=event.actor, text=event.text,
                                    data=dict(event.data), reading=reading)


def _context(rule: RuleSpec, facts: dict[str, dict[str, Any]]) -> list[tuple[Pattern, dict[str, Any]]]:
    """Facts to show for information (``context`` patterns: literal field tests), earliest first."""
    shown = []
    for pat in rule.context:
        guard = guard_of(pat.match)
        hits = [f for f in facts.values() if all(f.get(k) in values for k, values in guard)]
        shown += [(pat, f) for f in sorted(hits, key=lambda f: (f["at"], f["ev"]))]
    return shown


def _when(alt: CompiledAlternative) -> Alternative:
    return alt.rule.when[alt.index]


def _categories(fields: Iterable[str]) -> set[str]:
    """The reader's categories that the given fact fields come from."""
    return {CATEGORY_FIELDS[f] for f in fields if f in CATEGORY_FIELDS}


def _reading(match: dict[str, Any], fact: dict[str, Any]) -> Any:
    """The reading a finding rests on in this fact: uncertain only where a category the pattern asks
    about was read with low confidence. A claim read at 0.99 in a message whose cause sentence was a
    close call is no unconfirmed claim; a pattern that asks no category rests on no reading."""
    if fact.get("reading") != "uncertain":
        return fact.get("reading")
    unsure = set(str(fact.get("uncertain", "")).split(",")) - {""}
    return "uncertain" if _categories(match) & unsure else None


def _doubted(alt: CompiledAlternative, trigger: dict[str, Any], detected: float,
             facts: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """(role, fact) of the messages whose doubtful reading a finding of absence rests on.

    "No apology" is only as sure as the reading of the vendor's sentences that came close to
    one: each message that matches an absent pattern but for a category read as absent with
    low confidence is evidence, and the finding is unconfirmed until a reviewer reads it.
    """
    out = []
    for pat in _when(alt).absent:
        guard = guard_of(pat.match)
        wanted = _categories(f for f, _ in guard)
        others = [(f, values) for f, values in guard if f not in CATEGORY_FIELDS]
        if not wanted:
            continue
        for fact in facts.values():
            doubt = fact.get("doubtful")
            if (not doubt or fact["at"] > detected or not wanted & set(doubt.split(","))
                    or any(fact.get(f) not in values for f, values in others)
                    or any(fact.get(f) != trigger.get(f) for f in pat.same)):
                continue
            out.append((pat.role, fact))
    return sorted(out, key=lambda rf: (rf[1]["at"], rf[1]["ev"]))


def _figures(related: list[Match], lang: str) -> str:
    """Availability and downtime per service of a monthly finding ("www.kunde-a.de 90,92 % (67,5 Stunden
    Ausfall), …"), worst first; empty for findings without them."""
    rows = sorted((m.trigger["availability_percent"], m.trigger.get("downtime_hours", 0.0), m.trigger["service"])
                   for m in related if "availability_percent" in m.trigger and "service" in m.trigger)
    pattern = i18n.text(lang, "availability_figure")
    return i18n.listing([fill(pattern, {"service": svc, "percent": i18n.percent(pct, lang),
                                        "downtime": i18n.duration(float(down), lang)}, lang)
                         for pct, down, svc in dict.fromkeys(rows)], lang)


def group_key(m: Match) -> tuple[str, ...]:
    """The finding a match belongs to within its case: matches of one rule are one finding per
    case, per trigger, or per the fields the rule's ``once_per`` names."""
    once = m.alt.rule.once_per
    if isinstance(once, list):
        return (m.alt.rule.id, *[str(m.trigger.get(f)) for f in once])
    return (m.alt.rule.id,) if once == "case" else (m.alt.rule.id, m.trigger["ev"])


def build_violations(matches: list[Match], events: dict[str, Event], contract: Contract,
                     case_key: str, facts: dict[str, dict[str, Any]] | None = None,
                     concepts: ConceptRegistry | None = None) -> list[Violation]:
    groups: dict[tuple[str, ...], list[Match]] = {}
    for m in matches:
        groups.setdefault(group_key(m), []).append(m)
    out = []
    for members in groups.values():
        members.sort(key=Match.order)
        primary = members[0]
        grouped_by_fields = isinstance(primary.alt.rule.once_per, list)
        related = members if grouped_by_fields else [m for m in members if m.trigger["ev"] == primary.trigger["ev"]]
        rule, tz, lang = primary.alt.rule, contract.timezone, contract.language
        texts = rule.texts(lang)
        trigger_event = events[primary.trigger["ev"]]
        roles: dict[str, dict[str, Any]] = {}
        for m in related:
            for role, fact in m.present.items():
                if role not in roles or (fact["at"], fact["ev"]) < (roles[role]["at"], roles[role]["ev"]):
                    roles[role] = fact
        services = sorted({m.trigger["service"] for m in related if "service" in m.trigger})
        values: dict[str, object] = {k: WithUnit(describe(v, lang)) if is_business(v) else v
                                     for k, v in primary.alt.params.items()}
        values.update(vendor=trigger_event.vendor, incident=trigger_event.incident or "", services=services,
                      service=i18n.listing(services, lang), customer=contract.customer, contract=contract.id,
                      detected=format_local(primary.detected, tz, lang),
                      deadline=format_local(primary.deadline, tz, lang) if primary.deadline is not None else "",
                      each=", ".join(sorted({m.alt.each for m in related if m.alt.each is not None})))
        values.update(_fact_values("trigger", primary.trigger, trigger_event, tz, lang))
        for role, fact in roles.items():
            values.update(_fact_values(role, fact, events[fact["ev"]], tz, lang))
        evidence_ids: dict[str, str] = {m.trigger["ev"]: "trigger" for m in related}
        readings: dict[str, Any] = {m.trigger["ev"]: _reading(_when(m.alt).trigger, m.trigger) for m in related}
        for m in related:
            patterns = {p.role: p.match for p in _when(m.alt).present}
            for role, fact in sorted(m.present.items()):
                evidence_ids.setdefault(fact["ev"], role)
                readings.setdefault(fact["ev"], _reading(patterns.get(role, {}), fact))
        deciding = sorted(evidence_ids)
        doubted = []
        for role, fact in _doubted(primary.alt, primary.trigger, primary.detected, facts or {}):
            evidence_ids.setdefault(fact["ev"], role)
            readings[fact["ev"]] = "uncertain"
            doubted.append(fact["ev"])
        notes, letter_notes, satisfied = [], [], set()
        for pat, fact in _context(rule, facts or {}):
            if fact["ev"] in evidence_ids:
                continue
            evidence_ids[fact["ev"]] = pat.role
            readings.setdefault(fact["ev"], _reading(pat.match, fact))
            note = texts.notes[rule.context.index(pat)]
            if (note or pat.letter) and f"{pat.role}.at" not in values:
                values.update(_fact_values(pat.role, fact, events[fact["ev"]], tz, lang))
                notes += [note] if note else []
                letter_notes += [t for t in [dict(pat.letter).get(lang)] if t]
            satisfied.update(pat.satisfies)
        if any(r.compute == "service_credit" for r in rule.remedies):
            values.update(service_credit(primary.alt.params, float(primary.trigger.get("availability_percent", 100)),
                                         str(primary.trigger.get("month", "")), contract.monthly_fee,
                                         contract.currency, tz, lang))
        values["first"] = values["trigger.at_local"]
        figures = _figures(related, lang)
        if figures:
            values["figures"] = figures
        letter = rule.letter_text(primary.alt.index, lang)
        evidence = sorted((_evidence(role, events[eid], readings.get(eid)) for eid, role in evidence_ids.items()),
                          key=lambda e: (e.at, e.event))
        digest = hashlib.sha256("\x1f".join([rule.id, case_key, *deciding]).encode()).hexdigest()[:16]
        clauses = clauses_for(contract, rule.concept, *(rule.also if rule.cite_also else []))
        out.append(Violation(
            id=f"V-{digest}", rule=rule.id, title=texts.title, severity=rule.severity, concept=rule.concept,
            vendor=trigger_event.vendor or "", services=services, incident=trigger_event.incident,
            at=format_utc(primary.detected), evidence=evidence,
            summary=" ".join([fill(texts.when[primary.alt.index] or texts.summary, values, lang),
                              *[fill(n, values, lang) for n in notes]]),
            statement=" ".join(fill(t, values, lang) for t in [letter, *letter_notes]) if letter else None,
            clauses=clauses, unmapped=not clauses, params=dict(sorted(primary.alt.params.items())),
            remedies=[r for r in remedies_for(rule, values, texts.remedies, lang) if r.kind not in satisfied],
            unconfirmed=[eid for eid in sorted({*deciding, *doubted}) if readings.get(eid) == "uncertain"],
            exempted=exemption_for(concepts[rule.concept] if concepts is not None and rule.concept in concepts else None,
                                   primary.alt.params, primary.trigger, contract),
        ))
    return out
