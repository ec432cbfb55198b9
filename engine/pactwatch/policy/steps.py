"""The policy step vocabulary: thin pytest-bdd steps over the public API.

Registered as a pytest plugin (``pytest_plugins = ["pactwatch.policy.steps"]``), so the
project's own tests and ``pactwatch policy test`` run feature files with the same
steps. One implementation per step, several phrasings (English and German).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from ..contracts import check_contract
from ..errors import PactwatchError
from ..evaluation import Evaluator
from ..ingest.records import parse_record
from ..models.contract import Contract
from ..models.report import Report, Violation
from ..rules import RuleLibrary, load_rules
from .templates import load_template
from .timeline import TimelineError, rows_to_events
from .vocabulary import EXTRA_TYPES, PHRASES, compile_phrase

__all__ = ["PolicyCase"]

def _steps(kind: Any, key: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register one step function under every phrasing of a vocabulary entry.

    pytest-bdd injects each step as a fixture into the *caller's module* found by
    frame inspection; ``stacklevel=2`` points it past this helper to this module.
    """
    parsed = [parsers.parse(compile_phrase(p), extra_types=EXTRA_TYPES) for p in PHRASES[key]]

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for p in parsed:
            func = kind(p, stacklevel=2)(func)
        return func

    return decorate


@dataclass
class PolicyCase:
    """What a scenario has said so far."""

    clauses: list[dict[str, Any]] = field(default_factory=list)
    template: Contract | None = None
    timezone: str = "Europe/Berlin"
    vendor: str = "webhost-nord"
    events: list[dict[str, Any]] = field(default_factory=list)
    report: Report | None = None
    focus: Violation | None = None

    def contract(self, library: RuleLibrary) -> Contract:
        if self.template is not None:
            base = self.template.model_dump()
            # A scenario that states a clause of the template restates it (with its own parameters).
            restated = {c["id"] for c in self.clauses}
            base["clauses"] = [*(c for c in base["clauses"] if c["id"] not in restated), *self.clauses]
            base.update(timezone=self.timezone if self.timezone != "Europe/Berlin" else base["timezone"])
        else:
            base = {"id": "POLICY", "vendor": self.vendor, "customer": "Customer", "currency": "EUR",
                    "monthly_fee": 0, "timezone": self.timezone, "clauses": self.clauses}
        contract = Contract.model_validate(base)
        problems = check_contract(contract, library.concepts, "scenario")
        if problems:
            raise PactwatchError(problems)
        return contract


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("pactwatch").addoption("--pactwatch-rules", default=None,
                                           help="rule library directory for policy features")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "policy(tag): a tag of a policy feature (@rule:, @clause:, @severity:)")


def pytest_bdd_apply_tag(tag: str, function: Any) -> Any:
    """@wip skips; every other tag becomes a ``policy`` marker (strict-markers safe)."""
    if tag == "wip":
        pytest.mark.skip(reason="@wip: work in progress")(function)
    else:
        pytest.mark.policy(tag)(function)
    return True


@pytest.fixture(scope="session")
def policy_rules(request: pytest.FixtureRequest) -> RuleLibrary:
    return load_rules(request.config.getoption("--pactwatch-rules"))


@pytest.fixture
def policy_case() -> PolicyCase:
    return PolicyCase()


def _params(text: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in re.split(r"\s*(?:,|\band\b|\bund\b)\s*", text.strip()):
        m = re.fullmatch(r"([a-z_]+)\s+(?:=\s*)?(\S+)", part)
        if not m:
            raise ValueError(f"cannot read parameter {part!r}: write 'name value', e.g. 'notice_hours 24'")
        value: Any = m.group(2)
        if value.lower() in ("true", "false", "ja", "nein"):
            value = value.lower() in ("true", "ja")
        else:
            with contextlib.suppress(ValueError):
                value = float(value) if "." in value else int(value)
        out[m.group(1)] = value
    return out


# -- Given ------------------------------------------------------------------------
@_steps(given, "clause_params")
def _clause_with_params(policy_case: PolicyCase, cid: str, title: str, concept: str, params: str) -> None:
    policy_case.clauses.append({"id": cid, "title": title, "covers": [concept], "params": _params(params)})


@_steps(given, "clause")
def _clause(policy_case: PolicyCase, cid: str, title: str, concept: str) -> None:
    policy_case.clauses.append({"id": cid, "title": title, "covers": [concept], "params": {}})


@_steps(given, "no_clauses")
def _no_clauses(policy_case: PolicyCase) -> None:
    policy_case.clauses.clear()


@_steps(given, "template")
def _template(policy_case: PolicyCase, policy_rules: RuleLibrary, name: str) -> None:
    policy_case.template = load_template(name, policy_rules.concepts)
    policy_case.vendor = policy_case.template.vendor


@_steps(given, "timezone")
def _timezone(policy_case: PolicyCase, tz: str) -> None:
    policy_case.timezone = tz


@_steps(given, "vendor")
def _vendor(policy_case: PolicyCase, vendor: str) -> None:
    policy_case.vendor = vendor


@_steps(given, "events")
def _events(policy_case: PolicyCase, datatable: list[list[str]]) -> None:
    tz = policy_case.template.timezone if policy_case.template else policy_case.timezone
    try:
        policy_case.events.extend(rows_to_events(datatable, tz=tz, vendor=policy_case.vendor))
    except TimelineError as exc:
        raise AssertionError(f"events table: {exc}") from None


# -- When -------------------------------------------------------------------------
@_steps(when, "evaluate")
def _evaluate(policy_case: PolicyCase, policy_rules: RuleLibrary) -> None:
    events, problems = [], []
    for i, raw in enumerate(policy_case.events, start=1):
        event, found, _ = parse_record(raw, file="events table", line=i + 1, allow_unknown=False)
        problems += found
        if event is not None:
            events.append(event)
    if problems:
        raise AssertionError("events table:\n" + "\n".join(str(p) for p in problems))
    policy_case.report = Evaluator(policy_rules, policy_case.contract(policy_rules)).run_events(events)


# -- Then -------------------------------------------------------------------------
def _report(case: PolicyCase) -> Report:
    if case.report is None:
        raise AssertionError("nothing evaluated yet: add 'When pactwatch evaluates the case'")
    return case.report


def _found(case: PolicyCase) -> str:
    return ", ".join(f"{v.rule} ({', '.join(v.services) or 'no service'})" for v in _report(case).violations) or "none"


@_steps(then, "violation_for")
def _violation_for(policy_case: PolicyCase, rule: str, service: str) -> None:
    hits = [v for v in _report(policy_case).violations if v.rule == rule and service in v.services]
    assert hits, f'expected a "{rule}" violation for "{service}"; found: {_found(policy_case)}'
    policy_case.focus = hits[0]


@_steps(then, "violation")
def _violation(policy_case: PolicyCase, rule: str) -> None:
    hits = [v for v in _report(policy_case).violations if v.rule == rule]
    assert hits, f'expected a "{rule}" violation; found: {_found(policy_case)}'
    policy_case.focus = hits[0]


@_steps(then, "no_violation_of")
def _no_violation_of(policy_case: PolicyCase, rule: str) -> None:
    hits = [v for v in _report(policy_case).violations if v.rule == rule]
    assert not hits, f'expected no "{rule}" violation; found: {hits[0].summary}'


@_steps(then, "clean")
def _clean(policy_case: PolicyCase) -> None:
    assert not _report(policy_case).violations, f"expected no violation; found: {_found(policy_case)}"


@_steps(then, "exactly")
def _exactly(policy_case: PolicyCase, rules: str) -> None:
    expected = sorted({r.strip().strip('"') for r in rules.split(",") if r.strip()})
    fired = sorted({v.rule for v in _report(policy_case).violations})
    assert fired == expected, f"expected exactly {', '.join(expected)}; fired: {', '.join(fired) or 'none'}"


def _focus(case: PolicyCase) -> Violation:
    if case.focus is None:
        raise AssertionError('name the violation first, e.g. Then a "no-apology" violation is reported')
    return case.focus


@_steps(then, "cites")
def _cites(policy_case: PolicyCase, cid: str) -> None:
    v = _focus(policy_case)
    assert cid in [c.id for c in v.clauses], f"{v.rule} cites {', '.join(c.id for c in v.clauses) or 'no clause (unmapped)'}"


@_steps(then, "unmapped")
def _unmapped(policy_case: PolicyCase) -> None:
    v = _focus(policy_case)
    assert v.unmapped, f"{v.rule} cites {', '.join(c.id for c in v.clauses)}"


@_steps(then, "remedy")
def _remedy(policy_case: PolicyCase, text: str) -> None:
    v = _focus(policy_case)
    assert any(_plain(text) in _plain(r.text) for r in v.remedies), f"remedies of {v.rule}: " + " | ".join(r.text for r in v.remedies)


def _plain(text: str) -> str:
    """Policy authors type a space where CLDR writes a no-break space ("12,48 €", "99,9 %")."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@_steps(then, "summary")
def _summary(policy_case: PolicyCase, text: str) -> None:
    v = _focus(policy_case)
    assert _plain(text) in _plain(v.summary), f"summary of {v.rule}: {v.summary}"



@_steps(then, "credit")
def _credit(policy_case: PolicyCase, amount: float, currency: str) -> None:
    report = _report(policy_case)
    focus = policy_case.focus or next((v for v in report.violations if any(r.amount is not None for r in v.remedies)), None)
    credits = [r for r in (focus.remedies if focus else []) if r.amount is not None]
    assert credits, f"no service credit is owed; found: {_found(policy_case)}"
    got = [(r.amount, r.currency) for r in credits]
    assert (Decimal(str(amount)), currency) in got, f"service credit is {', '.join(f'{a:.2f} {c}' for a, c in got)}"
