"""--as-of: evaluate a case as of an instant; deadlines up to it are decided, later events are not yet known."""

import json

from conftest import EXAMPLES, pw

HOSTING = EXAMPLES / "hosting-2026"


def check(*extra):
    run = pw("check", HOSTING / "events.jsonl", "--contract", HOSTING / "contract.yaml", "--format", "json", *extra)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def test_a_deadline_that_has_passed_by_the_as_of_instant_is_decided():
    """The complaint of 9 March is due an answer by 14 March; the incident was closed on 12 March."""
    plain = check()
    # (an offer of the March service credit is due 7 days after the end of March)
    assert [p["rule"] for p in plain["pending"]] == ["complaint-response-late", "no-compensation"] and plain["as_of"] is None
    before = check("--as-of", "2026-03-13 12:00")
    assert [p["rule"] for p in before["pending"]] == ["complaint-response-late", "no-compensation"]
    after = check("--as-of", "2026-03-20 12:00")
    assert [p["rule"] for p in after["pending"]] == ["no-compensation"]
    assert after["pending"][0]["due"] == plain["pending"][1]["due"] == "2026-04-07T22:00:00Z"
    late = [v for v in after["violations"] if v["rule"] == "complaint-response-late"]
    assert len(late) == 1 and late[0]["at"] == "2026-03-14T15:45:00Z"
    assert after["as_of"] == "2026-03-20T11:00:00Z"  # a local time is in the contract's timezone (CET)


def test_events_after_the_instant_are_not_yet_known():
    report = check("--as-of", "2026-03-03T12:00:00+01:00")
    assert report["input"]["after_as_of"] > 0
    assert report["input"]["events_accepted"] + report["input"]["after_as_of"] == check()["input"]["events_accepted"]
    assert "false-resolution-claim" not in {v["rule"] for v in report["violations"]}  # the claim came at 20:48
    assert {"no-apology", "restoration-overdue"} <= {p["rule"] for p in report["pending"]}


def test_as_of_is_shown_in_the_text_report_and_a_bad_value_exits_2():
    run = pw("check", HOSTING / "events.jsonl", "--contract", HOSTING / "contract.yaml", "--as-of", "2026-03-05T12:00")
    assert "as of Do., 5. März 2026, 12:00 MEZ" in run.stdout
    bad = pw("check", HOSTING / "events.jsonl", "--contract", HOSTING / "contract.yaml", "--as-of", "yesterday")
    assert bad.returncode == 2 and "--as-of 'yesterday'" in bad.stderr and "Traceback" not in bad.stderr


def test_the_same_as_of_gives_the_same_bytes():
    args = ("--as-of", "2026-03-20 12:00")
    assert check(*args) == check(*args)
