"""suspension-without-notice: fires without a timely notice; exact boundary does not fire."""

from conftest import violation, clause, contract, evaluate_raw, event, rules_fired

RULE = "suspension-without-notice"
C = contract(clause("§5.1", "suspension_notice", notice_hours=24, cure_hours=0))


def suspended(h=0.0, svc="www.a.de"):
    return event(h, "service.suspended", actor="vendor", service=svc)


def notice(h, svc="www.a.de", kind="warning"):
    return event(h, "notice.sent", actor="vendor", service=svc, data={"kind": kind})


def test_fires_without_any_notice(library):
    report = evaluate_raw(library, [suspended()], C)
    assert rules_fired(report, RULE) == [RULE]
    v = violation(report, RULE)
    assert v.services == ["www.a.de"] and [c.id for c in v.clauses] == ["§5.1"] and not v.unmapped
    assert "24 h" in v.summary and any(r.kind == "reinstatement" for r in v.remedies)


def test_notice_exactly_notice_hours_before_is_enough(library):
    assert rules_fired(evaluate_raw(library, [notice(-24), suspended()], C), RULE) == []


def test_notice_one_minute_too_late_fires(library):
    assert rules_fired(evaluate_raw(library, [notice(-24 + 1 / 60), suspended()], C), RULE) == [RULE]


def test_notice_for_another_service_does_not_count(library):
    assert rules_fired(evaluate_raw(library, [notice(-48, svc="www.b.de"), suspended()], C), RULE) == [RULE]


def test_maintenance_notice_does_not_count(library):
    assert rules_fired(evaluate_raw(library, [notice(-48, kind="maintenance"), suspended()], C), RULE) == [RULE]


def test_cure_period_lengthens_the_required_notice(library):
    with_cure = contract(clause("§5.1", "suspension_notice", notice_hours=24, cure_hours=48))
    assert rules_fired(evaluate_raw(library, [notice(-30), suspended()], with_cure), RULE) == [RULE]
    assert rules_fired(evaluate_raw(library, [notice(-48), suspended()], with_cure), RULE) == []


def test_unmapped_when_no_clause_covers_the_concept(library):
    report = evaluate_raw(library, [suspended()], contract())
    v = violation(report, RULE)
    assert v.unmapped and v.clauses == [] and v.params["notice_hours"] == 24
