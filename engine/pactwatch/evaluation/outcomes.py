"""An outcome for every obligation: violated, met, pending, not applicable, not assessable.

A finding says what went wrong; a contract manager also needs to know what was checked and
held, what is not yet due, what did not arise, and what could not be judged for want of
evidence. The engine records, as it evaluates each case, which rules applied to which
service (a fact matching the rule's ``applies`` conditions, by default its triggers') and
which evidence a rule ``needs`` was never seen; this module turns those records, with the
violations and pending deadlines of the same evaluation, into one outcome per
(rule, case, service).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from .._time import format_utc
from ..models.report import Outcome, Pending, Violation
from ..rules.compiler import rule_params
from ..rules.schema import PARAM_REF, TRIGGER_REF, RuleSpec

__all__ = ["Applies", "CaseRecord", "holds", "outcomes"]

_OPS = {"ne": lambda a, b: a != b, "lt": lambda a, b: a < b, "lte": lambda a, b: a <= b,
        "gt": lambda a, b: a > b, "gte": lambda a, b: a >= b}


def _value(v: Any, params: dict[str, Any]) -> Any:
    ref = PARAM_REF.match(v) if isinstance(v, str) else None
    return params.get(ref.group(1)) if ref else v


def holds(match: dict[str, Any], fact: dict[str, Any], params: dict[str, Any]) -> bool:
    """Does a fact satisfy a match's own conditions? (references to a trigger do not constrain here)"""
    for name, cond in match.items():
        got = fact.get(name)
        if isinstance(cond, list):
            if got not in [_value(c, params) for c in cond]:
                return False
            continue
        if not isinstance(cond, dict):
            if isinstance(cond, str) and TRIGGER_REF.match(cond):
                continue
            if got != _value(cond, params):
                return False
            continue
        for op, arg in cond.items():
            if op == "exists":
                if (got is not None) != bool(arg):
                    return False
            elif isinstance(arg, str) and TRIGGER_REF.match(arg):
                continue
            elif (op == "eq" and got != _value(arg, params)) or (op in ("in", "not_in") and (got in [_value(a, params) for a in arg]) != (op == "in")):
                return False
            elif op in _OPS:
                value = _value(arg, params)
                try:
                    if got is None or not _OPS[op](got, value):
                        return False
                except TypeError:
                    return False
    return True


@dataclass(frozen=True)
class Applies:
    """When a rule's obligation arises, compiled once per evaluation."""

    rule: RuleSpec
    matches: tuple[dict[str, Any], ...]
    params: dict[str, Any]
    #: assessed per service and month across cases (availability), not per case
    service_level: bool

    @functools.cached_property
    def described(self) -> str:
        """The conditions as the outcome of a rule that did not apply says them (one per rule, not per case)."""
        return _describe(self)

    @classmethod
    def of(cls, rule: RuleSpec, params_by_concept: dict[str, dict[str, Any]]) -> Applies:
        matches = tuple(rule.applies) if rule.applies is not None else tuple(alt.trigger for alt in rule.when)
        return cls(rule, matches, rule_params(rule, params_by_concept),
                   all(m.get("type") == "availability.month" for m in matches))


@dataclass
class CaseRecord:
    vendor: str
    incident: str | None
    service_level: bool
    #: (rule id, service) → the first fact the rule applied to
    applied: dict[tuple[str, str | None], dict[str, Any]] = field(default_factory=dict)
    #: (rule id, service) → what evidence was missing
    missing: dict[tuple[str, str | None], str] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    #: the position of the case's first event in the input: records are taken in this order
    first: int = 0


_SAY = {"eq": "=", "ne": "≠", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥", "in": "in", "not_in": "not in"}


def _describe(applies: Applies) -> str:
    """The conditions in a line a reader can follow: "no event with type=service.suspended"."""
    def cond(name: str, c: Any) -> str:
        if isinstance(c, list):
            return f"{name} in {', '.join(map(str, c))}"
        if not isinstance(c, dict):
            return f"{name}={str(c).lower() if isinstance(c, bool) else c}"
        return " and ".join(f"{name} {'present' if v else 'absent'}" if op == "exists" else
                            f"{name} {_SAY.get(op, op)} {_value(v, applies.params)}" for op, v in sorted(c.items()))

    return " or ".join("(" + ", ".join(cond(k, v) for k, v in sorted(m.items())) + ")" for m in applies.matches)


def outcomes(records: list[CaseRecord], rules: list[Applies], violations: list[Violation]) -> list[Outcome]:
    by_id = {v.id: v for v in violations}
    out: list[Outcome] = []
    for rec in records:
        found = [by_id[i] for i in rec.violations if i in by_id]
        for a in rules:
            rid = a.rule.id
            keys = sorted({svc for (r, svc) in rec.applied if r == rid}, key=lambda s: s or "")
            if rec.service_level and not keys and not a.service_level:
                continue  # a per-case obligation: its outcome is in the cases
            if not rec.service_level and a.service_level:
                continue  # judged in the vendor's service-level case
            base = {"rule": rid, "vendor": rec.vendor, "incident": rec.incident}
            if not keys:
                out.append(Outcome(**base, service=None, status="not_applicable",
                                   reason=f"no event it applies to: {a.described}"))
                continue
            mine = [v for v in found if v.rule == rid]
            pend = [p for p in rec.pending if p.rule == rid]
            for svc in keys:
                # A finding about this service; a once-per-case finding (or one naming no service) covers them all.
                v = next((v for v in mine if svc in v.services), None) or next(
                    (v for v in mine if svc is None or not v.services or a.rule.once_per == "case"), None)
                fact = rec.applied[(rid, svc)]
                if v is not None:
                    if v.exempted is not None:
                        status, reason = "exempted", (f"exempted by {v.exempted.clause or 'the contract'} "
                                                      f"({v.exempted.param}: {v.exempted.value})")
                    elif v.waived is not None and v.waived.severity_was is None:
                        status, reason = "waived", f"waived: {v.waived.justification}"
                    else:
                        status, reason = "violated", None
                    out.append(Outcome(**base, service=svc, status=status, reason=reason, violation=v.id))
                elif pend:
                    out.append(Outcome(**base, service=svc, status="pending", due=pend[0].due,
                                       reason=f"deadline {pend[0].due} not reached"))
                elif (rid, svc) in rec.missing:
                    out.append(Outcome(**base, service=svc, status="not_assessable", reason=rec.missing[(rid, svc)]))
                else:
                    out.append(Outcome(**base, service=svc, status="met",
                                       reason=f"applied to {fact['ev']} ({format_utc(fact['at'])}); no breach"))
    return sorted(out, key=lambda o: (o.vendor, o.incident or "", o.rule, o.service or ""))
