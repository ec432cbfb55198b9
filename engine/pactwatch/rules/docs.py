"""Rule documentation generated from the rule files, with examples run for real.

``pactwatch rules docs --output docs/rules`` writes one page per rule; a test checks
that the committed pages equal the generated ones, so a page can never describe a rule
or a finding that the engine does not produce.
"""

from __future__ import annotations

from typing import Any

from ..errors import PactwatchError, Problem
from ..ingest.records import parse_record
from ..models.contract import Contract
from ..models.report import Report
from .loader import RuleLibrary
from .schema import Bound, DaysAfter, DaysBefore, FieldBound, HoursAfter, HoursBefore, Pattern, RuleSpec

__all__ = ["rule_page", "index_page", "run_example", "EXAMPLE_VENDOR"]

EXAMPLE_VENDOR = "webhost-nord"


def _example_contract(rule: RuleSpec, library: RuleLibrary) -> Contract:
    clauses = [{"id": f"§{i}", "title": library.concepts[c].title, "covers": [c], "params": library.concepts[c].defaults()}
               for i, c in enumerate((rule.concept, *rule.also), start=1)]
    return Contract(id="EXAMPLE", vendor=EXAMPLE_VENDOR, customer="Agentur Lichtblick GmbH", currency="EUR",
                    monthly_fee=49.9, timezone="Europe/Berlin", clauses=clauses)


def run_example(rule: RuleSpec, library: RuleLibrary, timeline: list[dict[str, Any]]) -> Report:
    from ..evaluation import Evaluator

    events = []
    for i, raw in enumerate(timeline, start=1):
        event, problems, _ = parse_record({"vendor": EXAMPLE_VENDOR, **raw}, file=f"rule {rule.id} example", line=i,
                                          allow_unknown=False)
        if event is None:
            raise PactwatchError(problems)
        events.append(event)
    return Evaluator(library, _example_contract(rule, library)).run_events(events)


def _hours(h: Any) -> str:
    items = h if isinstance(h, list) else [h]
    words = [f"`{x}`" if isinstance(x, str) else f"{x:g}" for x in items]
    return words[0] + " h" if len(words) == 1 else "the larger of " + " and ".join(words) + " (h)"


def _bound(bound: Bound) -> str:
    if bound == "case_start":
        return "the start of the case"
    if bound == "case_end":
        return "the end of the case"
    if bound == "trigger":
        return "the trigger"
    if isinstance(bound, HoursBefore):
        return f"{_hours(bound.hours_before)} before the trigger"
    if isinstance(bound, DaysBefore):
        return f"{_hours(bound.days_before).replace(' h', ' days').replace('(h)', '(days)')} before the trigger"
    if isinstance(bound, DaysAfter):
        return f"{_hours(bound.days_after).replace(' h', ' days').replace('(h)', '(days)')} after the trigger"
    if isinstance(bound, FieldBound):
        extra = [f"{_hours(bound.hours_after)}" if bound.hours_after else "",
                 f"{_hours(bound.minutes_after).replace(' h', ' min')}" if bound.minutes_after else ""]
        plus = " + ".join(x for x in extra if x)
        return f"the trigger's `{bound.field}`" + (f" + {plus}" if plus else "")
    assert isinstance(bound, HoursAfter)
    return f"{_hours(bound.hours_after)} after the trigger"


def _match(match: dict[str, Any]) -> str:
    parts = []
    for field, cond in sorted(match.items()):
        if isinstance(cond, list):
            parts.append(f"`{field}` is one of " + ", ".join(f"`{c}`" for c in cond))
        elif isinstance(cond, dict):
            parts.append(", ".join(f"`{field}` {op} `{v}`" for op, v in sorted(cond.items())))
        else:
            parts.append(f"`{field}` = `{str(cond).lower() if isinstance(cond, bool) else cond}`")
    return "; ".join(parts)


def _pattern(kind: str, pat: Pattern) -> str:
    same = f", same {', '.join(f'`{f}`' for f in pat.same)} as the trigger" if pat.same else ""
    verb = "no event" if kind == "absent" else "an event"
    return (f"- **{pat.role}** — {verb} with {_match(pat.match)}{same}, "
            f"from {_bound(pat.window.from_)} to {_bound(pat.window.to)} (inclusive)")


def _timeline(rows: list[dict[str, Any]]) -> list[str]:
    out = ["| at | type | actor | service | text | data |", "|---|---|---|---|---|---|"]
    for r in rows:
        data = ", ".join(f"{k}={v}" for k, v in r.get("data", {}).items())
        text = (r.get("text") or "").replace("|", "\\|")
        out.append(f"| {r['at']} | {r['type']} | {r.get('actor', '')} | {r.get('service', '')} | {text} | {data} |")
    return out


def rule_page(rule: RuleSpec, library: RuleLibrary) -> str:
    concept = library.concepts[rule.concept]
    fired = run_example(rule, library, rule.example.fires)
    found = [v for v in fired.violations if v.rule == rule.id]
    passed = run_example(rule, library, rule.example.passes)
    if len(found) != 1 or any(v.rule == rule.id for v in passed.violations):
        raise PactwatchError(Problem("rule-example-wrong", "the 'fires' example must yield exactly one finding of the rule "
                                     "and the 'passes' example none", file=f"rules/{rule.id}.yaml", field="example"))
    v = found[0]
    lines = [
        f"# `{rule.id}` — {rule.title}",
        "",
        "<!-- generated by `pactwatch rules docs`; edit rules/" + rule.id + ".yaml instead -->",
        "",
        f"Severity **{rule.severity}** · concept **`{rule.concept}`** ({concept.title}) · "
        + ("at most one finding per case" if rule.once_per == "case" else (
            "one finding per " + ", ".join(f"`{f}`" for f in rule.once_per) if isinstance(rule.once_per, list)
            else "one finding per triggering event")),
        "",
        rule.description.strip(),
        "",
        "## Contract parameters",
        "",
        "| parameter | default | meaning |",
        "|---|---|---|",
    ]
    for c in (concept, *[library.concepts[a] for a in rule.also]):
        for name, field in c.params_model.model_fields.items():
            default = c.defaults()[name]
            shown = ", ".join(f"below {t['below_percent']:g} % → {t['credit_percent']:g} %" for t in default) \
                if name == "tiers" else default
            lines.append(f"| `{name}` ({c.name}) | {shown} | {field.description} |")
    if not any(c.params_model.model_fields for c in (concept, *[library.concepts[a] for a in rule.also])):
        lines.append("| — | | the concept has no parameters |")
    lines += ["", "## How it decides", ""]
    for i, alt in enumerate(rule.when, start=1):
        if len(rule.when) > 1:
            lines.append(f"Alternative {i}:")
            lines.append("")
        if alt.for_each:
            lines.append(f"- compiled once for each element of the parameter `{alt.for_each}` (`$each` below); "
                         "none when the list is empty")
        lines.append(f"- **trigger** — an event with {_match(alt.trigger)}")
        if alt.requires:
            lines.append("- only when the contract sets " + ", ".join(f"`{k}` = `{v}`" for k, v in alt.requires.items()))
        lines += [_pattern("absent", p) for p in alt.absent]
        lines += [_pattern("present", p) for p in alt.present]
        decided = ("as soon as the events exist" if not alt.absent else
                   "when event time has passed the end of every `absent` window (or the case ended)")
        lines += [f"- decided {decided}", ""]
    lines += ["## Remedies", "", *[f"- *{r.kind}*: {r.text}" for r in rule.remedies], "",
              "## Example: fires", "", *_timeline(rule.example.fires), "", "Finding:", "",
              f"> {v.summary}", "", *[f"- {r.text}" for r in v.remedies], "",
              "## Example: does not fire", "", *_timeline(rule.example.passes), "", "No finding.", ""]
    return "\n".join(lines)


def index_page(library: RuleLibrary) -> str:
    lines = ["# Rule library", "", "<!-- generated by `pactwatch rules docs` -->", "",
             "| rule | severity | concept | title |", "|---|---|---|---|"]
    lines += [f"| [`{r.id}`]({r.id}.md) | {r.severity} | `{r.concept}` | {r.title} |" for r in library.rules]
    return "\n".join(lines) + "\n"
