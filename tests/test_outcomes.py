"""An outcome for every obligation: violated, met, pending, not applicable, not assessable, exempted, waived."""

import json

import pytest

from conftest import EXAMPLES, clause, contract, evaluate_raw, event, pw

from pactwatch.models.contract import Waiver


def outcome(report, rule, service=None):
    found = [o for o in report.outcomes if o.rule == rule and o.service == service]
    assert len(found) == 1, [(o.rule, o.service, o.status) for o in report.outcomes if o.rule == rule]
    return found[0]


def claim(h, svc="a.de"):
    return event(h, "status.claimed", actor="vendor", text="Resolved.", data={"status": "resolved", "services": [svc]})


def probe(h, up, svc="a.de"):
    return event(h, "probe", actor="monitor", service=svc, data={"check": "https", "up": up})


def test_a_claim_nobody_checked_is_not_assessable_not_met(library):
    unchecked = evaluate_raw(library, [probe(0, False), claim(1)])
    o = outcome(unchecked, "false-resolution-claim", "a.de")
    assert o.status == "not_assessable" and o.reason.startswith("no check of the service after the claim")
    checked = evaluate_raw(library, [probe(0, False), claim(1), probe(2, True)])
    assert outcome(checked, "false-resolution-claim", "a.de").status == "met"
    false = evaluate_raw(library, [probe(0, False), claim(1), probe(2, False)])
    o = outcome(false, "false-resolution-claim", "a.de")
    assert o.status == "violated" and o.violation == next(v.id for v in false.violations if v.rule == "false-resolution-claim")


def test_rules_that_did_not_arise_are_not_applicable_with_the_reason(library):
    report = evaluate_raw(library, [probe(0, False), probe(1, True)])
    o = outcome(report, "suspension-without-notice")
    assert o.status == "not_applicable" and o.reason == "no event it applies to: (type=service.suspended)"


def test_pending_until_the_deadline_then_decided(library):
    complaint = event(0, "message.sent", actor="customer", text="Alles ist down!", data={"kind": "complaint"})
    report = evaluate_raw(library, [complaint, event(2, "clock", vendor=None)])
    o = outcome(report, "complaint-response-late")
    assert o.status == "pending" and o.due == "2026-03-03T07:00:00Z"
    later = evaluate_raw(library, [complaint, event(30, "clock", vendor=None)])
    assert outcome(later, "complaint-response-late").status == "violated"


def test_availability_above_target_is_met_per_service_month(library):
    report = evaluate_raw(library, [probe(0, False), probe(0.25, True)], contract(clause("§3", "availability", target_percent=99.0)))
    o = outcome(report, "availability-breach", "a.de")
    assert (o.status, o.incident) == ("met", None)


def test_exempted_and_waived_outcomes_cite_why(library):
    attack = event(0, "service.suspended", actor="vendor", service="a.de", data={"reason": "DDoS attack, null-routed"})
    carved = contract(clause("§5.4", "suspension_notice", exempt_reasons=["attack"]))
    o = outcome(evaluate_raw(library, [attack], carved), "suspension-without-notice", "a.de")
    assert (o.status, o.reason) == ("exempted", "exempted by §5.4 (exempt_reasons: attack)")
    waived = contract(waivers=[Waiver(rule="suspension-without-notice", severity="off", justification="agreed")])
    assert outcome(evaluate_raw(library, [attack], waived), "suspension-without-notice", "a.de").status == "waived"


@pytest.mark.parametrize("example", ["hosting-2026", "hosting-clean"])
def test_every_rule_has_an_outcome_on_the_bundled_examples(library, example):
    folder = EXAMPLES / example
    report = json.loads(pw("check", folder / "events.jsonl", "-c", folder / "contract.yaml", "-f", "json").stdout)
    assert {o["rule"] for o in report["outcomes"]} == {r.id for r in library.rules}
    violated = {o["violation"] for o in report["outcomes"] if o["status"] == "violated"}
    assert violated == {v["id"] for v in report["violations"]}
    if example == "hosting-clean":
        assert report["violations"] == [] and {o["status"] for o in report["outcomes"]} <= {"met", "not_applicable"}


# -- pactwatch explain --------------------------------------------------------------------
def test_explain_shows_what_matched_and_what_filled_the_windows():
    hosting, clean = EXAMPLES / "hosting-2026", EXAMPLES / "hosting-clean"
    run = pw("explain", hosting / "events.jsonl", "-c", hosting / "contract.yaml", "--rule", "false-resolution-claim",
             "--service", "www.kunde-a.de")
    assert run.returncode == 0, run.stderr
    assert "present probe: p09 (probe, www.kunde-a.de" in run.stdout and "p13" in run.stdout
    assert "www.kunde-a.de: violated (V-" in run.stdout
    met = pw("explain", clean / "events.jsonl", "-c", clean / "contract.yaml", "--rule", "complaint-response-late").stdout
    assert "absent reply: window filled by m02" in met and ": met — applied to m01" in met
    assert "off under this contract (requires auto_ack_counts=True)" in met
    empty = pw("explain", hosting / "events.jsonl", "-c", hosting / "contract.yaml", "--rule", "suspension-without-notice").stdout
    assert "absent notice: window stayed empty" in empty and "every absent window empty, so it fired" in empty
    nothing = pw("explain", clean / "events.jsonl", "-c", clean / "contract.yaml", "--rule", "missed-update").stdout
    assert "no event matched a trigger of the rule" in nothing and "not_applicable" in nothing


def test_explain_an_unknown_rule_exits_2():
    hosting = EXAMPLES / "hosting-2026"
    run = pw("explain", hosting / "events.jsonl", "-c", hosting / "contract.yaml", "--rule", "no-such-rule")
    assert run.returncode == 2 and "rule-not-found" in run.stderr and "Traceback" not in run.stderr
