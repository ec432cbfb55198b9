"""false-resolution-claim: a claim contradicted by a failing probe within the window."""

from conftest import violation, clause, contract, evaluate_raw, event, rules_fired

RULE = "false-resolution-claim"
C = contract(clause("§7.3", "resolution_verification", verify_window_hours=24))


def claim(h=0.0, services=("a.de",), text="Resolved."):
    return event(h, "status.claimed", actor="vendor", text=text, data={"status": "resolved", "services": list(services)})


def probe(h, svc="a.de", up=False):
    return event(h, "probe", actor="monitor", service=svc, data={"check": "https", "up": up})


def test_fires_when_a_claimed_service_is_down_after_the_claim(library):
    report = evaluate_raw(library, [claim(), probe(1)], C)
    assert rules_fired(report, RULE) == [RULE]
    roles = {e.role for e in violation(report, RULE).evidence}
    assert roles == {"trigger", "probe"}


def test_probe_at_window_end_counts_and_one_minute_later_does_not(library):
    assert rules_fired(evaluate_raw(library, [claim(), probe(24)], C), RULE) == [RULE]
    assert rules_fired(evaluate_raw(library, [claim(), probe(24 + 1 / 60)], C), RULE) == []


def test_probe_before_the_claim_or_up_or_other_service_does_not_fire(library):
    assert rules_fired(evaluate_raw(library, [probe(-1), claim()], C), RULE) == []
    assert rules_fired(evaluate_raw(library, [claim(), probe(1, up=True)], C), RULE) == []
    assert rules_fired(evaluate_raw(library, [claim(), probe(1, svc="b.de")], C), RULE) == []


def test_claim_in_a_german_message_names_the_down_services(library):
    raws = [
        event(-5, "service.suspended", actor="vendor", service="a.de"),
        event(-4, "host.failed", actor="vendor", data={"host": "h", "services": ["b.de"]}),
        event(0, "message.sent", actor="vendor", text="Mittlerweile ist der Server allerdings wieder voll erreichbar.",
              data={"kind": "update"}),
        probe(1, "a.de"), probe(1, "b.de"),
    ]
    report = evaluate_raw(library, raws, C)
    assert rules_fired(report, RULE) == [RULE]
    assert violation(report, RULE).services == ["a.de", "b.de"]
    assert "wieder voll erreichbar" in violation(report, RULE).summary


def test_forecast_is_not_a_claim(library):
    raws = [
        event(-5, "service.suspended", actor="vendor", service="a.de"),
        event(0, "message.sent", actor="vendor", text="Voraussichtlich ist der Server bis 18 Uhr wieder online."),
        probe(1, "a.de"),
    ]
    assert RULE not in rules_fired(evaluate_raw(library, raws, C), RULE)


def test_customer_saying_it_works_is_not_a_vendor_claim(library):
    raws = [event(0, "message.sent", actor="customer", service="a.de", text="Es läuft wieder."), probe(1)]
    assert rules_fired(evaluate_raw(library, raws, C), RULE) == []
