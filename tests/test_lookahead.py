"""Texts read a batch ahead of evaluation (evaluation/lookahead.py): the same report whatever the batch,
and a fault while reading is the case's whose text it is."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES, contract, event
from test_workers import MULTI, _report, _stream

import pactwatch.evaluation.lookahead as lookahead
from pactwatch.enrich.messages import MessageAnalyzer


@pytest.mark.parametrize("batch", [1, 7])
def test_the_report_does_not_depend_on_how_many_texts_are_read_together(library, monkeypatch, batch):
    """60 incidents of a vendor with its mail (apologies, claims, referrals, annotated sentences aside):
    read one text at a time, seven events at a time and at the default, in one process and in workers."""
    path = MULTI / "contracts" / "webhost-nord.yaml"
    default = _report(library, path, 0, detail=True)
    assert json.loads(default)["violations"]
    monkeypatch.setattr(lookahead, "BATCH", batch)
    assert _report(library, path, 0, detail=True) == default
    assert _report(library, path, 2, detail=True) == default


def test_a_fault_reading_one_text_fails_only_its_case(library, monkeypatch):
    """The batch holding INC-2's text is read again event by event after the fault: INC-1 and INC-3, read in
    the same batch, are judged as ever, and the fault is INC-2's."""
    real = MessageAnalyzer.analyze_many

    def faulty(self, texts):
        if any(t.text and "boom" in t.text for t in texts):
            raise KeyError("boom")
        return real(self, texts)

    monkeypatch.setattr(MessageAnalyzer, "analyze_many", faulty)
    raws = [event(h, "message.sent", id=f"m{n}", incident=f"INC-{n}", actor="vendor",
                  text=f"Ticket {n}: the server is back online. {'boom' if n == 2 else ''}".strip(),
                  data={"kind": "update"}) for n, h in ((1, 0), (2, 1), (3, 2))]
    for workers in (0, 2):
        if workers == 0:
            with pytest.raises(KeyError):
                _stream(library, raws, 0)  # in one process a fault in pactwatch ends the run, as it always did
            continue
        report = _stream(library, raws, workers)
        assert [(f.case, f.reason) for f in report.failed] == [("acme/INC-2", "internal error: KeyError: 'boom'")]
        assert {o.incident for o in report.outcomes} >= {"INC-1", "INC-3"}


def test_the_bundled_example_reads_the_same_one_text_at_a_time(monkeypatch):
    """The README's case through the CLI's API: batch of one against the default."""
    from pactwatch import Evaluator, load_contract, load_rules
    from pactwatch.ingest import IngestSummary, stream_events

    case = EXAMPLES / "hosting-2026"
    library = load_rules()
    def run() -> str:
        summary = IngestSummary()
        the_contract = load_contract(case / "contract.yaml", library.concepts, [r.id for r in library.rules])
        return Evaluator(library, the_contract).run(stream_events([case / "events.jsonl"], summary), summary).to_json()
    default = run()
    monkeypatch.setattr(lookahead, "BATCH", 1)
    assert run() == default
