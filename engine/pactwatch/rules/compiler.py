"""Compile rule specs onto durable_rules' JSON ruleset form.

Pure data in, pure data out: this module does not import durable_rules (only
``evaluate/`` does). Each alternative of a rule becomes either

- one *join* rule (trigger plus ``present`` patterns), fired by durable_rules as soon
  as the facts exist, whatever order they arrived in; or
- an *arm* rule (the trigger alone: tells the engine to schedule a decision in event
  time) and a *decide* rule (a deadline fact the engine asserts when event time has
  passed the window, joined with the trigger, the ``present`` patterns and ``$not``
  over each ``absent`` pattern).

Windows become arithmetic constraints on ``at`` relative to the trigger's ``at``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..durations import SECONDS, is_business
from ..facts import CROSS_CASE_FIELDS, TIME_FIELDS
from .join_order import in_join_order
from .schema import PARAM_REF, TRIGGER_REF, Alternative, Bound, DaysAfter, DaysBefore, FieldBound, Hours, HoursAfter, HoursBefore, Pattern, RuleSpec

__all__ = ["CompiledAlternative", "CompiledRuleset", "DerivedTime", "compile_rules", "variants", "CASE_END", "OWN_BOUND_KEYS"]

#: Marker for "decide when the case ends" deadlines.
CASE_END = "case_end"

_OPS = {"ne": "$neq", "lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}


@dataclass(frozen=True)
class CompiledAlternative:
    rule: RuleSpec
    index: int
    params: dict[str, Any]
    deferred: bool
    #: seconds after the trigger at which the decision is taken, or CASE_END
    decide_after: float | str
    present_roles: tuple[str, ...]
    absent_roles: tuple[str, ...]
    #: for a ``for_each`` alternative, the list element this copy was compiled for
    each: str | None = None
    #: absent windows that end at a time held in a trigger field: (field, seconds after it);
    #: the decision waits for the latest of these and ``decide_after``
    decide_at_fields: tuple[tuple[str, float], ...] = ()

    def due(self, trigger: dict[str, Any]) -> float | str:
        """When a trigger of this alternative is decided (event time), or CASE_END."""
        if self.decide_after == CASE_END:
            return CASE_END
        due = float(trigger["at"]) + float(self.decide_after)
        for field, seconds in self.decide_at_fields:
            if isinstance(trigger.get(field), int | float):
                due = max(due, float(trigger[field]) + seconds)
        return due

    @property
    def key(self) -> str:
        return f"{self.rule.id}/{self.index}" + (f"/{self.each}" if self.each is not None else "")


@dataclass(frozen=True)
class DerivedTime:
    """A window bound in business time, computed per trigger on the contract's calendar.

    "4 business hours after the complaint" has no fixed offset, so the bound is written into
    the trigger fact (``field``) before durable_rules sees it, and the compiled window refers
    to that field like any other time held in a trigger field.
    """

    field: str
    #: the trigger field the bound counts from ("at", or e.g. "month_end")
    base: str
    sign: int
    #: ("hours" | "days", amount) in business time, or ("clock", seconds)
    parts: tuple[tuple[str, float], ...]
    #: "sum": the parts one after another (field + days + hours); "extreme": the furthest of them (lists)
    combine: str
    #: the trigger's literal tests: only facts that may trigger get the field
    guard: tuple[tuple[str, frozenset[Any]], ...]

    def compute(self, fact: dict[str, Any], add: Any) -> float | None:
        """``add(epoch, amount, unit, sign)`` is the calendar's business-time arithmetic."""
        base = fact.get(self.base)
        if not isinstance(base, int | float):
            return None
        return _shifted(float(base), self.sign, self.parts, self.combine, add)


def _shifted(at: float, sign: int, parts: tuple[tuple[str, float], ...], combine: str, add: Any) -> float:
    """``at`` moved by ``parts``, one after another ("sum") or the furthest of them ("extreme").

    Window bounds and own-time tests share it, so a window and a test written with the same
    durations agree to the second on the same calendar."""

    def step(start: float, part: tuple[str, float]) -> float:
        kind, amount = part
        return start + sign * amount if kind == "clock" else add(start, amount, kind, sign)

    if combine == "sum":
        for part in parts:
            at = step(at, part)
        return at
    ends = [step(at, part) for part in parts]
    return max(ends) if sign > 0 else min(ends)


@dataclass(frozen=True)
class DerivedTest:
    """A time a fact holds compared with the fact's own time shifted by a duration.

    "A notice at least 24 h (or 2 working days) before the suspension" compares two times of one
    fact, ``notice_at`` and ``at``, with a gap that may be business time; durable_rules compares a
    field only with a constant or another fact's field. So the comparison is made before the fact
    is asserted and written into it as a boolean (``field``), which the compiled pattern tests.
    """

    field: str
    #: the time field compared (``notice_at``)
    left: str
    op: str
    sign: int
    #: as DerivedTime.parts; of several, the furthest from ``at`` applies (like a window's list)
    parts: tuple[tuple[str, float], ...]
    #: the pattern's literal tests: only facts that may match get the field
    guard: tuple[tuple[str, frozenset[Any]], ...]

    def compute(self, fact: dict[str, Any], add: Any) -> bool | None:
        left, at = fact.get(self.left), fact.get("at")
        if not isinstance(left, int | float) or not isinstance(at, int | float):
            return None
        bound = _shifted(float(at), self.sign, self.parts, "extreme", add)
        return bool(_COMPARE[self.op](float(left), bound))


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "lt": lambda a, b: a < b, "lte": lambda a, b: a <= b, "gt": lambda a, b: a > b, "gte": lambda a, b: a >= b}


@dataclass(frozen=True)
class CompiledRuleset:
    definition: dict[str, dict[str, Any]]
    #: durable rule name → (alternative, phase) where phase is "join", "arm" or "decide"
    actions: dict[str, tuple[CompiledAlternative, str]]
    alternatives: tuple[CompiledAlternative, ...]
    #: every fact field some pattern reads: facts are asserted with these only
    fields: frozenset[str]
    #: per pattern, its literal equality/membership tests (see :meth:`could_match`)
    guards: tuple[tuple[tuple[str, frozenset[Any]], ...], ...]
    #: literal tests of the rules' ``context`` patterns: facts kept for evidence only
    context_guards: tuple[tuple[tuple[str, frozenset[Any]], ...], ...] = ()
    #: window bounds in business time, written into trigger facts before they are asserted
    derived: tuple[DerivedTime, ...] = ()
    #: times compared with a fact's own time (``notice_at: {lte: {hours_before: …}}``), written in likewise
    tests: tuple[DerivedTest, ...] = ()

    def for_context(self, fact: dict[str, Any]) -> bool:
        return _any_guard(self.context_guards, fact)

    def __post_init__(self) -> None:
        by_type: dict[Any, list[tuple[tuple[str, frozenset[Any]], ...]]] = {}
        untyped = []
        for guard in self.guards:
            types = dict(guard).get("type")
            if types is None:
                untyped.append(guard)
            for t in types or ():
                by_type.setdefault(t, []).append(tuple(g for g in guard if g[0] != "type"))
        object.__setattr__(self, "_untyped", tuple(untyped))
        object.__setattr__(self, "_by_type", {t: tuple(gs) + tuple(untyped) for t, gs in by_type.items()})

    def could_match(self, fact: dict[str, Any]) -> bool:
        """False only when no pattern's literal tests can hold for this fact.

        durable_rules would refuse such a fact anyway (``MessageNotHandledException``)
        after serialising it and running its alpha network; skipping it early changes
        no outcome. The test is conservative: operators other than equality and
        membership, and references to the trigger, are not checked here.
        """
        return _any_guard(self._by_type.get(fact.get("type"), self._untyped), fact)  # type: ignore[attr-defined]


Guard = tuple[tuple[str, frozenset[Any]], ...]


def _any_guard(guards: tuple[Guard, ...], fact: dict[str, Any]) -> bool:
    """Does the fact pass every literal test of at least one guard? (a loop: this is the hot path)"""
    for guard in guards:
        for field, values in guard:
            if fact.get(field) not in values:
                break
        else:
            return True
    return False


def _hours(value: Hours, params: dict[str, Any]) -> float:
    items = value if isinstance(value, list) else [value]
    return max(float(params[h]) if isinstance(h, str) else float(h) for h in items)


def _offset(bound: Bound, params: dict[str, Any]) -> float | str | None:
    """Seconds relative to the trigger; None for case_start; CASE_END for case_end."""
    if isinstance(bound, FieldBound):
        return None  # relative to a trigger field: see _field_bound
    if bound == "case_start":
        return None
    if bound == "case_end":
        return CASE_END
    if bound == "trigger":
        return 0.0
    if isinstance(bound, HoursBefore):
        return -_hours(bound.hours_before, params) * 3600
    if isinstance(bound, DaysBefore):
        return -_hours(bound.days_before, params) * 86400
    if isinstance(bound, DaysAfter):
        return _hours(bound.days_after, params) * 86400
    assert isinstance(bound, HoursAfter)
    return _hours(bound.hours_after, params) * 3600


def _substitute(match: Any, each: str) -> Any:
    """Replace the ``$each`` placeholder of a for_each alternative, at any depth."""
    if isinstance(match, dict):
        return {k: _substitute(v, each) for k, v in match.items()}
    if isinstance(match, list):
        return [_substitute(v, each) for v in match]
    return each if match == "$each" else match


def _expand(alt: Alternative, params: dict[str, Any]) -> list[tuple[Alternative, str | None]]:
    if alt.for_each is None:
        return [(alt, None)]
    out: list[tuple[Alternative, str | None]] = []
    for item in params.get(alt.for_each) or []:
        body = _substitute(alt.model_dump(by_alias=True, exclude={"for_each"}), str(item))
        out.append((Alternative.model_validate(body), str(item)))
    return out


def variants(rule: RuleSpec, params: dict[str, Any]) -> Iterator[tuple[int, Alternative, str | None]]:
    """The rule's alternatives as compiled for these params: (index in ``when``, alternative,
    ``for_each`` element), those switched off by the contract's parameters (``requires``) left out."""
    for i, original in enumerate(rule.when):
        for alt, each in _expand(original, params):
            if all(params.get(k) == v for k, v in alt.requires.items()):
                yield i, alt, each


def _value(value: Any, params: dict[str, Any]) -> Any:
    if isinstance(value, str):
        if ref := TRIGGER_REF.match(value):
            return {"t": ref.group(1)}
        if ref := PARAM_REF.match(value):
            return params[ref.group(1)]
    return value


def _listed(arg: Any, params: dict[str, Any]) -> list[Any]:
    """The values of an ``in``/``not_in`` test: a list, or a contract parameter holding one."""
    resolved = _value(arg, params) if isinstance(arg, str) else arg
    return list(resolved) if isinstance(resolved, list | tuple) else [resolved]


def _field(field: str, cond: Any, params: dict[str, Any]) -> list[dict[str, Any]]:
    if isinstance(cond, list):
        alts = [{field: _value(v, params)} for v in cond]
        return [alts[0] if len(alts) == 1 else {"$or": alts}]
    if not isinstance(cond, dict):
        return [{field: _value(cond, params)}]
    out: list[dict[str, Any]] = []
    for op, arg in sorted(cond.items()):
        if op == "eq":
            out.append({field: _value(arg, params)})
        elif op in _OPS:
            out.append({_OPS[op]: {field: _value(arg, params)}})
        elif op == "in":
            values = _listed(arg, params)
            # no value at all (a contract parameter's empty list): a test no fact passes
            out += _field(field, values, params) if values else [{"$and": [{"$ex": {field: 1}}, {"$nex": {field: 1}}]}]
        elif op == "not_in":
            values = _listed(arg, params)
            # a fact without the field is not among the values ("a suspension for no listed reason")
            neq = [{"$neq": {field: _value(v, params)}} for v in values]
            if neq:
                out.append({"$or": [{"$nex": {field: 1}}, neq[0] if len(neq) == 1 else {"$and": neq}]})
        elif op == "exists":
            out.append({"$ex" if arg else "$nex": {field: 1}})
    return out


def _time(op: str, offset: float) -> dict[str, Any]:
    ref: Any = {"t": "at"} if offset == 0 else {"$add": {"$l": {"t": "at"}, "$r": offset}}
    return {op: {"at": ref}}


def _pattern(match: dict[str, Any], params: dict[str, Any], extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """An ``$and`` of the field tests and the correlations, in the order durable_rules 2.0.28
    evaluates correctly and without reading past its expression sequence (join_order.py)."""
    terms: list[dict[str, Any]] = [{"pw": "ev"}]
    for field in sorted(match):
        terms += _field(field, match[field], params)
    terms += extra or []
    return in_join_order(terms)


def _field_seconds(bound: FieldBound, params: dict[str, Any]) -> float:
    return (_hours(bound.days_after, params) * 86400 + _hours(bound.hours_after, params) * 3600
            + _hours(bound.minutes_after, params) * 60)


def _field_bound(op: str, bound: FieldBound, params: dict[str, Any]) -> dict[str, Any]:
    seconds = _field_seconds(bound, params)
    ref: Any = {"t": bound.field} if seconds == 0 else {"$add": {"$l": {"t": bound.field}, "$r": seconds}}
    return {op: {"at": ref}}


def _correlated(pat: Pattern, params: dict[str, Any]) -> dict[str, Any]:
    extra: list[dict[str, Any]] = [{f: {"t": f}} for f in pat.same]
    for op, bound in (("$gte", pat.window.from_), ("$lte", pat.window.to)):
        if isinstance(bound, FieldBound):
            extra.append(_field_bound(op, bound, params))
            continue
        offset = _offset(bound, params)
        if isinstance(offset, float):
            extra.append(_time(op, offset))
    return _pattern(pat.match, params, extra)


_BOUND_UNITS: dict[type, tuple[str, str, int]] = {
    HoursBefore: ("hours_before", "hours", -1), HoursAfter: ("hours_after", "hours", 1),
    DaysBefore: ("days_before", "days", -1), DaysAfter: ("days_after", "days", 1),
}


def _part(value: Any, unit: str, params: dict[str, Any]) -> tuple[str, float]:
    v = params[value] if isinstance(value, str) else value
    if is_business(v):
        return v["business"], float(v["amount"])
    return "clock", float(v) * SECONDS[unit]


def _tag(parts: tuple[tuple[str, float], ...]) -> str:
    """Part of a derived field's name: equal names mean equal computations."""
    return "_" + hashlib.sha256(repr(parts).encode()).hexdigest()[:8]


def _business_bound(bound: Bound, params: dict[str, Any],
                    guard: tuple[tuple[str, frozenset[Any]], ...]) -> tuple[FieldBound, DerivedTime] | None:
    """A bound whose length is a business duration → a bound on a per-trigger computed field."""
    if isinstance(bound, FieldBound):
        named = [(getattr(bound, a), u) for a, u in (("days_after", "days"), ("hours_after", "hours"),
                                                     ("minutes_after", "minutes"))]
        if not any(isinstance(v, str) and is_business(params.get(v)) for v, _ in named):
            return None
        parts = tuple(_part(v, u, params) for v, u in named if v)
        name = f"bt_{bound.field}_" + "_".join(str(v) for v, _ in named if v) + _tag(parts)
        return FieldBound(field=name), DerivedTime(name, bound.field, 1, parts, "sum", guard)
    spec = _BOUND_UNITS.get(type(bound))
    if spec is None:
        return None
    attr, unit, sign = spec
    value = getattr(bound, attr)
    items = value if isinstance(value, list) else [value]
    if not any(isinstance(h, str) and is_business(params.get(h)) for h in items):
        return None
    parts = tuple(_part(h, unit, params) for h in items)
    name = f"bt_{attr}_" + "_".join(str(h) for h in items) + _tag(parts)
    derived = DerivedTime(name, "at", sign, parts, "extreme", guard)
    return FieldBound(field=name), derived


def _relative_to_own_time(alt: Alternative, params: dict[str, Any]) -> tuple[Alternative, list[DerivedTest]]:
    """Rewrite ``<time field>: {<op>: {hours_before: …}}`` (a time compared with the fact's own time
    shifted by a duration) into a test on a computed boolean field (:class:`DerivedTest`)."""
    tests: list[DerivedTest] = []

    def rewrite(match: dict[str, Any]) -> dict[str, Any]:
        out = dict(match)
        for field, cond in match.items():
            if field not in TIME_FIELDS or not isinstance(cond, dict):
                continue
            for op, arg in cond.items():
                spec = _OWN_BOUNDS.get(next(iter(arg), "")) if isinstance(arg, dict) and len(arg) == 1 else None
                if spec is None:
                    continue
                attr, unit, sign = spec
                items = arg[attr] if isinstance(arg[attr], list) else [arg[attr]]
                parts = tuple(_part(h, unit, params) for h in items)
                name = f"st_{field}_{op}_{attr}" + _tag(parts)
                rest = {k: v for k, v in match.items() if k != field}
                tests.append(DerivedTest(name, field, op, sign, parts, guard_of(rest)))
                del out[field]
                out[name] = True
        return out

    update: dict[str, Any] = {"trigger": rewrite(alt.trigger)}
    for group in ("present", "absent"):
        update[group] = [p.model_copy(update={"match": rewrite(p.match)}) for p in getattr(alt, group)]
    return (alt.model_copy(update=update), tests) if tests else (alt, [])


#: the durations a time may be compared with, relative to the fact's own time: a window's, by name
_OWN_BOUNDS = {spec[0]: spec for spec in _BOUND_UNITS.values()}
#: their names, for the loader's check of a rule file
OWN_BOUND_KEYS = tuple(_OWN_BOUNDS)


def _in_business_time(alt: Alternative, params: dict[str, Any]) -> tuple[Alternative, list[DerivedTime]]:
    """Rewrite the windows whose length the contract gives in business time."""
    guard = guard_of(alt.trigger)
    derived: list[DerivedTime] = []
    groups: dict[str, list[Pattern]] = {"present": [], "absent": []}
    for group in groups:
        for pat in getattr(alt, group):
            bounds = {}
            for key in ("from_", "to"):
                rewritten = _business_bound(getattr(pat.window, key), params, guard)
                if rewritten is not None:
                    bounds[key] = rewritten[0]
                    derived.append(rewritten[1])
            window = pat.window.model_copy(update=bounds) if bounds else pat.window
            groups[group].append(pat.model_copy(update={"window": window}) if bounds else pat)
    if not derived:
        return alt, []
    return alt.model_copy(update=groups), derived


def _decide_after(alt: Alternative, params: dict[str, Any]) -> float | str:
    ends = [_offset(p.window.to, params) for p in alt.absent]
    if CASE_END in ends:
        return CASE_END
    return max([0.0, *[e for e in ends if isinstance(e, float)]])


def _witnesses(ca: CompiledAlternative, alt: Alternative, params: dict[str, Any], trigger: dict[str, Any],
               definition: dict[str, dict[str, Any]], actions: dict[str, tuple[CompiledAlternative, str]]) -> None:
    """For ``pactwatch explain``: rules that report each trigger and each pattern it is joined with.

    They are durable_rules rules like the others, so what explain prints is what the engine
    matched: a ``present`` pattern's events, and the events that fill an ``absent`` window
    (the reason an obligation was met).
    """
    definition[f"{ca.key}/seen"] = {"all": [trigger]}
    actions[f"{ca.key}/seen"] = (ca, "seen")
    for kind, patterns in (("p", alt.present), ("w", alt.absent)):
        for p in patterns:
            name = f"{ca.key}/witness/{kind}_{p.role}"
            definition[name] = {"all": [trigger, {f"{kind}_{p.role}": _correlated(p, params)}]}
            actions[name] = (ca, "witness")


def compile_rules(rules: list[RuleSpec], params_by_concept: dict[str, dict[str, Any]],
                  explain: frozenset[str] = frozenset(), keep: Callable[[Alternative], bool] | None = None) -> CompiledRuleset:
    """``explain``: rule ids to compile with witness rules (see :func:`_witnesses`); ``keep``:
    which alternatives this ruleset holds (the stages hold different ones)."""
    definition: dict[str, dict[str, Any]] = {}
    actions: dict[str, tuple[CompiledAlternative, str]] = {}
    compiled: list[CompiledAlternative] = []
    derived: dict[str, DerivedTime] = {}
    tests: dict[str, DerivedTest] = {}
    for rule in rules:
        params = rule_params(rule, params_by_concept)
        for i, alt, each in variants(rule, params):
            if keep is not None and not keep(alt):
                continue
            alt, own = _relative_to_own_time(alt, params)
            for t in own:
                tests.setdefault(t.field, t)  # the name holds field, operator and duration: equal tests
            alt, business = _in_business_time(alt, params)
            for d in business:
                previous = derived.setdefault(d.field, d)
                if previous != d:  # same bound, other trigger: the field must hold for both
                    derived[d.field] = DerivedTime(d.field, d.base, d.sign, d.parts, d.combine,
                                                   tuple(sorted(set(previous.guard) & set(d.guard))))
            ca = CompiledAlternative(
                rule=rule, index=i, params=params, deferred=bool(alt.absent),
                decide_after=_decide_after(alt, params) if alt.absent else 0.0,
                present_roles=tuple(p.role for p in alt.present),
                absent_roles=tuple(p.role for p in alt.absent), each=each,
                decide_at_fields=tuple((p.window.to.field, _field_seconds(p.window.to, params))
                                       for p in alt.absent if isinstance(p.window.to, FieldBound)),
            )
            compiled.append(ca)
            trigger = {"t": _pattern(alt.trigger, params)}
            if rule.id in explain:
                _witnesses(ca, alt, params, trigger, definition, actions)
            present = [{f"p_{p.role}": _correlated(p, params)} for p in alt.present]
            if not ca.deferred:
                name = f"{ca.key}/join"
                definition[name] = {"all": [trigger, *present]}
                actions[name] = (ca, "join")
                continue
            arm = f"{ca.key}/arm"
            definition[arm] = {"all": [trigger]}
            if rule.once_per == "case":  # (a list of fields groups findings, it does not limit arming)
                # Only the earliest trigger of a case can decide a once-per-case rule
                # (its window ends first), so later ones are not armed at all.
                earlier = _pattern(alt.trigger, params, [{"$lt": {"at": {"t": "at"}}}])
                definition[arm]["all"].append({"n_earlier$not": earlier})
            actions[arm] = (ca, "arm")
            decide = f"{ca.key}/decide"
            deadline = {"d": {"$and": [{"pw": "dl"}, {"alt": ca.key}]}}
            bound_trigger = {"t": _pattern(alt.trigger, params, [{"ref": {"d": "trigger"}}])}
            absent = [{f"n_{p.role}$not": _correlated(p, params)} for p in alt.absent]
            definition[decide] = {"all": [deadline, bound_trigger, *present, *absent]}
            actions[decide] = (ca, "decide")
    context = tuple(dict.fromkeys(guard_of(p.match) for rule in rules for p in rule.context))
    return CompiledRuleset(definition, actions, tuple(compiled), _fields(rules) | set(derived) | set(tests),
                           _guards(rules, params_by_concept), context, tuple(derived[k] for k in sorted(derived)),
                           tuple(tests[k] for k in sorted(tests)))


def service_level(alt: Alternative) -> bool:
    """Whether an alternative is judged on a vendor's months of availability (second stage)."""
    types = alt.trigger.get("type")
    return types == "availability.month" or types == ["availability.month"]


def cross_case(rule: RuleSpec) -> bool:
    """Whether the rule reads a field only the second stage knows (it is evaluated there)."""
    return any(set(match) & CROSS_CASE_FIELDS for alt in rule.when
               for match in (alt.trigger, *[p.match for p in (*alt.absent, *alt.present)]))


def rule_params(rule: RuleSpec, params_by_concept: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The rule's own concept's params, over those of the concepts it also uses."""
    merged: dict[str, Any] = {}
    for concept in (*rule.also, rule.concept):
        merged.update(params_by_concept[concept])
    return merged


def literal(cond: Any) -> frozenset[Any] | None:
    """The values a condition accepts, when it is a plain equality or membership test."""
    values = cond if isinstance(cond, list) else None
    if isinstance(cond, dict):
        values = [cond["eq"]] if set(cond) == {"eq"} else (list(cond["in"]) if set(cond) == {"in"} else None)
    elif not isinstance(cond, list):
        values = [cond]
    if values is None or any(isinstance(v, str) and v.startswith("$") for v in values):
        return None
    return frozenset(values)


def guard_of(match: dict[str, Any]) -> tuple[tuple[str, frozenset[Any]], ...]:
    return tuple((f, lit) for f, c in sorted(match.items()) if (lit := literal(c)) is not None)


def _guards(rules: list[RuleSpec], params_by_concept: dict[str, dict[str, Any]]) -> tuple[tuple[tuple[str, frozenset[Any]], ...], ...]:
    guards = []
    for rule in rules:
        for _, alt, _ in variants(rule, rule_params(rule, params_by_concept)):
            for match in (alt.trigger, *[p.match for p in (*alt.absent, *alt.present)]):
                guards.append(guard_of(match))
    return tuple(dict.fromkeys(guards))


def _fields(rules: list[RuleSpec]) -> frozenset[str]:
    used = {"id", "ref", "pw", "at", "ev"}
    for rule in rules:
        for alt in rule.when:
            for match in (alt.trigger, *[p.match for p in (*alt.absent, *alt.present)]):
                used.update(match)
                for cond in match.values():
                    for value in cond.values() if isinstance(cond, dict) else [cond]:
                        for v in value if isinstance(value, list) else [value]:
                            ref = TRIGGER_REF.match(v) if isinstance(v, str) else None
                            if ref:
                                used.add(ref.group(1))
            for pat in (*alt.absent, *alt.present):
                used.update(pat.same)
                # a window may end at a time the trigger holds ({field: month_end, days_after: …}):
                # without the field on the trigger, durable_rules fails the join (error 311)
                used.update(b.field for b in (pat.window.from_, pat.window.to) if isinstance(b, FieldBound))
    return frozenset(used)
