"""A run pauses the cycle collector, leaves no cycles behind and always restores the collector."""

import gc
import json

import pytest

from pactwatch import Evaluator
from pactwatch.contracts import load_contract
from pactwatch.ingest import IngestSummary, parse_record

from conftest import EXAMPLES, contract, event


def _timed(raws):
    for raw in raws:
        ev, problems, _ = parse_record(raw, file="t", line=None, allow_unknown=False)
        assert ev is not None, problems
        yield ev.at.timestamp(), ev.id, ev


def test_the_collector_is_paused_during_a_run_and_comes_back(library):
    seen = []

    def stream():
        seen.append(gc.isenabled())
        yield from _timed([event(0, "service.suspended", service="a.de", actor="vendor", id="e1")])

    assert gc.isenabled()
    report = Evaluator(library, contract()).run(stream(), IngestSummary())
    assert report.input.events_accepted == 1
    assert seen == [False] and gc.isenabled()


def test_the_collector_comes_back_when_a_run_fails(library):
    def stream():
        yield from _timed([event(0, "service.suspended", service="a.de", actor="vendor", id="e1")])
        raise RuntimeError("feed broke")

    with pytest.raises(RuntimeError, match="feed broke"):
        Evaluator(library, contract()).run(stream(), IngestSummary())
    assert gc.isenabled()


def _hosting_cases(copies: int) -> list[dict]:
    """The bundled hosting case (every rule of the library fires on it), as many times as asked."""
    lines = (EXAMPLES / "hosting-2026" / "events.jsonl").read_text(encoding="utf-8").splitlines()
    cases = []
    for n in range(copies):
        for line in lines:
            raw = json.loads(line)
            raw.update(id=f"{raw['id']}-{n}", vendor=f"{raw['vendor']}-{n}")
            cases.append(raw)
    return sorted(cases, key=lambda r: (r["at"], r["id"]))


def _cycles_left_by_run(library, copies: int) -> int:
    the_contract = load_contract(EXAMPLES / "hosting-2026" / "contract.yaml")
    evaluator = Evaluator(library, the_contract)
    stream = list(_timed(_hosting_cases(copies)))
    gc.collect()
    gc.disable()
    try:
        report = evaluator.run(iter(stream), IngestSummary())
        del report
        return gc.collect()
    finally:
        gc.enable()


def test_a_run_leaves_no_cycles_for_the_collector(library):
    """Pausing the collector is safe only while evaluating makes no cyclic garbage per event."""
    small, large = _cycles_left_by_run(library, 2), _cycles_left_by_run(library, 20)
    assert large <= small + 10, f"{large} objects in cycles after 20 cases vs {small} after 2"
