"""The first stage in worker processes: the same report with any number of workers, crashes contained.

docs/operations.md ("Workers") describes what a user sees; evaluation/workers.py how it works.
"""

from __future__ import annotations

import json
import os

import pytest
from conftest import EXAMPLES, SANITIZER, contract, event, evaluate_raw, pw, rules_fired

from pactwatch import Evaluator, PactwatchError, load_contract, load_rules
from pactwatch.ingest import IngestSummary, parse_record, stream_events

MULTI = EXAMPLES / "multi-vendor"


def _report(library, contract_path, workers, **kw):
    the_contract = load_contract(contract_path, library.concepts, [r.id for r in library.rules])
    summary = IngestSummary()
    stream = (t for t in stream_events([MULTI / "events.jsonl"], summary) if t[2].vendor in (the_contract.vendor, None))
    return Evaluator(library, the_contract).run(stream, summary, workers=workers, **kw).to_json()


@pytest.mark.parametrize("vendor", ["mailwerk", "webhost-nord"])
def test_any_number_of_workers_gives_the_same_bytes_as_one_process(library, vendor):
    """60 incidents of three vendors: repeat incidents across cases, availability across cases,
    per-case timelines, and an evaluation as of an instant in the middle."""
    path = MULTI / "contracts" / f"{vendor}.yaml"
    single = _report(library, path, 0, detail=True)
    assert json.loads(single)["violations"] and "repeat-incident" in single
    assert _report(library, path, 1, detail=True) == single
    assert _report(library, path, 3, detail=True) == single
    as_of = json.loads(single)["violations"][len(json.loads(single)["violations"]) // 2]["at"]
    from pactwatch._time import stamp_epoch

    instant = stamp_epoch(as_of)
    assert _report(library, path, 2, as_of=instant) == _report(library, path, 0, as_of=instant)


def _outage(hours, incident, id_):
    return event(hours, "host.failed", id=id_, incident=incident, actor="vendor",
                 data={"host": "srv-1", "services": ["www.example.de"]})


def _stream(library, raws, workers):
    events = []
    for i, raw in enumerate(raws, 1):
        ev, problems, _ = parse_record(raw, file="test", line=i, allow_unknown=False)
        assert ev is not None, problems
        events.append(ev)
    return Evaluator(library, contract()).run_events(events, workers=workers)


def test_a_repeat_incident_is_found_across_cases_in_the_second_stage(library):
    """The second outage of a service is in another case than the first: only the second stage
    sees both. The finding belongs to the later case, and so does its outcome."""
    raws = [_outage(0, "INC-1", "a1"), event(2, "service.restored", id="a2", incident="INC-1", actor="vendor",
                                             service="www.example.de"),
            _outage(24 * 8, "INC-2", "b1")]
    for workers in (0, 2):
        report = _stream(library, raws, workers)
        [finding] = [v for v in report.violations if v.rule == "repeat-incident"]
        assert finding.incident == "INC-2" and "8 days after the previous failure" in finding.summary
        outcome = {(o.incident, o.rule): o.status for o in report.outcomes}
        assert outcome[("INC-2", "repeat-incident")] == "violated"
        assert outcome[("INC-1", "repeat-incident")] == "met"
    assert "repeat-incident" not in rules_fired(evaluate_raw(library, raws[:2]))


def test_a_rule_that_reads_a_cross_case_field_can_only_have_a_trigger(tmp_path):
    import shutil

    shutil.copytree(EXAMPLES.parent / "rules", tmp_path / "rules", ignore=shutil.ignore_patterns("corpus"))
    rule = tmp_path / "rules" / "repeat-incident.yaml"
    text = rule.read_text(encoding="utf-8").replace(
        "    hours_up_before: {gte: $params.min_uptime_hours}\n",
        "    hours_up_before: {gte: $params.min_uptime_hours}\n"
        "  absent:\n    - role: fix\n      match: {type: host.tested}\n      window: {from: trigger, to: {hours_after: 24}}\n")
    rule.write_text(text, encoding="utf-8")
    with pytest.raises(PactwatchError) as raised:
        load_rules(tmp_path / "rules")
    [problem] = raised.value.problems
    assert problem.code == "rule-invalid" and "days_since_previous_outage" in problem.message
    assert problem.file.endswith("repeat-incident.yaml") and problem.line


def _multi_cli(*args, env=None):
    import subprocess
    import sys

    from conftest import ROOT

    return subprocess.run([sys.executable, "-m", "pactwatch.cli", "check", MULTI / "events.jsonl", "-c",
                           MULTI / "contracts" / "mailwerk.yaml", "--allow-vendor-mismatch", "-f", "json", *args],
                          capture_output=True, text=True, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", **SANITIZER, **(env or {})})


def test_a_worker_that_dies_once_is_replaced_and_nothing_is_lost():
    plain = _multi_cli("-j", "2")
    assert plain.returncode == 1, plain.stderr
    first = json.loads(plain.stdout)["violations"][0]
    case = f"{first['vendor']}/{first['incident']}"
    crashed = _multi_cli("-j", "2", env={"PACTWATCH_FAULT_CASE": f"{case}:once"})
    assert crashed.returncode == 1, crashed.stderr
    assert crashed.stdout == plain.stdout


def test_a_case_that_kills_two_workers_is_reported_as_failed_and_every_other_case_is_kept():
    plain = json.loads(_multi_cli("-j", "2").stdout)
    incident = plain["violations"][0]["incident"]
    case = f"{plain['violations'][0]['vendor']}/{incident}"
    crashed = _multi_cli("-j", "2", env={"PACTWATCH_FAULT_CASE": case})
    assert crashed.returncode == 3
    assert f"case {case} was not evaluated" in crashed.stderr and "SIGABRT" in crashed.stderr
    assert "Traceback" not in crashed.stderr
    report = json.loads(crashed.stdout)
    assert report["failed"] == [{"case": case,
                                 "reason": "the worker process was killed by SIGABRT, twice, while evaluating this case"}]
    kept = {v["id"] for v in report["violations"]}
    # every other case's own findings; what compares cases (availability, repeats) lacks the failed case's outages
    others = {v["id"] for v in plain["violations"]
              if v["incident"] not in (incident, None) and v["rule"] != "repeat-incident"}
    assert others and others <= kept
    assert not any(v["incident"] == incident for v in report["violations"])


def test_a_fault_in_pactwatch_fails_that_case_only(library, monkeypatch):
    """An exception while evaluating one case (a bug) is contained like a crash: forked workers
    inherit the patched function, so the fault happens where it would in real life."""
    import pactwatch.evaluation.engine as engine

    real = engine.build_facts

    def faulty(event, *args, **kwargs):
        if event.incident == "INC-2":
            raise KeyError("boom")
        return real(event, *args, **kwargs)

    monkeypatch.setattr(engine, "build_facts", faulty)
    raws = [_outage(0, "INC-1", "a1"), _outage(1, "INC-2", "b1"), _outage(2, "INC-3", "c1")]
    report = _stream(library, raws, 2)
    assert [(f.case, f.reason) for f in report.failed] == [("acme/INC-2", "internal error: KeyError: 'boom'")]
    assert {o.incident for o in report.outcomes} >= {"INC-1", "INC-3"}
    assert os.environ.get("PACTWATCH_FAULT_CASE") is None


def test_strict_mode_stops_at_a_conflict_found_in_a_worker(tmp_path):
    first = {"id": "m1", "at": "2026-03-02T08:00:00+01:00", "type": "message.sent", "vendor": "webhost-nord",
             "actor": "customer", "text": "Die Seite ist down!", "data": {"kind": "complaint"}}
    other = {**first, "text": "Alles gut."}
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps(first) + "\n" + json.dumps(other) + "\n", encoding="utf-8")
    run = pw("check", path, "-c", EXAMPLES / "hosting-2026" / "contract.yaml", "--strict", "-j", "2")
    assert run.returncode == 2 and "event-id-conflict" in run.stderr and "Traceback" not in run.stderr


def test_events_out_of_order_are_refused_by_the_partitioned_run_too(library):
    events = list(stream_events([EXAMPLES / "hosting-2026" / "events.jsonl"], IngestSummary()))
    the_contract = load_contract(EXAMPLES / "hosting-2026" / "contract.yaml")
    with pytest.raises(PactwatchError, match="events-out-of-order"):
        Evaluator(library, the_contract).run(iter(reversed(events)), IngestSummary(), workers=2)


def test_a_spill_directory_that_cannot_be_used_is_a_clear_input_error(tmp_path):
    run = pw("check", EXAMPLES / "hosting-2026" / "events.jsonl", "-c", EXAMPLES / "hosting-2026" / "contract.yaml",
             "--spill-dir", tmp_path / "missing", "-j", "2")
    assert run.returncode == 2, run.stderr
    assert "spill-unwritable" in run.stderr and "--spill-dir" in run.stderr and "Traceback" not in run.stderr
