"""Same events, contract and rules → byte-identical report, whatever the feed order."""

import json
import random
from itertools import groupby

from conftest import EXAMPLES

from pactwatch import evaluate, load_contract, load_events

HOSTING = EXAMPLES / "hosting-2026"


def lines():
    return (HOSTING / "events.jsonl").read_text(encoding="utf-8").splitlines()


def run(*paths):
    return evaluate(load_events(*paths), load_contract(HOSTING / "contract.yaml")).to_json()


def test_shuffling_equal_timestamps_gives_identical_bytes(tmp_path):
    baseline = tmp_path / "events.jsonl"
    baseline.write_text("\n".join(lines()) + "\n", encoding="utf-8")
    expected = run(baseline)
    for seed in range(5):
        rng = random.Random(seed)
        shuffled = []
        for _, group in groupby(lines(), key=lambda line: json.loads(line)["at"]):
            group = list(group)
            rng.shuffle(group)
            shuffled += group
        assert shuffled != lines() or seed  # at least one seed reorders ties
        path = tmp_path / "events.jsonl"  # same name: the report names its input files
        path.write_text("\n".join(shuffled) + "\n", encoding="utf-8")
        assert run(path) == expected


def test_fully_shuffled_file_gives_identical_bytes(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines()) + "\n", encoding="utf-8")
    expected = run(path)
    shuffled = lines()
    random.Random(7).shuffle(shuffled)
    path.write_text("\n".join(shuffled) + "\n", encoding="utf-8")
    assert run(path) == expected


def test_split_into_two_files_gives_identical_findings_and_digest(tmp_path):
    whole = tmp_path / "whole.jsonl"
    whole.write_text("\n".join(lines()) + "\n", encoding="utf-8")
    odd, even = tmp_path / "odd.jsonl", tmp_path / "even.jsonl"
    odd.write_text("\n".join(lines()[1::2]) + "\n", encoding="utf-8")
    even.write_text("\n".join(lines()[0::2]) + "\n", encoding="utf-8")
    one, two = json.loads(run(whole)), json.loads(run(even, odd))
    # Only the list of input files may differ (it names them); everything else is identical.
    assert [f["path"] for f in two["input"].pop("files")] == [str(even), str(odd)]
    one["input"].pop("files")
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)


def test_an_unsorted_stream_is_refused_not_misread(library):
    import pytest

    from pactwatch import Evaluator, PactwatchError
    from pactwatch.ingest import IngestSummary

    events = load_events(HOSTING / "events.jsonl").events
    timed = [(e.at.timestamp(), e.id, e) for e in reversed(events)]
    with pytest.raises(PactwatchError, match="events-out-of-order"):
        Evaluator(library, load_contract(HOSTING / "contract.yaml")).run(iter(timed), IngestSummary())


def test_events_delivered_twice_are_counted_once(tmp_path):
    """Every event of the example comes again in a second file (passing probes included,
    which the engine does not keep once read): the findings and digest are those of one copy."""
    whole = tmp_path / "whole.jsonl"
    whole.write_text("\n".join(lines()) + "\n", encoding="utf-8")
    again = tmp_path / "again.jsonl"
    again.write_text("\n".join(lines()) + "\n", encoding="utf-8")
    assert any(json.loads(line)["type"] == "probe" and json.loads(line)["data"]["up"] for line in lines())
    one, two = json.loads(run(whole)), json.loads(run(whole, again))
    assert two["input"]["duplicates"] == len(lines()) and one["input"]["duplicates"] == 0
    for report in (one, two):
        report["input"].pop("files")
        report["input"].pop("duplicates")
        report["input"].pop("events_read")
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)


def test_two_different_events_under_one_id_are_a_conflict_named_with_both_lines_whatever_the_order(tmp_path):
    from conftest import EXAMPLES, pw

    first = {"id": "m1", "at": "2026-03-02T08:00:00+01:00", "type": "message.sent", "vendor": "webhost-nord",
             "actor": "customer", "text": "Die Seite ist down!", "data": {"kind": "complaint"}}
    other = {**first, "actor": "vendor", "text": "Wir entschuldigen uns.", "data": {"kind": "reply"}}
    reports = []
    for order in ([first, other, first], [other, first, first]):
        path = tmp_path / "events.jsonl"
        path.write_text("".join(json.dumps(e) + "\n" for e in order), encoding="utf-8")
        run = pw("check", path, "-c", EXAMPLES / "hosting-2026" / "contract.yaml", "-f", "json")
        report = json.loads(run.stdout)
        [conflict] = report["input"]["rejected"]
        assert conflict["code"] == "event-id-conflict" and "events.jsonl:" in conflict["reason"]
        assert report["input"]["duplicates"] == 1 and report["input"]["events_accepted"] == 1
        reports.append({k: v for k, v in report.items() if k != "input"})
    assert reports[0] == reports[1]  # the same event is kept whichever comes first in the file
