"""missed-report: a promised incident report is kept by the vendor's next text that names a cause."""

import pytest
from conftest import clause, contract, evaluate_raw, event, rules_fired, violation

RULE = "missed-report"
C = contract(clause("§7.2", "commitments", grace_minutes=30))


def vendor(h, text, type_="message.sent", **data):
    return event(h, type_, actor="vendor", text=text, data=data or {"kind": "update"})


def later(h):
    return event(h, "clock", vendor=None)


# hour 0 is Monday 2 March 2026, 08:00 CET; "by Friday" is due Friday 23:59 CET, + 30 min grace
FRIDAY_GRACE = "2026-03-06T23:29:00Z"


@pytest.mark.parametrize("promise", [
    "You will receive a written root-cause analysis by Friday.",
    "Den Störungsbericht mit der Ursache schicken wir Ihnen bis Freitag.",
    "A full post-mortem will follow by Friday.",
])
def test_a_promised_report_not_sent_fires(library, promise):
    report = evaluate_raw(library, [vendor(0, promise), later(24 * 7)], C)
    assert rules_fired(report, RULE) == [RULE], promise
    assert violation(report, RULE).at == FRIDAY_GRACE


def test_a_report_is_kept_by_a_later_text_naming_the_cause(library):
    raws = [vendor(0, "You will receive a written root-cause analysis by Friday."),
            vendor(50, "Root cause: a firmware bug in the storage controller corrupted the write cache."),
            later(24 * 7)]
    assert rules_fired(evaluate_raw(library, raws, C), RULE) == []


def test_a_status_page_post_mortem_keeps_it(library):
    raws = [vendor(0, "A post-incident review will be published here within 72 hours."),
            vendor(30, "Postmortem: the outage was caused by an expired certificate on the internal load balancer.",
                   "status.claimed", status="postmortem"),
            later(24 * 7)]
    assert rules_fired(evaluate_raw(library, raws, C), RULE) == []


def test_a_message_without_a_cause_does_not_keep_it(library):
    raws = [vendor(0, "Den Störungsbericht schicken wir Ihnen bis Freitag."),
            vendor(50, "Wir arbeiten noch an dem Bericht und bitten um etwas Geduld."),
            later(24 * 7)]
    assert rules_fired(evaluate_raw(library, raws, C), RULE) == [RULE]


def test_a_cause_named_with_the_promise_does_not_keep_it(library):
    """"The cause was a failed disk; a full report follows by Friday" promises more than the cause."""
    raws = [vendor(0, "The cause was a failed disk in the database server. A full post-mortem will follow by Friday."),
            later(24 * 7)]
    assert rules_fired(evaluate_raw(library, raws, C), RULE) == [RULE]


def test_a_review_promised_during_an_outage_is_no_restoration_promise(library):
    """Issue #12: "a written root-cause statement within 72 hours" was read as a restoration promise."""
    raws = [event(0, "service.suspended", service="www.kunde.de", data={"reason": "maintenance error"}),
            vendor(1, "We'll publish a post-incident review on this page within 72 hours."),
            event(73.2, "probe", service="www.kunde.de", data={"check": "https", "up": False}),
            later(24 * 7)]
    report = evaluate_raw(library, raws, C)
    assert "missed-commitment" not in rules_fired(report)
    assert rules_fired(report, RULE) == [RULE]


@pytest.mark.parametrize("handover", [
    "Please find attached the post-mortem for the incident of 2 March.",
    "Anbei erhalten Sie unseren Störungsbericht zum Ausfall vom 2. März.",
])
def test_a_report_handed_over_as_an_attachment_keeps_it(library, handover):
    raws = [vendor(0, "You will receive a written root-cause analysis by Friday."), vendor(50, handover), later(24 * 7)]
    assert rules_fired(evaluate_raw(library, raws, C), RULE) == []


@pytest.mark.parametrize("pending", [
    "The report is not finished yet; you can find our status updates on the status page.",
    "Apologies, the post-mortem isn’t attached, our legal team is still reviewing it.",
    "Der Störungsbericht ist leider noch nicht fertig, anbei nur unsere Zwischenmeldung.",
])
def test_a_report_still_being_written_is_not_handed_over(library, pending):
    raws = [vendor(0, "You will receive a written root-cause analysis by Friday."), vendor(50, pending), later(24 * 7)]
    assert rules_fired(evaluate_raw(library, raws, C), RULE) == [RULE]
