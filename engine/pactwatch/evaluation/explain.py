"""``pactwatch explain``: why a rule did or did not fire, told from the evaluation itself.

With explain on, the rule is compiled with witness rules (rules/compiler.py): durable_rules
reports every trigger, every event joined to it by a ``present`` pattern and every event
that falls into an ``absent`` window. The engine records those, and each decision it took
at a deadline, in a :class:`Trace`; this module prints them next to the rule's patterns, the
outcome and the finding. Nothing here re-evaluates a condition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .._time import format_local, stamp_epoch
from ..models.report import Report
from ..rules.compiler import CompiledAlternative
from ..rules.schema import FieldBound, Pattern, RuleSpec

__all__ = ["Trace", "render_explanation"]


@dataclass
class _Trigger:
    case: str
    alt: CompiledAlternative
    fact: dict[str, Any]
    witnesses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    decisions: list[tuple[float, bool]] = field(default_factory=list)
    joined: bool = False


@dataclass
class Trace:
    """What the engine saw for the explained rule, in the order it saw it."""

    triggers: dict[tuple[str, str, str], _Trigger] = field(default_factory=dict)

    def _of(self, case: str, alt: CompiledAlternative, fact: dict[str, Any]) -> _Trigger:
        key = (case, alt.key, fact["id"])
        if key not in self.triggers:
            self.triggers[key] = _Trigger(case, alt, fact)
        return self.triggers[key]

    def seen(self, case: str, alt: CompiledAlternative, fact: dict[str, Any]) -> None:
        self._of(case, alt, fact)

    def witness(self, case: str, alt: CompiledAlternative, fact: dict[str, Any], role: str, other: dict[str, Any]) -> None:
        found = self._of(case, alt, fact).witnesses.setdefault(role, [])
        if all(o["id"] != other["id"] for o in found):
            found.append(other)

    def decided(self, case: str, alt: CompiledAlternative, fact: dict[str, Any], at: float, fired: bool) -> None:
        self._of(case, alt, fact).decisions.append((at, fired))

    def joined(self, case: str, alt: CompiledAlternative, fact: dict[str, Any]) -> None:
        self._of(case, alt, fact).joined = True


def _bound(b: Any) -> str:
    if isinstance(b, str):
        return b.replace("_", " ")
    if isinstance(b, FieldBound):
        offsets = [f"{v} {u}" for v, u in ((b.days_after, "days"), (b.hours_after, "h"), (b.minutes_after, "min")) if v]
        return b.field + (" + " + " + ".join(offsets) if offsets else "")
    (name, value), = b.model_dump().items()
    return f"{value} {name.replace('_', ' ')}"


def _pattern(p: Pattern) -> str:
    conds = ", ".join(f"{k}={v}" for k, v in sorted(p.match.items()))
    same = f"; same {', '.join(p.same)}" if p.same else ""
    return f"[{conds}{same}; from {_bound(p.window.from_)} to {_bound(p.window.to)}]"


def _event(fact: dict[str, Any], tz: str) -> str:
    quote = fact.get("quote") or fact.get("commitment_quote") or ""
    text = f' "{quote[:100]}"' if quote else ""
    svc = f", {fact['service']}" if fact.get("service") else ""
    return f"{fact['ev']} ({fact.get('type')}{svc}, {format_local(fact['at'], tz)}){text}"


def render_explanation(trace: Trace, report: Report, rule: RuleSpec, params: dict[str, Any], tz: str,
                       service: str | None = None) -> str:
    """``params``: the rule's parameters under the contract (as the engine compiled them)."""
    lines = [f"rule {rule.id} ({rule.severity}) — {rule.title}", f"concept: {rule.concept}",
             "params: " + ", ".join(f"{k}={v}" for k, v in sorted(params.items()))]
    for i, alt in enumerate(rule.when):
        off = {k: v for k, v in alt.requires.items() if params.get(k) != v}
        lines.append(f"alternative {i}: trigger [" + ", ".join(f"{k}={v}" for k, v in sorted(alt.trigger.items())) + "]"
                     + (f" — off under this contract (requires {', '.join(f'{k}={v}' for k, v in off.items())})"
                        if off else ""))
        lines += [f"  present {p.role} {_pattern(p)}" for p in alt.present]
        lines += [f"  absent {p.role} {_pattern(p)}" for p in alt.absent]
    shown = [t for t in trace.triggers.values() if service is None or t.fact.get("service") in (service, None)]
    if not shown:
        lines.append("")
        lines.append("no event matched a trigger of the rule" + (f" for {service}" if service else "") + ".")
    for t in sorted(shown, key=lambda t: (t.case, t.fact["at"], t.fact["id"], t.alt.index)):
        lines.append("")
        lines.append(f"case {t.case.replace(chr(31), '/') or '—'}, alternative {t.alt.index}: trigger {_event(t.fact, tz)}")
        spec = rule.when[t.alt.index]
        for p in spec.present:
            hits = t.witnesses.get(f"p_{p.role}", [])
            lines.append(f"  present {p.role}: " + ("; ".join(_event(f, tz) for f in hits) if hits else
                                                   "no event matched, so the alternative cannot fire"))
        for p in spec.absent:
            hits = t.witnesses.get(f"w_{p.role}", [])
            lines.append(f"  absent {p.role}: " + (f"window filled by {'; '.join(_event(f, tz) for f in hits)}" if hits
                                                  else "window stayed empty"))
        for at, fired in t.decisions:
            lines.append(f"  decided at {format_local(at, tz)}: " + ("every absent window empty, so it fired" if fired
                                                                   else "not fired"))
        if t.joined:
            lines.append("  fired as soon as the trigger and every present pattern had matched")
        if spec.absent and not t.decisions:
            filled = any(t.witnesses.get(f"w_{p.role}") for p in spec.absent)
            if any(p.trigger == t.fact["ev"] and p.rule == rule.id for p in report.pending):
                lines.append("  not decided: the deadline had not passed when the input ended (pending)")
            elif filled:
                lines.append("  not decided at a deadline: the input ended first, with the window already filled (met)")
            else:
                lines.append("  not decided: for a once-per-case rule only the earliest trigger is decided")
    outcomes = [o for o in report.outcomes if o.rule == rule.id and (service is None or o.service in (service, None))]
    if outcomes:
        lines.append("")
        lines.append("outcomes:")
        for o in outcomes:
            where = "/".join(x for x in (o.vendor, o.incident or "service-level", o.service) if x)
            lines.append(f"  {where}: {o.status}" + (f" — {o.reason}" if o.reason else "")
                         + (f" ({o.violation})" if o.violation else ""))
    for v in (v for v in report.violations if v.rule == rule.id and (service is None or service in v.services)):
        lines.append("")
        lines.append(f"violation {v.id} at {format_local(stamp_epoch(v.at), tz)}: {v.summary}")
    return "\n".join(lines) + "\n"
