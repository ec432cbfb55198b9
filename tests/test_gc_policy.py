"""A run postpones full garbage collections and always puts the process's settings back."""

import gc

import pytest

from pactwatch import Evaluator
from pactwatch.evaluation.gc_policy import FULL_COLLECTION_EVERY
from pactwatch.ingest import IngestSummary, parse_record

from conftest import contract, event


def _timed(raws):
    for raw in raws:
        ev, problems, _ = parse_record(raw, file="t", line=None, allow_unknown=False)
        assert ev is not None, problems
        yield ev.at.timestamp(), ev.id, ev


def test_full_collections_wait_during_a_run_and_the_thresholds_come_back(library):
    seen = []

    def stream():
        seen.append(gc.get_threshold())
        yield from _timed([event(0, "service.suspended", service="a.de", actor="vendor", id="e1")])

    before = gc.get_threshold()
    report = Evaluator(library, contract()).run(stream(), IngestSummary())
    assert report.input.events_accepted == 1
    assert seen == [(before[0], before[1], max(before[2], FULL_COLLECTION_EVERY))]
    assert gc.get_threshold() == before


def test_the_thresholds_come_back_when_a_run_fails(library):
    def stream():
        yield from _timed([event(0, "service.suspended", service="a.de", actor="vendor", id="e1")])
        raise RuntimeError("feed broke")

    before = gc.get_threshold()
    with pytest.raises(RuntimeError, match="feed broke"):
        Evaluator(library, contract()).run(stream(), IngestSummary())
    assert gc.get_threshold() == before
