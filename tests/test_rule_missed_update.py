"""missed-update: a promised update or call is kept by the vendor's next message; a visit is judged by no rule."""

import pytest
from conftest import clause, contract, evaluate_raw, event, rules_fired, violation

RULE = "missed-update"
C = contract(clause("§7.2", "commitments", grace_minutes=30))


def vendor(h, text):
    return event(h, "message.sent", actor="vendor", text=text, data={"kind": "reply"})


def later(h):
    return event(h, "clock", vendor=None)


# written at 08:00 local time (conftest's hour 0 is 2026-03-02 07:00 UTC)
@pytest.mark.parametrize("promise", [
    "Next update by 11:00.",
    "I'll give you a call by 11am.",
    "Wir rufen Sie bis 11 Uhr zurück.",
    "Ich melde mich bis 11 Uhr telefonisch bei Ihnen.",
])
def test_a_promised_update_or_call_not_kept_fires(library, promise):
    report = evaluate_raw(library, [vendor(0, promise), later(6)], C)
    assert rules_fired(report, RULE) == [RULE], promise
    assert violation(report, RULE).at == "2026-03-02T10:30:00Z"  # 11:00 CET + 30 min grace


@pytest.mark.parametrize("promise", ["I'll give you a call by 11am.", "Wir rufen Sie bis 11 Uhr zurück."])
def test_a_call_is_kept_by_the_next_vendor_message_or_logged_call(library, promise):
    call = event(2.5, "message.sent", actor="vendor", text="Called the customer: the fix is being deployed.",
                 data={"kind": "update", "channel": "phone"})
    assert rules_fired(evaluate_raw(library, [vendor(0, promise), call, later(6)], C), RULE) == []


def test_a_promised_visit_is_no_update_promise(library):
    raws = [vendor(0, "Our technician will be on site by 11am."), later(6)]
    assert rules_fired(evaluate_raw(library, raws, C), RULE) == []


def test_each_promise_is_judged_a_kept_one_does_not_excuse_a_later_broken_one(library):
    """Status pages promise the next update again and again; the one not kept is the breach, even after
    earlier ones were kept."""
    raws = [vendor(0, "Next update by 09:00."),
            vendor(0.9, "We have found the cause. Next update by 11:00."),  # keeps the first, 08:54 local
            later(6)]
    report = evaluate_raw(library, raws, C)
    assert rules_fired(report, RULE) == [RULE]
    assert violation(report, RULE).at == "2026-03-02T10:30:00Z"  # the second: 11:00 CET + 30 min grace


def test_a_message_naming_two_times_for_the_next_update_is_held_to_the_earlier(library):
    """"Wir melden uns bis 11 Uhr … Das nächste Update folgt in 60 Minuten." promises the nearer time too; the
    vendor who sends nothing for two hours broke that one, whichever sentence comes first."""
    raws = [vendor(0, "Wir melden uns bis 11 Uhr mit einem neuen Stand. Das nächste Update folgt in 60 Minuten."),
            later(6)]
    report = evaluate_raw(library, raws, C)
    assert rules_fired(report, RULE) == [RULE]
    assert violation(report, RULE).at == "2026-03-02T08:30:00Z"  # 08:00 CET + 60 min + 30 min grace
