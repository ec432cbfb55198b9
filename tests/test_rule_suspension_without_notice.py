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


# -- carve-outs (suspension_notice.exempt_reasons) -------------------------------------
CARVED = contract(clause("§5.1", "suspension_notice", notice_hours=24),
                  clause("§5.4", "suspension_notice", exempt_reasons=["attack", "legal-order"]))


def test_null_route_during_an_attack_is_exempted_by_the_clause_that_allows_it(library):
    raws = [event(0, "service.suspended", actor="vendor", service="www.a.de",
                  data={"reason": "DDoS attack against 203.0.113.7, IP null-routed"})]
    report = evaluate_raw(library, raws, CARVED)
    v = violation(report, RULE)
    assert v.exempted is not None and (v.exempted.clause, v.exempted.param, v.exempted.value) == ("§5.4", "exempt_reasons", "attack")
    assert v.evidence[0].data["reason"].startswith("DDoS")  # listed with its evidence, not dropped
    assert report.counts["exempted"] == 1 and report.counts["high"] == 0
    # Without the carve-out the same suspension is a violation.
    plain = violation(evaluate_raw(library, raws, C), RULE)
    assert plain.exempted is None


def test_carve_out_read_from_german_text_and_from_reason_kind(library):
    court = event(0, "service.suspended", actor="vendor", service="www.a.de",
                  text="Auf Anordnung des Landgerichts Hamburg haben wir die Domain gesperrt.")
    assert violation(evaluate_raw(library, [court], CARVED), RULE).exempted.value == "legal-order"
    given = event(0, "service.suspended", actor="vendor", service="www.a.de", data={"reason_kind": "attack"})
    assert violation(evaluate_raw(library, [given], CARVED), RULE).exempted.value == "attack"


def test_a_reason_the_contract_does_not_carve_out_stays_a_violation(library):
    load = event(0, "service.suspended", actor="vendor", service="www.a.de",
                 data={"reason": "Ihre Logdateien erzeugen Last und beeinträchtigen andere Kunden"})
    report = evaluate_raw(library, [load], CARVED)
    assert violation(report, RULE).exempted is None and report.counts["high"] == 1


def test_exempt_reasons_outside_the_vocabulary_are_a_contract_error(library):
    from pactwatch.contracts import check_contract

    bad = contract(clause("§5.4", "suspension_notice", exempt_reasons=["attak"]))
    problems = check_contract(bad, library.concepts)
    assert [p.code for p in problems] == ["contract-bad-param"] and "attak" in problems[0].message


def test_reason_kinds_of_events_contracts_and_lexicons_are_the_same_words(library):
    from pactwatch.models.events import REASON_KINDS

    params = library.concepts["suspension_notice"].params_model
    assert params(exempt_reasons=list(REASON_KINDS)).exempt_reasons == list(REASON_KINDS)
    assert library.analyzer().reason_kinds == sorted(REASON_KINDS)


def test_a_notice_naming_no_service_warns_of_all_of_them(library):
    """"Ihre Webseiten verursachen zu viel Last …" goes to the customer, not to one domain."""
    general = event(-48, "notice.sent", actor="vendor", data={"kind": "warning"})
    assert rules_fired(evaluate_raw(library, [general, suspended()], C), RULE) == []
    late = event(-2, "notice.sent", actor="vendor", data={"kind": "warning"})
    assert rules_fired(evaluate_raw(library, [late, suspended()], C), RULE) == [RULE]
    # a notice about another service still does not warn of this one
    assert rules_fired(evaluate_raw(library, [notice(-48, svc="mail.a.de"), suspended()], C), RULE) == [RULE]
