"""untested-hardware-change: a passing test of the same host must precede the deployment."""

from conftest import violation, evaluate_raw, event, rules_fired

RULE = "untested-hardware-change"


def completed(h=0.0, host="srv-1"):
    return event(h, "change.completed", actor="vendor", data={"change": "CH-1", "host": host, "services": ["a.de", "b.de"]})


def host_test(h, host="srv-1", result="pass"):
    return event(h, "host.tested", actor="vendor", data={"host": host, "result": result})


def test_fires_without_test_and_names_moved_services(library):
    report = evaluate_raw(library, [completed()])
    assert rules_fired(report, RULE) == [RULE]
    assert violation(report, RULE).services == ["a.de", "b.de"]


def test_passing_test_before_deployment_suffices(library):
    assert rules_fired(evaluate_raw(library, [host_test(-2), completed()]), RULE) == []


def test_test_at_the_same_instant_counts(library):
    assert rules_fired(evaluate_raw(library, [completed(), host_test(0)]), RULE) == []


def test_failing_test_does_not_count(library):
    assert rules_fired(evaluate_raw(library, [host_test(-2, result="fail"), completed()]), RULE) == [RULE]


def test_test_after_deployment_does_not_count(library):
    assert rules_fired(evaluate_raw(library, [completed(), host_test(1 / 60)]), RULE) == [RULE]


def test_test_of_another_host_does_not_count(library):
    assert rules_fired(evaluate_raw(library, [host_test(-2, host="srv-2"), completed()]), RULE) == [RULE]
