"""false-resolution-claim: a claim contradicted by a failing probe within the window."""

import pytest
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


def _down(svc, h=0.0):
    return event(h, "host.failed", actor="monitor", service=svc, data={"host": "h1"})


def _said(h, text):
    return event(h, "message.sent", actor="vendor", text=text, data={"kind": "update"})


def test_a_claim_about_a_component_is_not_applied_to_every_down_service(library):
    raws = [_down("www.a.de"), _said(1, "The private cloud infrastructure is available again."), probe(2, "www.a.de")]
    assert rules_fired(evaluate_raw(library, raws, C), RULE) == []


def test_a_claim_that_names_a_service_applies_to_that_service_only(library):
    raws = [_down("www.a.de"), _down("www.b.de"), _said(1, "www.b.de is reachable again."),
            probe(2, "www.a.de"), probe(2, "www.b.de")]
    (found,) = [v for v in evaluate_raw(library, raws, C).violations if v.rule == RULE]
    assert found.services == ["www.b.de"]


def test_paraphrased_claims_are_claims(library):
    for text in ["All services restored.", "Everything is working again."]:
        raws = [_down("www.a.de"), _said(1, text), probe(2, "www.a.de")]
        assert rules_fired(evaluate_raw(library, raws, C), RULE) == [RULE], text


def test_a_partial_recovery_or_an_unconfirmed_fix_is_not_a_claim(library):
    for text in ["Service has been restored for some customers; we continue to work on the rest.",
                 "We are not able to confirm yet that the issue is resolved."]:
        raws = [_down("www.a.de"), _said(1, text), probe(2, "www.a.de")]
        assert rules_fired(evaluate_raw(library, raws, C), RULE) == [], text


def test_a_status_page_claim_without_actor_is_the_vendors(library):
    """A status-page export rarely says who wrote it: a status claim is the vendor's, a probe the monitor's."""
    raws = [event(-5, "probe", service="a.de", data={"check": "https", "up": False}),
            event(0, "status.claimed", text="All systems operational.", data={"status": "resolved"}),
            event(1, "probe", service="a.de", data={"check": "https", "up": False})]
    assert rules_fired(evaluate_raw(library, raws, C), RULE) == [RULE]
    # a message can come from either side: without an actor it is nobody's claim
    raws[1] = event(0, "message.sent", text="All systems operational.", data={"kind": "update"})
    assert rules_fired(evaluate_raw(library, raws, C), RULE) == []


def test_a_claim_naming_a_kind_of_service_is_about_the_services_of_that_kind(library):
    """"Ihre Webseite ist wieder online" while mail is still being restored is a claim about the
    website, not about mail; "der Server" makes a claim general again."""
    def check(h, svc, kind, up):
        return event(h, "probe", service=svc, data={"check": kind, "up": up})

    before = [check(-5, "www.x.de", "https", False), check(-5, "mail.x.de", "smtp", False), check(-1, "www.x.de", "https", True)]
    web = event(0, "message.sent", actor="vendor", text="Ihre Webseite ist seit 13:05 Uhr wieder online.", data={"kind": "update"})
    after = [check(1, "mail.x.de", "smtp", False)]
    assert rules_fired(evaluate_raw(library, [*before, web, *after], C), RULE) == []
    server = event(0, "message.sent", actor="vendor", text="Der Server ist wieder erreichbar, auch Ihre Webseite.", data={"kind": "update"})
    assert rules_fired(evaluate_raw(library, [*before, server, *after], C), RULE) == [RULE]
    mail = event(0, "message.sent", actor="vendor", text="Auch der E-Mail-Dienst läuft wieder.", data={"kind": "update"})
    assert rules_fired(evaluate_raw(library, [*before, mail, *after], C), RULE) == [RULE]


def test_a_state_change_monitor_that_shows_the_service_down_at_the_claim_proves_it_false(library):
    """UptimeRobot logs and --collapse imports record only changes of state: down at 07:30 and up at
    16:15 says down all along. A claim at 13:10 is false, though no failing check followed it."""
    def monitor(h, up, state_change=True):
        data = {"check": "https", "up": up, **({"state_change": True} if state_change else {})}
        return event(h, "probe", service="a.de", data=data)

    claim_at_0 = claim(0, text="Die Störung ist behoben.")
    assert rules_fired(evaluate_raw(library, [monitor(-5, False), claim_at_0, monitor(3, True)], C), RULE) == [RULE]
    # back within monitor_lag_minutes (15) of the claim: the monitor may just have lagged
    assert rules_fired(evaluate_raw(library, [monitor(-5, False), claim_at_0, monitor(0.2, True)], C), RULE) == []
    # ordinary probes, seen now and then: a later passing one says nothing about the time of the claim
    plain = [monitor(-5, False, False), claim_at_0, monitor(3, True, False)]
    assert rules_fired(evaluate_raw(library, plain, C), RULE) == []
    lag = contract(clause("§7.3", "resolution_verification", verify_window_hours=24, monitor_lag_minutes=240))
    assert rules_fired(evaluate_raw(library, [monitor(-5, False), claim_at_0, monitor(3, True)], lag), RULE) == []


def test_a_service_is_the_kind_its_name_says_whatever_its_monitor_checks():
    from pactwatch.enrich.outages import OutageTracker

    tracker = OutageTracker()
    tracker.note_check(["mail.x.de", "crm.x.de"], "https")  # webmail behind https is still mail
    assert tracker.kinds("mail.x.de") == {"mail"} and tracker.kinds("crm.x.de") == {"web"}


def test_a_message_that_states_the_fault_claims_nothing(library):
    """"Your website has been down since this morning" read as a claim ("since" and a time stand in claims), and the
    failing probes after it made the vendor the author of a false claim it never made."""
    stated = event(0, "message.sent", actor="vendor", service="a.de", data={"kind": "update"},
                   text="Your website has been down since this morning, we are working on it.")
    assert rules_fired(evaluate_raw(library, [probe(-1), stated, probe(1)], C), RULE) == []
    claimed = event(0, "message.sent", actor="vendor", service="a.de", data={"kind": "update"},
                    text="Your website, which had been down since this morning, is back online.")
    assert rules_fired(evaluate_raw(library, [probe(-1), claimed, probe(1)], C), RULE) == [RULE]


@pytest.mark.parametrize(("text", "claims"), [
    # the fault's state negated, or the working state held since a step: a claim, false while the probes fail
    ("Ihre Website ist nicht mehr offline.", True),
    ("Your website is no longer down.", True),
    ("Everything has been stable since the restart at 09:30.", True),
    # the fault looked into, with nothing of its end: no claim, so no false one
    ("The incident has been thoroughly analysed.", False),
    ("Your request has been processed.", False),
])
def test_a_claim_told_as_the_fault_gone_or_the_state_held_is_judged(library, text, claims):
    """Claims in the form of the fault's state negated ("nicht mehr offline") or of stability held ("stable since the
    restart") had been read as nothing, so a vendor saying so while the site was down escaped the rule; work on the
    case ("thoroughly analysed", "processed") had read as a claim and made a finding of a claim never made."""
    mail = event(0, "message.sent", actor="vendor", service="a.de", data={"kind": "update"}, text=text)
    assert rules_fired(evaluate_raw(library, [probe(-1), mail, probe(1)], C), RULE) == ([RULE] if claims else [])


def test_a_vendor_who_only_asks_claims_nothing(library):
    """"Is your shop running again?" read as a claim, so the rule accused a vendor who had only asked."""
    mail = event(0, "message.sent", actor="vendor", service="a.de", data={"kind": "update"}, text="Is your shop running again?")
    assert rules_fired(evaluate_raw(library, [probe(-1), mail, probe(1)], C), RULE) == []
    told = event(0, "message.sent", actor="vendor", service="a.de", data={"kind": "update"},
                 text="Your shop is running again.")
    assert rules_fired(evaluate_raw(library, [probe(-1), told, probe(1)], C), RULE) == [RULE]
    # a claim told before a question is one
    told_and_asked = event(0, "message.sent", actor="vendor", service="a.de", data={"kind": "update"},
                           text="Your shop is running again, could you place a test order?")
    assert rules_fired(evaluate_raw(library, [probe(-1), told_and_asked, probe(1)], C), RULE) == [RULE]


@pytest.mark.parametrize(("text", "claims"), [
    ("The sync errors are back since this morning.", False),
    ("The checkout errors haven't come back since the rollback.", True),  # the fault not back: a claim, false here
    ("Der Fehler tritt seit dem Update wieder auf.", False),
    ("The shop went down again at 08:40, but it has been up since 08:55.", True),
    ("The card payments on your shop were declined again.", False),
    ("Die Kartenzahlungen in Ihrem Shop wurden wieder abgelehnt.", False),
    ("Unser Datenbankteam hat den Fehler in der Nacht behoben.", True),  # a claim, false while the site is down
])
def test_a_vendor_telling_the_fault_back_claims_nothing(library, text, claims):
    """"Again" / "wieder" told with the fault ("The sync errors are back", "tritt wieder auf") read as a claim, so a
    vendor reporting the fault's return while the site was down was accused of claiming it fixed; a claim told after
    the fault's return is still judged, and so is the fault said not to be back ("haven't come back"), read as nothing
    before."""
    mail = event(0, "message.sent", actor="vendor", service="a.de", data={"kind": "update"}, text=text)
    assert rules_fired(evaluate_raw(library, [probe(-1), mail, probe(1)], C), RULE) == ([RULE] if claims else [])


@pytest.mark.parametrize(("text", "claims"), [
    ("Der Ausfall des Kundenportals ist vorbei.", True),
    ("The problem with the nightly exports has ended.", True),
    ("Once the disruption is over, calls will be routed normally.", False),
])
def test_the_vendor_saying_the_fault_is_over_is_judged(library, text, claims):
    """"Der Ausfall … ist vorbei" read as nothing, so a vendor saying so while the site was still down escaped the rule;
    the end only foreseen claims nothing."""
    mail = event(0, "message.sent", actor="vendor", service="a.de", data={"kind": "update"}, text=text)
    assert rules_fired(evaluate_raw(library, [probe(-1), mail, probe(1)], C), RULE) == ([RULE] if claims else [])


@pytest.mark.parametrize(("text", "claims"), [
    # the vendor having solved the problem, in verbs the model did not know as a claim: false while the probes fail
    ("We were able to solve the problem.", True),
    ("Our engineers have rectified the fault.", True),
    ("Wir konnten das Problem lösen.", True),
    # not yet, a forecast, another customer: no claim, so no false one
    ("We have not yet solved the problem.", False),
    ("Once we have solved the problem, we will let you know.", False),
    ("We solved a similar problem for another customer last year.", False),
])
def test_the_vendor_saying_it_solved_the_problem_is_judged(library, text, claims):
    """"We were able to solve the problem" read as nothing ("solved", "rectified", "konnten … lösen" with the vendor as
    subject), so a vendor saying so while the site was still down escaped the rule."""
    mail = event(0, "message.sent", actor="vendor", service="a.de", data={"kind": "update"}, text=text)
    assert rules_fired(evaluate_raw(library, [probe(-1), mail, probe(1)], C), RULE) == ([RULE] if claims else [])
