"""no-apology: explicit apology due within_hours after the first complaint, or by case end."""

from conftest import violation, clause, contract, evaluate_raw, event, rules_fired

RULE = "no-apology"
C = contract(clause("§9.1", "apology", within_hours=72))


def complaint(h=0.0):
    return event(h, "message.sent", actor="customer", text="Die Seite ist down!", data={"kind": "complaint"})


def reply(h, text):
    return event(h, "message.sent", actor="vendor", text=text, data={"kind": "reply"})


def later(h):
    return event(h, "clock", vendor=None)


def test_fires_when_no_apology_by_the_deadline(library):
    report = evaluate_raw(library, [complaint(), reply(2, "Wir prüfen das."), later(80)], C)
    assert rules_fired(report, RULE) == [RULE]
    assert violation(report, RULE).at == "2026-03-05T07:00:00Z"  # 72 h after the complaint


def test_apology_exactly_at_deadline_counts(library):
    assert rules_fired(evaluate_raw(library, [complaint(), reply(72, "Wir entschuldigen uns."), later(80)], C), RULE) == []


def test_apology_after_deadline_is_too_late(library):
    raws = [complaint(), reply(72 + 1 / 60, "Wir entschuldigen uns."), later(80)]
    assert rules_fired(evaluate_raw(library, raws, C), RULE) == [RULE]


def test_regret_negation_and_conditional_are_not_apologies(library):
    for text in ["Bedauerlicherweise kam es zu Problemen.", "We do not apologise for maintenance.",
                 "Falls Ihnen Unannehmlichkeiten entstanden sind, bitten wir um Entschuldigung."]:
        assert rules_fired(evaluate_raw(library, [complaint(), reply(1, text), later(80)], C), RULE) == [RULE], text


def test_deadline_not_reached_is_pending_not_a_violation(library):
    report = evaluate_raw(library, [complaint(), later(10)], C)
    assert rules_fired(report, RULE) == []
    assert RULE in [p.rule for p in report.pending]


def test_outage_without_complaint_needs_apology_by_case_end(library):
    outage = event(0, "service.suspended", actor="vendor", service="a.de")
    closed = event(5, "incident.closed")
    assert rules_fired(evaluate_raw(library, [outage, closed], C), RULE) == [RULE]
    sorry = reply(3, "We apologise for the outage.")
    assert rules_fired(evaluate_raw(library, [outage, sorry, closed], C), RULE) == []


def test_quoted_apology_of_the_customer_does_not_count(library):
    text = "> Es tut uns leid, wir entschuldigen uns.\nWir haben Ihre Nachricht erhalten."
    assert rules_fired(evaluate_raw(library, [complaint(), reply(1, text), later(80)], C), RULE) == [RULE]


def test_one_violation_per_case(library):
    report = evaluate_raw(library, [complaint(), complaint(5), later(100)], C)
    assert rules_fired(report, RULE) == [RULE]


def test_an_apology_in_a_status_update_counts(library):
    """Every text is read, not only messages: a fair vendor who apologised on the status page is not accused."""
    status = event(3, "status.claimed", actor="vendor", data={"status": "resolved"},
                   text="Entschuldigen Sie bitte, dass die Freischaltung so lange gedauert hat.")
    assert rules_fired(evaluate_raw(library, [complaint(), status, later(80)], C), RULE) == []


def test_a_customer_quoting_an_apology_is_not_the_vendors_apology(library):
    quoting = event(3, "message.sent", actor="vendor", data={"kind": "reply"},
                    text="Sie schrieben: „Wir entschuldigen uns für alles.“ Dazu können wir nichts sagen.")
    assert rules_fired(evaluate_raw(library, [complaint(), quoting, later(80)], C), RULE) == [RULE]


def _maintenance(announced_h, starts_h, ends_h):
    from conftest import at
    return event(announced_h, "notice.sent", service="a.de", text="Scheduled maintenance.",
                 data={"kind": "maintenance", "starts": at(starts_h), "ends": at(ends_h)})


def _probe(h, up):
    return event(h, "probe", actor="monitor", service="a.de", data={"check": "https", "up": up})


def test_an_outage_inside_an_announced_maintenance_window_is_planned_work(library):
    raws = [_maintenance(-72, 0, 2), _probe(0.5, False), _probe(1.5, True), event(48, "incident.closed")]
    assert rules_fired(evaluate_raw(library, raws, C), RULE) == []


def test_a_maintenance_overrun_needs_an_apology(library):
    overrun = [_maintenance(-72, 0, 2), _probe(0.5, False), _probe(2.5, False), _probe(4, True)]
    closed = event(48, "incident.closed")
    assert rules_fired(evaluate_raw(library, [*overrun, closed], C), RULE) == [RULE]
    assert "ran past its announced maintenance window" in violation(evaluate_raw(library, [*overrun, closed], C),
                                                                     RULE).summary
    assert rules_fired(evaluate_raw(library, [*overrun, reply(5, "Sorry that the work overran."), closed], C),
                       RULE) == []
    # the service coming back only after the window is the overrun too (no probe in between)
    late = [_maintenance(-72, 0, 2), _probe(0.5, False), _probe(3, True), closed]
    assert rules_fired(evaluate_raw(library, late, C), RULE) == [RULE]


def test_a_window_announced_after_the_outage_began_is_no_plan(library):
    raws = [_probe(0.5, False), _maintenance(1, 0, 2), _probe(1.5, True), event(48, "incident.closed")]
    assert rules_fired(evaluate_raw(library, raws, C), RULE) == [RULE]


def _suspension_after_notice(hours_of_notice):
    notice = event(-hours_of_notice, "notice.sent", actor="vendor", service="a.de", text="Please stop the spam.",
                   data={"kind": "warning"})
    return [notice, event(0, "service.suspended", actor="vendor", service="a.de"), complaint(0.5)]


def test_no_apology_owed_for_a_suspension_the_contract_allows(library):
    """Noticed at least notice_hours (and cure_hours) ahead: the impact is the customer's own cause."""
    lawful = contract(clause("§9.1", "apology", within_hours=72), clause("§5.1", "suspension_notice", notice_hours=24, cure_hours=36))
    assert rules_fired(evaluate_raw(library, [*_suspension_after_notice(36), later(80)], lawful), RULE) == []
    # too short a notice (or a cure period not given): the suspension is the vendor's breach, an apology is owed
    assert rules_fired(evaluate_raw(library, [*_suspension_after_notice(30), later(80)], lawful), RULE) == [RULE]
    assert rules_fired(evaluate_raw(library, [*_suspension_after_notice(2), later(80)], lawful), RULE) == [RULE]


def test_noticed_suspension_without_complaint_needs_no_apology_either(library):
    notice = event(-48, "notice.sent", actor="vendor", text="Bitte reduzieren Sie die Last.", data={"kind": "warning"})
    outage = event(0, "service.suspended", actor="vendor", service="a.de")
    assert rules_fired(evaluate_raw(library, [notice, outage, event(5, "incident.closed")], C), RULE) == []


def test_a_notice_period_in_business_time_counts_on_the_contract_calendar(library):
    """Two working days before Monday 9 March 16:00 is Thursday 5 March 16:00: a notice on Friday at
    15:00 (73 wall-clock hours ahead) is too short, one on Thursday at 15:00 long enough."""
    business = contract(clause("§9.1", "apology", within_hours=72), clause("§5.1", "suspension_notice", notice_hours="2 Werktage"),
                        calendar={"country": "DE"})

    def story(notice_at):
        notice = {"at": notice_at, "type": "notice.sent", "vendor": "acme", "actor": "vendor", "service": "a.de",
                  "text": "Bitte reduzieren Sie die Last.", "data": {"kind": "warning"}}
        suspended = {"at": "2026-03-09T16:00:00+01:00", "type": "service.suspended", "vendor": "acme", "actor": "vendor",
                     "service": "a.de"}
        complaint = {"at": "2026-03-09T16:30:00+01:00", "type": "message.sent", "vendor": "acme", "actor": "customer",
                     "text": "Warum ist die Seite gesperrt?", "data": {"kind": "complaint"}}
        return [notice, suspended, complaint, {"at": "2026-03-20T12:00:00+01:00", "type": "clock", "data": {}}]

    assert rules_fired(evaluate_raw(library, story("2026-03-06T15:00:00+01:00"), business), RULE) == [RULE]
    assert rules_fired(evaluate_raw(library, story("2026-03-05T15:00:00+01:00"), business), RULE) == []


def test_no_apology_owed_for_a_suspension_a_carve_out_allows(library):
    """A court order or an attack the contract lets the vendor act on without notice: the vendor did
    what the contract permits. Without the carve-out (or for another reason) the apology is owed."""
    order = {"reason": "Einstweilige Verfügung des Landgerichts Hamburg"}
    carve_out = contract(clause("§9.1", "apology", within_hours=72),
                         clause("§5.4", "suspension_notice", exempt_reasons=["legal-order", "attack"]))
    plain = contract(clause("§9.1", "apology", within_hours=72), clause("§5.1", "suspension_notice"))

    def story(data, complaint_too=True):
        raws = [event(0, "service.suspended", actor="vendor", service="a.de", data=data)]
        return [*raws, complaint(0.5), later(80)] if complaint_too else [*raws, event(5, "incident.closed")]

    assert rules_fired(evaluate_raw(library, story(order), carve_out), RULE) == []
    assert rules_fired(evaluate_raw(library, story(order, complaint_too=False), carve_out), RULE) == []
    assert rules_fired(evaluate_raw(library, story(order), plain), RULE) == [RULE]
    assert rules_fired(evaluate_raw(library, story({"reason": "Zahlungsrückstand"}), carve_out), RULE) == [RULE]
    # no stated reason at all: not among the carve-outs
    assert rules_fired(evaluate_raw(library, story({}, complaint_too=False), carve_out), RULE) == [RULE]


def test_the_letter_offered_as_the_apology_counts_a_gift_named_so_does_not(library):
    """"Please accept this letter as an apology" is the vendor's apology; a credit "as an apology" is a gesture."""
    for text, fired in (("Please accept this letter as an apology for the disruption.", []),
                        ("Betrachten Sie diese Mail bitte als Entschuldigung für den Ausfall.", []),
                        ("We have added a week to your plan as an apology.", [RULE])):
        assert rules_fired(evaluate_raw(library, [complaint(), reply(1, text), later(80)], C), RULE) == fired, text
