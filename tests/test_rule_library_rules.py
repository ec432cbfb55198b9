"""The rules beyond the headline four: each fires, does not fire, and at its boundary."""

import pytest
from conftest import clause, contract, evaluate_raw, event, rules_fired, violation


def fired(library, raws, rule, the_contract=None):
    return rules_fired(evaluate_raw(library, raws, the_contract), rule)


def down(h, svc="a.de"):
    return event(h, "probe", actor="monitor", service=svc, data={"check": "https", "up": False})


def up(h, svc="a.de"):
    return event(h, "probe", actor="monitor", service=svc, data={"check": "https", "up": True})


def msg(h, actor, text, kind="reply"):
    return event(h, "message.sent", actor=actor, text=text, data={"kind": kind})


# -- availability-breach --------------------------------------------------------------
AVAIL = contract(clause("§3.1", "availability", target_percent=99.0),
                 clause("§3.2", "service_credits", tiers=[{"below_percent": 99.0, "credit_percent": 10},
                                                          {"below_percent": 95.0, "credit_percent": 50}],
                        claim_within_days=30), monthly_fee=200)


def test_availability_breach_computes_the_tier_credit(library):
    # March 2026 in Europe/Berlin has 743 h (DST): 20 h down = 97.31 %
    report = evaluate_raw(library, [down(0), up(20)], AVAIL)
    v = violation(report, "availability-breach")
    credit = next(r for r in v.remedies if r.kind == "service_credit")
    assert (credit.amount, credit.currency) == (20.0, "EUR")
    assert [c.id for c in v.clauses] == ["§3.1", "§3.2"] and "97.31%" in v.summary
    assert "claim by: 30 April 2026" in credit.text  # the last day on which the claim is in time


def test_availability_at_the_target_is_no_breach(library):
    # 1 % of 743 h = 7.43 h: 7 h down is 99.06 %, 7.5 h is 98.99 %
    assert fired(library, [down(0), up(7)], "availability-breach", AVAIL) == []
    assert fired(library, [down(0), up(7.5)], "availability-breach", AVAIL) == ["availability-breach"]


def test_outage_across_month_end_is_split(library):
    # Tue 31 March 23:00 CEST to Wed 1 April 11:00: 1 h in March, 11 h in April (720 h)
    raws = [event(24 * 29 + 14, "service.suspended", actor="vendor", service="a.de"),
            event(24 * 29 + 26, "service.restored", actor="vendor", service="a.de")]
    report = evaluate_raw(library, raws, AVAIL)
    months = [v.summary for v in report.violations if v.rule == "availability-breach"]
    assert len(months) == 1 and "April 2026" in months[0] and "98.47%" in months[0]


# -- restoration-overdue ----------------------------------------------------------------
def test_restoration_overdue_boundary(library):
    c = contract(clause("§7.1", "restoration_time", max_hours=8))
    assert fired(library, [down(0), up(8), event(20, "clock", vendor=None)], "restoration-overdue", c) == []
    assert fired(library, [down(0), up(8.01), event(20, "clock", vendor=None)], "restoration-overdue", c) == \
        ["restoration-overdue"]


def test_restoration_not_yet_due_is_pending(library):
    report = evaluate_raw(library, [down(0), event(3, "clock", vendor=None)], contract(clause("§7.1", "restoration_time", max_hours=8)))
    assert "restoration-overdue" in [p.rule for p in report.pending]


# -- collateral-outage ------------------------------------------------------------------
def _change(h, services):
    return event(h, "change.completed", actor="vendor", data={"change": "C1", "host": "h1", "services": services})


def test_collateral_outage_names_services_the_change_was_not_for(library):
    raws = [event(-1, "change.requested", actor="customer", data={"change": "C1", "kind": "upgrade", "services": ["a.de"]}),
            _change(0, ["a.de", "b.de"]), event(1, "host.failed", actor="vendor", data={"host": "h1", "services": ["a.de", "b.de"]})]
    v = violation(evaluate_raw(library, raws), "collateral-outage")
    assert v.services == ["b.de"]


def test_outage_after_the_window_or_on_another_host_is_not_collateral(library):
    c = contract(clause("§6.3", "change_impact", window_hours=2))
    requested = event(-1, "change.requested", actor="customer", data={"change": "C1", "services": ["a.de"]})
    late = [requested, _change(0, ["a.de", "b.de"]), event(2.01, "host.failed", actor="vendor", data={"host": "h1", "services": ["b.de"]})]
    assert fired(library, late, "collateral-outage", c) == []
    at_edge = [requested, _change(0, ["a.de", "b.de"]), event(2, "host.failed", actor="vendor", data={"host": "h1", "services": ["b.de"]})]
    assert fired(library, at_edge, "collateral-outage", c) == ["collateral-outage"]
    other = [requested, _change(0, ["a.de"]), event(1, "host.failed", actor="vendor", data={"host": "h2", "services": ["b.de"]})]
    assert fired(library, other, "collateral-outage", c) == []


def test_probe_of_a_moved_service_counts_via_its_host(library):
    raws = [event(-1, "change.requested", actor="customer", data={"change": "C1", "services": ["a.de"]}),
            _change(0, ["a.de", "b.de"]), down(1, "b.de")]
    assert fired(library, raws, "collateral-outage") == ["collateral-outage"]


def test_vendor_fleet_update_is_for_the_services_it_was_deployed_to(library):
    # Nobody requested it: the update's targets are the services it went to; their outage is
    # no collateral damage, but the untested deployment is still found.
    fleet = [_change(0, ["a.de", "b.de"]), event(1, "host.failed", actor="vendor", data={"host": "h1", "services": ["a.de", "b.de"]})]
    assert fired(library, fleet, "collateral-outage") == []
    assert fired(library, fleet, "untested-hardware-change") == ["untested-hardware-change"]
    # A service already on the host that the update was not deployed to is collateral.
    bystander = [_change(0, ["a.de"]), event(1, "host.failed", actor="vendor", data={"host": "h1", "services": ["a.de", "c.de"]})]
    assert violation(evaluate_raw(library, bystander), "collateral-outage").services == ["c.de"]


def test_a_request_for_another_change_does_not_make_a_service_a_target(library):
    raws = [event(-1, "change.requested", actor="customer", data={"change": "C0", "services": ["b.de"]}),
            event(-1, "change.requested", actor="customer", data={"change": "C1", "services": ["a.de"]}),
            _change(0, ["a.de", "b.de"]), down(1, "b.de")]
    assert violation(evaluate_raw(library, raws), "collateral-outage").services == ["b.de"]


# -- unverified-resolution-claim ----------------------------------------------------------
def _claim(h, svc="a.de"):
    return event(h, "status.claimed", actor="vendor", text="Resolved.", data={"status": "resolved", "services": [svc]})


def test_unverified_claim_both_ways(library):
    assert fired(library, [down(0), _claim(3)], "unverified-resolution-claim") == ["unverified-resolution-claim"]
    assert fired(library, [down(0), up(2), _claim(3)], "unverified-resolution-claim") == []
    assert fired(library, [down(0), up(3), _claim(3)], "unverified-resolution-claim") == []  # same instant counts
    assert fired(library, [up(-1), down(0), _claim(3)], "unverified-resolution-claim") == ["unverified-resolution-claim"]
    assert fired(library, [_claim(3)], "unverified-resolution-claim") == []  # no outage known: nothing to verify


# -- missed-commitment --------------------------------------------------------------------
def test_missed_commitment_with_grace(library):
    c = contract(clause("§7.4", "commitments", grace_minutes=30))
    promise = msg(2, "vendor", "Voraussichtlich ist der Server bis 18 Uhr wieder online.")  # 10:00 → 18:00 = h 10
    assert fired(library, [down(0), promise, down(10.5)], "missed-commitment", c) == ["missed-commitment"]
    assert fired(library, [down(0), promise, down(9.9)], "missed-commitment", c) == []
    assert fired(library, [down(0), promise, up(9.5), up(10)], "missed-commitment", c) == []


def test_a_later_check_of_the_same_outage_shows_the_promise_missed(library):
    """A monitor that checks every few hours has no check in the grace minutes: a failing check later,
    of an outage that had begun by the promised time, shows the service was down all along."""
    c = contract(clause("§7.4", "commitments", grace_minutes=30))
    promise = msg(2, "vendor", "Voraussichtlich ist der Server bis 18 Uhr wieder online.")  # due h 10
    assert fired(library, [down(0), promise, down(10.51)], "missed-commitment", c) == ["missed-commitment"]
    assert fired(library, [down(0), promise, down(30)], "missed-commitment", c) == ["missed-commitment"]
    # back in time, failing again later: a new outage, not the promise broken
    assert fired(library, [down(0), promise, up(9.5), down(12)], "missed-commitment", c) == []
    # one finding for the promise, however many checks show it broken
    report = evaluate_raw(library, [down(0), promise, down(10.2), down(11), down(14)], c)
    assert [v.rule for v in report.violations if v.rule == "missed-commitment"] == ["missed-commitment"]


def test_a_promise_of_no_named_kind_while_down_is_a_restoration_promise(library):
    # "flowing normally" names no kind; made while the service is down, it forecasts the restoration
    promise = msg(1, "vendor", "Outbound mail should be flowing normally by 14:00.")  # 09:00 → 14:00 = h 6
    assert fired(library, [down(0), promise, down(6.2)], "missed-commitment") == ["missed-commitment"]
    assert fired(library, [down(0), promise, up(5), up(6.2)], "missed-commitment") == []
    # nothing down: the same sentence is no restoration promise, and an update promise keeps its kind
    assert fired(library, [up(0), promise, down(6.2)], "missed-commitment") == []
    update = msg(1, "vendor", "We will send you an update by 14:00.")
    assert fired(library, [down(0), update, down(6.2)], "missed-commitment") == []


def test_english_relative_commitment(library):
    promise = msg(1, "vendor", "We will fix this within 4 hours.")
    assert fired(library, [down(0), promise, down(5)], "missed-commitment") == ["missed-commitment"]


# -- deflection ----------------------------------------------------------------------------
BOILER = "Hier kam es leider zu einer unglücklichen Verkettung von nicht vorhersehbaren Problemen."


def test_deflection_needs_a_complaint_and_no_cause_or_measure(library):
    complaint = msg(0, "customer", "Warum?", kind="complaint")
    assert fired(library, [complaint, msg(5, "vendor", BOILER)], "deflection") == ["deflection"]
    assert fired(library, [msg(5, "vendor", BOILER)], "deflection") == []
    with_cause = BOILER + " Ursache war ein defektes Netzteil."
    assert fired(library, [complaint, msg(5, "vendor", with_cause)], "deflection") == []
    quoted = "> " + BOILER + "\nIhr Ticket hat die Nummer 4711."
    assert fired(library, [complaint, msg(5, "vendor", quoted)], "deflection") == []


@pytest.mark.parametrize("substance", [
    "Das Problem ist inzwischen behoben, Ihre Seite läuft wieder.",  # the problem is solved
    "Hier ist uns ein Fehler unterlaufen.",  # the fault is owned
    "Wir schreiben Ihnen die Monatsgebühr für März gut.",  # compensation is offered
])
def test_deflection_is_not_a_reply_with_substance_besides_a_stock_phrase(library, substance):
    complaint = msg(0, "customer", "Warum?", kind="complaint")
    assert fired(library, [complaint, msg(5, "vendor", BOILER + " " + substance)], "deflection") == []


def test_a_check_reported_beside_a_stock_phrase_is_still_a_deflection(library):
    """The vendor's look at the logs is no measure: read as one, it made a reply of stock phrases an answer."""
    complaint = msg(0, "customer", "Warum?", kind="complaint")
    checked = BOILER + " Wir haben die Firewall-Protokolle geprüft und festgestellt, dass die Anfragen abgewiesen werden."
    assert fired(library, [complaint, msg(5, "vendor", checked)], "deflection") == ["deflection"]
    fixed = BOILER + " Wir haben die Firewall-Regel korrigiert und die Protokolle geprüft."
    assert fired(library, [complaint, msg(5, "vendor", fixed)], "deflection") == []


@pytest.mark.parametrize(("stock", "told", "untold"), [
    (BOILER, "Der Fahrer hat die Adresse verwechselt, weshalb das Paket nie ankam.", "Die Ursache prüfen wir noch."),
    ("Unfortunately this was an unfortunate chain of unforeseeable events.",
     "Our scheduler skipped the Friday run, which is why the reports were not sent.",
     "We are still looking into what happened."),
])
def test_a_cause_told_with_the_failure_it_led_to_answers_a_complaint(library, stock, told, untold):
    """An event and the failure it led to, joined by "weshalb" or "which is why", names the cause: read as nothing,
    the reply was a stock phrase alone and `deflection` accused a vendor who had said what happened."""
    complaint = msg(0, "customer", "Warum?", kind="complaint")
    assert fired(library, [complaint, msg(5, "vendor", f"{stock} {told}")], "deflection") == []
    assert fired(library, [complaint, msg(5, "vendor", f"{stock} {untold}")], "deflection") == ["deflection"]


def test_a_fault_denied_beside_a_stock_phrase_is_still_a_deflection(library):
    """"Ein Fehler unseres Teams lag nach der Prüfung nicht vor" denies; read as an admission, it made a reply of stock
    phrases and a denial an answer with substance. A fault owned still answers."""
    complaint = msg(0, "customer", "Warum?", kind="complaint")
    denied = BOILER + " Ein Fehler unseres Teams lag nach der Prüfung nicht vor."
    assert fired(library, [complaint, msg(5, "vendor", denied)], "deflection") == ["deflection"]
    owned = BOILER + " Wir haben die Wartung nicht angekündigt, das war unser Fehler."
    assert fired(library, [complaint, msg(5, "vendor", owned)], "deflection") == []


def test_a_slip_owned_answers_a_complaint(library):
    """"Ich habe die beiden Aufträge verwechselt" owns the fault; read as nothing, the reply was a stock phrase alone
    and `deflection` accused a vendor who had said what went wrong."""
    complaint = msg(0, "customer", "Warum?", kind="complaint")
    owned = "Ich habe die beiden Aufträge verwechselt."
    assert fired(library, [complaint, msg(5, "vendor", f"{BOILER} {owned}")], "deflection") == []
    denied = "Wir haben nichts verwechselt."
    assert fired(library, [complaint, msg(5, "vendor", f"{BOILER} {denied}")], "deflection") == ["deflection"]


@pytest.mark.parametrize("vague", [
    "Die Störung war auf unvorhersehbare Umstände zurückzuführen.",
    "Der Ausfall wurde durch technische Schwierigkeiten verursacht.",
])
def test_a_cause_phrase_with_no_cause_in_it_gives_a_stock_reply_no_substance(library, vague):
    """Label guide: "unforeseeable circumstances" is boilerplate, not a cause; read as a cause, it gave the
    stock reply substance and kept `deflection` silent. A concrete cause in the same words still answers."""
    complaint = msg(0, "customer", "Warum?", kind="complaint")
    stock = "Wir nehmen Ihr Anliegen sehr ernst. "
    assert fired(library, [complaint, msg(5, "vendor", stock + vague)], "deflection") == ["deflection"]
    concrete = "Die Störung war auf ein defektes Netzteil zurückzuführen."
    assert fired(library, [complaint, msg(5, "vendor", stock + concrete)], "deflection") == []


@pytest.mark.parametrize(("stock", "vague", "concrete"), [
    (BOILER, "Wir haben unsere Prozesse bereits angepasst.", "Wir haben das defekte Netzteil getauscht."),
    ("Unfortunately this was an unfortunate chain of unforeseeable events.", "We have implemented additional safeguards.",
     "We have moved your sites to a server whose hardware passed a 48-hour load test."),
])
def test_a_measure_told_only_in_vague_words_gives_a_stock_reply_no_substance(library, stock, vague, concrete):
    """Label guide: a measure is a concrete action; "we have implemented additional safeguards" read as one gave the
    quality-management reply substance and kept `deflection` silent. A measure that says what was done answers."""
    complaint = msg(0, "customer", "Warum?", kind="complaint")
    assert fired(library, [complaint, msg(5, "vendor", f"{stock} {vague}")], "deflection") == ["deflection"]
    assert fired(library, [complaint, msg(5, "vendor", f"{stock} {concrete}")], "deflection") == []


def test_an_authority_told_or_a_cause_ruled_out_gives_a_stock_reply_no_substance(library):
    """"Wir haben den Vorfall der Datenschutzbehörde gemeldet." read as a measure and kept `deflection` silent: telling an
    authority takes no step against the fault; the step itself still answers."""
    complaint = msg(0, "customer", "Warum?", kind="complaint")
    for told in ("Wir haben den Vorfall der Datenschutzbehörde gemeldet.", "Wir haben einen Hardwaredefekt ausgeschlossen."):
        assert fired(library, [complaint, msg(5, "vendor", f"{BOILER} {told}")], "deflection") == ["deflection"]
    step = "Wir haben einen Hardwaredefekt ausgeschlossen und das Netzteil getauscht."
    assert fired(library, [complaint, msg(5, "vendor", f"{BOILER} {step}")], "deflection") == []


# -- support-referral -------------------------------------------------------------------------
def test_support_referral_both_forms_and_the_allow_switch(library):
    complaint = msg(0, "customer", "Bitte gehen Sie dem nach.", kind="complaint")
    referral = event(1, "referral", actor="vendor", data={"to": "quality-management"})
    text = msg(1, "vendor", "Bitte wenden Sie sich direkt an unser Qualitätsmanagement.")
    assert fired(library, [complaint, referral], "support-referral") == ["support-referral"]
    assert fired(library, [complaint, text], "support-referral") == ["support-referral"]
    assert fired(library, [referral], "support-referral") == []
    allowed = contract(clause("§9.2", "complaint_handling", allow_referral=True))
    assert fired(library, [complaint, referral], "support-referral", allowed) == []


@pytest.mark.parametrize(("text", "refers"), [
    # another party named as the one who handles the customer's matter: the complaint is passed on (`referral_forms:`)
    ("Das regelt Ihr Händler.", True),
    ("Only the domain registrar can unlock the domain.", True),
    # the vendor's own team handling it and coming back, a partner blamed: nobody is sent elsewhere
    ("Our billing team handles your refund and will contact you this week.", False),
    ("Our partner is responsible for the delay.", False),
])
def test_support_referral_is_another_party_named_for_the_matter(library, text, refers):
    """"Das regelt Ihr Händler" sends the customer to the reseller in so many words; read as nothing, a reply that
    passed the complaint on escaped `support-referral`."""
    complaint = msg(0, "customer", "Bitte gehen Sie dem nach.", kind="complaint")
    expected = ["support-referral"] if refers else []
    assert fired(library, [complaint, msg(1, "vendor", text)], "support-referral") == expected


@pytest.mark.parametrize(("text", "refers"), [
    # thanks for a message already made, to whichever team: nobody is sent elsewhere (`not_referral:`)
    ("Vielen Dank für Ihre Nachricht an unser Qualitätsmanagement.", False),
    ("Thanks for getting in touch with our support team.", False),
    ("If you have questions about this report, reply to this e-mail.", False),
    # another party blamed for the fault: whose fault, not where to go
    ("Für die Verzögerung ist unser Logistikpartner verantwortlich.", False),
    # the same thanks with the reader sent on is a referral
    ("Vielen Dank für Ihre Nachricht, bitte wenden Sie sich an unsere Buchhaltung.", True),
    ("Thank you for your message, but for contract matters please contact our sales department.", True),
])
def test_support_referral_is_not_a_thank_you_for_the_message(library, text, refers):
    """The seed story's quality management opened its boilerplate reply with "vielen Dank für Ihre Nachricht an unser
    Qualitätsmanagement", which read as a referral: the team that answers was accused of passing the complaint on."""
    complaint = msg(0, "customer", "Bitte gehen Sie dem nach.", kind="complaint")
    assert fired(library, [complaint, msg(1, "vendor", text)], "support-referral") == (["support-referral"] if refers else [])


# -- complaint-response-late ------------------------------------------------------------------
def test_complaint_response_boundary(library):
    c = contract(clause("§9.2", "complaint_handling", response_hours=24))
    complaint = msg(0, "customer", "Down!", kind="complaint")
    tick = event(30, "clock", vendor=None)
    assert fired(library, [complaint, msg(24, "vendor", "Wir prüfen."), tick], "complaint-response-late", c) == []
    assert fired(library, [complaint, msg(24.01, "vendor", "Wir prüfen."), tick], "complaint-response-late", c) == \
        ["complaint-response-late"]
    assert fired(library, [msg(-1, "vendor", "Vorab-Info."), complaint, tick], "complaint-response-late", c) == \
        ["complaint-response-late"]


# -- no-compensation ----------------------------------------------------------------------------
def _asked_for_compensation():
    """A contract owing compensation within two days, a customer's request for it, and a clock three days on."""
    return (contract(clause("§9.3", "compensation", within_days=2)),
            msg(0, "customer", "We request compensation for the downtime.", kind="complaint"),
            event(24 * 3, "clock", vendor=None))


def _answers(library, reply: str) -> bool:
    """Whether a vendor's reply on the day of a customer's request for compensation answers it (`no-compensation` stays
    silent)."""
    c, ask, tick = _asked_for_compensation()
    return fired(library, [ask, msg(5, "vendor", reply), tick], "no-compensation", c) == []


def _asks_until_given(library, asked: str, given: str) -> None:
    """A customer's complaint that asks for compensation: `no-compensation` fires when the vendor gives nothing within
    the clause's two days, and stays silent once the vendor gives."""
    c = contract(clause("§9.3", "compensation", within_days=2))
    ask = msg(0, "customer", asked, kind="complaint")
    tick = event(24 * 3, "clock", vendor=None)
    assert fired(library, [ask, tick], "no-compensation", c) == ["no-compensation"]
    assert fired(library, [ask, msg(5, "vendor", given), tick], "no-compensation", c) == []


def test_no_compensation_after_a_request(library):
    c, ask, tick = _asked_for_compensation()
    assert fired(library, [ask, tick], "no-compensation", c) == ["no-compensation"]
    offer = event(47, "compensation.offered", actor="vendor", data={"kind": "credit", "amount": 10})
    assert fired(library, [ask, offer, tick], "no-compensation", c) == []
    in_text = msg(48, "vendor", "We will issue a credit of 10 EUR.")
    assert fired(library, [ask, in_text, tick], "no-compensation", c) == []
    late = msg(48.1, "vendor", "We will issue a credit of 10 EUR.")
    assert fired(library, [ask, late, tick], "no-compensation", c) == ["no-compensation"]


def test_a_payment_withheld_asks_for_compensation(library):
    """"We're not paying for a service that didn't work for a week" demands money back in the refusal; read as nothing, it
    asked for nothing, and `no-compensation` stayed silent for a vendor who then offered nothing."""
    _asks_until_given(library, "We're not paying for a service that didn't work for a week.",
                      "We have credited one week of the service to your account.")


def test_a_price_told_answers_no_request_for_compensation(library):
    """"The setup fee is 49 euros" gives nothing; read as an offer, it silenced `no-compensation` for a vendor who had only
    told a price. The fee waived still answers."""
    assert not _answers(library, "The setup fee is 49 euros.")
    assert _answers(library, "The setup fee of 49 euros has been waived.")


def test_a_fee_cancelled_answers_a_request_for_compensation(library):
    """"Die Mahngebühr ist gestrichen" gives; read as nothing, `no-compensation` accused a vendor who had waived a fee. A
    fee told due gives nothing."""
    assert _answers(library, "Die Mahngebühr ist gestrichen.")
    assert not _answers(library, "Die Mahngebühr wird mit der nächsten Rechnung fällig.")


def test_a_thing_given_on_us_answers_a_request_for_compensation(library):
    """"The first month of the new package is on us" offers; the lexicon's admission phrase "on us" had outweighed
    the offer, so `no-compensation` accused a vendor who had given something. A fault on us offers nothing."""
    assert _answers(library, "The first month of the new package is on us.")
    assert not _answers(library, "That one is on us.")


def test_days_still_owed_are_a_request_for_compensation(library):
    """"Four days of hosting are still owed from the outage" claims what is due; read as nothing, it asked for nothing,
    and `no-compensation` stayed silent for a vendor who then offered nothing."""
    _asks_until_given(library, "Four days of hosting are still owed from the outage.",
                      "We have credited four days of hosting to your account.")


def test_a_promised_credit_chased_is_a_request_for_compensation(library):
    """"Die zugesagte Gutschrift ist bis heute nicht bei uns eingegangen" claims what was promised; read as nothing, it
    asked for nothing, and `no-compensation` stayed silent for a vendor who then offered nothing."""
    _asks_until_given(library, "Die zugesagte Gutschrift ist bis heute nicht bei uns eingegangen.",
                      "Wir schreiben Ihnen die Gutschrift heute gut.")


def test_a_refund_told_in_its_verb_answers_a_request_for_compensation(library):
    """"We are reimbursing the courier costs" gives; read as nothing, `no-compensation` accused a vendor who was paying.
    A refund refused gives nothing."""
    assert _answers(library, "We are reimbursing the courier costs.")
    assert not _answers(library, "We are not reimbursing the courier costs.")


def test_a_compensation_refused_answers_no_request_for_compensation(library):
    """"We have to decline your request for a refund" refuses; read as an offer, it silenced `no-compensation` for a
    vendor who gave nothing. An offer beside the refusal still answers."""
    assert not _answers(library, "We have to decline your request for a refund of the setup fee.")
    assert _answers(library, "We can't refund the licence, but we will credit one month of hosting.")


def test_a_cost_borne_answers_a_request_for_compensation(library):
    """"The new router and the technician's visit are at our expense" gives; read as nothing, `no-compensation` accused a
    vendor who paid. A customer's own cost told back gives nothing."""
    assert _answers(library, "The new router and the technician's visit are at our expense.")
    assert not _answers(library, "You had to rent a server at your own expense, we understand.")


def test_a_gift_named_as_an_apology_answers_a_request_for_compensation(library):
    """"Your next three washes are free as an apology" gives; read as nothing, `no-compensation` accused a vendor who
    gave. A voucher the customer calls too little is no offer."""
    assert _answers(library, "Your next three washes are free as an apology for the broken machine.")
    assert not _answers(library, "A voucher as an apology is not enough, we know.")


def test_responsibility_taken_offers_no_compensation(library):
    """"Wir übernehmen dafür die Verantwortung" owns the fault; read as an offer ("übernehmen" offers in "Wir übernehmen
    die Kosten"), it silenced `no-compensation` for a vendor who had given nothing. Costs taken over still answer."""
    c = contract(clause("§9.3", "compensation", within_days=2))
    ask = msg(0, "customer", "Wir fordern eine Gutschrift für den Ausfall.", kind="complaint")
    tick = event(24 * 3, "clock", vendor=None)
    assert not _answers(library, "Wir übernehmen dafür die Verantwortung.")
    assert _answers(library, "Wir übernehmen die Kosten für den Technikereinsatz.")


@pytest.mark.parametrize("waived", [
    "Sie müssen für März nichts bezahlen.",
    "You don't have to pay for the days the shop was down.",
])
def test_a_fee_waived_answers_a_request_for_compensation(library, waived):
    """"You don't have to pay for March" waives the fee; its negation weighed against the offer, and `no-compensation`
    accused a vendor who had given something. Payment only deferred gives nothing."""
    c, ask, tick = _asked_for_compensation()
    assert fired(library, [ask, msg(5, "vendor", waived), tick], "no-compensation", c) == []
    assert not _answers(library, "You don't have to pay the May invoice yet.")


def test_compensation_amount_is_read_from_the_offer(library):
    analysis = library.analyzer().analyze("Als Entschädigung erhalten Sie eine Gutschrift von 49,90 €.")
    assert analysis.amount() == (49.9, "EUR")


# -- repeat-incident -------------------------------------------------------------------------------
def test_repeat_incident_window_and_kind(library):
    c = contract(clause("§8", "repeat_incidents", window_days=7))
    first = [event(0, "service.suspended", actor="vendor", service="a.de"), event(1, "service.restored", actor="vendor", service="a.de")]
    again = event(24 * 7, "service.suspended", actor="vendor", service="a.de")
    assert fired(library, [*first, again], "repeat-incident", c) == ["repeat-incident"]
    later = event(24 * 7 + 0.1, "service.suspended", actor="vendor", service="a.de")
    assert fired(library, [*first, later], "repeat-incident", c) == []
    other_kind = event(24 * 3, "host.failed", actor="vendor", data={"host": "h", "services": ["a.de"]})
    assert fired(library, [*first, other_kind], "repeat-incident", c) == []


def test_repeat_incident_spans_cases(library):
    first = [event(0, "service.suspended", actor="vendor", service="a.de", incident="I-1"),
             event(1, "service.restored", actor="vendor", service="a.de", incident="I-1"),
             event(2, "incident.closed", incident="I-1")]
    second = event(48, "service.suspended", actor="vendor", service="a.de", incident="I-2")
    assert fired(library, [*first, second], "repeat-incident") == ["repeat-incident"]


def test_unverified_claim_per_required_check_kind(library):
    c = contract(clause("§7.3", "resolution_verification", required_checks=["https", "smtp"]))
    web_ok = event(2, "probe", actor="monitor", service="a.de", data={"check": "https", "up": True})
    mail_ok = event(2.5, "probe", actor="monitor", service="a.de", data={"check": "smtp", "up": True})
    report = evaluate_raw(library, [down(0), web_ok, _claim(3)], c)
    v = violation(report, "unverified-resolution-claim")
    assert "without a passing smtp check" in v.summary
    assert fired(library, [down(0), web_ok, mail_ok, _claim(3)], "unverified-resolution-claim", c) == []
    # without required kinds any passing check verifies
    assert fired(library, [down(0), web_ok, _claim(3)], "unverified-resolution-claim") == []


def test_repeat_incident_needs_the_service_up_for_a_while_first(library):
    """Failing again half an hour after coming back is the same incident going on (flapping), not a
    recurrence; after a day up it is one. ``min_uptime_hours`` sets the line."""
    flap = [down(0), up(1), down(1.5), up(2)]
    assert fired(library, flap, "repeat-incident") == []
    assert fired(library, [down(0), up(1), down(25), up(26)], "repeat-incident") == ["repeat-incident"]
    assert fired(library, [down(0), up(1), down(24.9), up(26)], "repeat-incident") == []
    short = contract(clause("§8", "repeat_incidents", min_uptime_hours=0.5))
    assert fired(library, flap, "repeat-incident", short) == ["repeat-incident"]
