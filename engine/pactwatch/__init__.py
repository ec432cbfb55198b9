"""pactwatch: hold vendors to their contracts.

The facade for embedding: load rules and a contract once, evaluate many inputs::

    from pactwatch import evaluate, load_contract, load_events

    report = evaluate(load_events("events.jsonl"), load_contract("contract.yaml"))
    print(report.to_json())
"""

from __future__ import annotations

from pathlib import Path

from ._version import __version__
from .contracts import load_contract
from .errors import PactwatchError, Problem
from .evaluation import Evaluator
from .ingest import EventSet, load_events
from .models import Contract, Event, Report, Violation
from .rules import RuleLibrary, load_rules

__all__ = [
    "Contract",
    "Evaluator",
    "Event",
    "EventSet",
    "PactwatchError",
    "Problem",
    "Report",
    "RuleLibrary",
    "Violation",
    "__version__",
    "evaluate",
    "load_contract",
    "load_events",
    "load_rules",
]


def evaluate(events: EventSet | list[Event], contract: Contract | str | Path,
             rules: RuleLibrary | None = None) -> Report:
    """Evaluate events against a contract with the bundled (or given) rule library."""
    library = rules or load_rules()
    if not isinstance(contract, Contract):
        contract = load_contract(contract, library.concepts)
    evaluator = Evaluator(library, contract)
    if isinstance(events, EventSet):
        return evaluator.run_events(events.events, events.summary)
    return evaluator.run_events(events)
