"""A report kept on disk (evaluation/findings.py): the bytes of the report in memory, written a finding at a time."""

from __future__ import annotations

import io
import json

import pytest
from conftest import EXAMPLES, pw

from pactwatch import Evaluator, load_contract
from pactwatch.audit import audit_logger
from pactwatch.ingest import IngestSummary, stream_events
from pactwatch.models.contract import Waiver
from pactwatch.remedies.waivers import is_active
from pactwatch.reports import render_csv

MULTI = EXAMPLES / "multi-vendor"


def _contract(library, waivers=()):
    the_contract = load_contract(MULTI / "contracts" / "mailwerk.yaml", library.concepts, [r.id for r in library.rules])
    return the_contract.model_copy(update={"waivers": list(waivers)})


def _both(library, the_contract, workers, **kw):
    """The report in memory and the report on disk, each with its audit log."""
    out = []
    for spilled in (False, True):
        log = io.StringIO()
        ev = Evaluator(library, the_contract, audit=audit_logger(log))
        summary = IngestSummary()
        stream = (t for t in stream_events([MULTI / "events.jsonl"], summary) if t[2].vendor in (the_contract.vendor, None))
        run = ev.run_spilled if spilled else ev.run
        out.append((run(stream, summary, workers=workers, **kw), log.getvalue()))
    return out


def _entries(log):
    """The audit log's entries without the wall-clock time they were written."""
    return [{k: v for k, v in json.loads(line).items() if k != "logged_at"} for line in log.splitlines()]


@pytest.mark.parametrize("workers", [0, 2])
def test_the_report_on_disk_writes_the_bytes_of_the_report_in_memory(library, workers):
    """Twenty incidents of one vendor with repeat incidents and availability across cases (so a
    vendor's service-level record beside its cases), one rule re-rated and one waived off."""
    waivers = [Waiver(rule="no-apology", severity="low", justification="agreed"),
               Waiver(rule="repeat-incident", severity="off", justification="known hardware")]
    (whole, whole_log), (spilled, spilled_log) = _both(library, _contract(library, waivers), workers)
    try:
        rules = {v.rule for v in whole.violations}
        assert {"no-apology", "repeat-incident"} <= rules and len(whole.outcomes) > len(whole.violations)
        assert whole.counts["waived"] and whole.counts["low"]
        written = io.StringIO()
        spilled.write_json(written)
        assert written.getvalue() == whole.to_json()
        table = io.StringIO()
        spilled.write_csv(table)
        assert table.getvalue() == render_csv(whole, _contract(library, waivers))
        assert spilled.full() == whole
        assert spilled.active == any(is_active(v) for v in whole.violations)
        # the audit log decides the same outcomes in the same order
        assert _entries(spilled_log) == _entries(whole_log) and '"rule.decided"' in whole_log
    finally:
        spilled.close()


def test_a_report_on_disk_with_nothing_in_it_is_empty_lists(library):
    """Evaluated as of an instant before the first event: no finding, no outcome."""
    (whole, _), (spilled, _) = _both(library, _contract(library), 0, as_of=0.0)
    try:
        assert whole.violations == [] and whole.outcomes == []
        written = io.StringIO()
        spilled.write_json(written)
        assert written.getvalue() == whole.to_json() and '"violations": [],' in written.getvalue()
        assert not spilled.active
    finally:
        spilled.close()


def test_check_writes_json_and_csv_from_disk_and_leaves_nothing_behind(library, tmp_path):
    events, path = EXAMPLES / "hosting-2026" / "events.jsonl", EXAMPLES / "hosting-2026" / "contract.yaml"
    the_contract = load_contract(path, library.concepts, [r.id for r in library.rules])
    summary = IngestSummary()
    whole = Evaluator(library, the_contract).run(stream_events([events], summary, local_tz=the_contract.timezone), summary)
    spill = tmp_path / "spill"
    spill.mkdir()
    run = pw("check", events, "-c", path, "-f", "json", "-o", tmp_path / "report.json", "--spill-dir", spill, "-j", "2")
    assert run.returncode == 1, run.stderr
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == whole.to_json()
    run = pw("check", events, "-c", path, "-f", "csv", "--spill-dir", spill, "-j", "0")
    assert run.returncode == 1, run.stderr
    assert run.stdout == render_csv(whole, the_contract)
    assert list(spill.iterdir()) == []  # the events by case and the findings are gone with the run


def test_a_clean_case_written_from_disk_exits_0(tmp_path):
    run = pw("check", EXAMPLES / "hosting-clean" / "events.jsonl", "-c", EXAMPLES / "hosting-clean" / "contract.yaml",
             "-f", "json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["violations"] == []
