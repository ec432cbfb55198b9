"""Shared helpers: build events and contracts in a few words, evaluate them."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from pactwatch import Contract, Evaluator, load_rules
from pactwatch.ingest import parse_record
from pactwatch.models.report import Report

pytest_plugins = ["pactwatch.policy.steps"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone(timedelta(hours=1)))
#: a sanitizer run (docs/reliability.md: durable_rules built with AddressSanitizer) preloads its
#: runtime; the CLI's plain environment keeps it, or the instrumented engine cannot load
SANITIZER = {k: os.environ[k] for k in ("LD_PRELOAD", "ASAN_OPTIONS") if k in os.environ}


def pw(*args: Any, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user does: a fresh process, a plain environment, its exit code and output."""
    return subprocess.run([sys.executable, "-m", "pactwatch.cli", *map(str, args)], capture_output=True, text=True,
                          input=stdin, cwd=ROOT, env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", **SANITIZER})


@functools.lru_cache(maxsize=1)
def bundled_library() -> Any:
    """The bundled rule library, loaded once per test process (the fixture and module-level helpers share it)."""
    return load_rules()


@pytest.fixture(scope="session")
def library():
    return bundled_library()


def at(hours: float) -> str:
    """A timestamp `hours` after Monday 2 March 2026 08:00 +01:00."""
    return (T0 + timedelta(hours=hours)).isoformat()


def event(hours: float, type_: str, *, id: str | None = None, vendor: str = "acme", **fields: Any) -> dict[str, Any]:
    data = fields.pop("data", {})
    raw = {"at": at(hours), "type": type_, "vendor": vendor, **fields, "data": data}
    if id:
        raw["id"] = id
    return raw


def contract(*clauses: dict[str, Any], **overrides: Any) -> Contract:
    body = {"id": "C-1", "vendor": "acme", "customer": "Kunde GmbH", "currency": "EUR", "monthly_fee": 100,
            "timezone": "Europe/Berlin", "clauses": list(clauses), **overrides}
    return Contract.model_validate(body)


def clause(cid: str, concept: str, **params: Any) -> dict[str, Any]:
    return {"id": cid, "title": f"Clause {cid}", "covers": [concept], "params": params}


def evaluate_raw(library, raws: list[dict[str, Any]], the_contract: Contract | None = None) -> Report:
    events = []
    for i, raw in enumerate(raws, start=1):
        ev, problems, _ = parse_record(raw, file="test", line=i, allow_unknown=False)
        assert ev is not None, problems
        events.append(ev)
    return Evaluator(library, the_contract or contract()).run_events(events)


def rules_fired(report: Report, rule: str | None = None) -> list[str]:
    """Rule ids of the violations, in report order (only `rule`'s when given)."""
    return [v.rule for v in report.violations if rule is None or v.rule == rule]


def violation(report: Report, rule: str):
    """The single violation of `rule` in the report."""
    found = [v for v in report.violations if v.rule == rule]
    assert len(found) == 1, f"expected one {rule}, got {[v.rule for v in report.violations]}"
    return found[0]
