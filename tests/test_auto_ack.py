"""Automatic acknowledgements: a reply unless the contract says an automatic acknowledgement is no response."""

import json

from conftest import clause, contract, evaluate_raw, event, pw, rules_fired

from pactwatch import Contract

RULE = "complaint-response-late"


def _case(ack_text, data=None):
    return [event(0, "message.sent", actor="customer", text="Unser Shop ist seit heute früh offline!",
                  data={"kind": "complaint"}),
            event(0.02, "message.sent", actor="vendor", text=ack_text, data={"kind": "reply", **(data or {})}),
            event(30, "clock", vendor=None)]


def _contract(counts):
    return contract(clause("§9.2", "complaint_handling", response_hours=24, auto_ack_counts=counts))


def test_an_auto_acknowledgement_is_no_reply_unless_the_contract_counts_it(library):
    raws = _case("Vielen Dank für Ihre Anfrage. Ihre Ticketnummer lautet 448812.")
    assert rules_fired(evaluate_raw(library, raws, _contract(True)), RULE) == []
    assert rules_fired(evaluate_raw(library, raws, _contract(False)), RULE) == [RULE]
    unset = contract(clause("§9.2", "complaint_handling", response_hours=24))
    assert rules_fired(evaluate_raw(library, raws, unset), RULE) == [RULE]


def test_a_human_reply_counts_either_way(library):
    raws = _case("Wir prüfen den Vorgang und melden uns bis heute Abend.")
    assert rules_fired(evaluate_raw(library, raws, _contract(False)), RULE) == []


def test_a_message_marked_automatic_is_one_whatever_it_says(library):
    raws = _case("Thank you for your message.", data={"auto": True})
    assert rules_fired(evaluate_raw(library, raws, _contract(False)), RULE) == [RULE]


def test_english_auto_replies_are_recognised(library):
    for text in ["This is an automated message. A member of our team will reply as soon as possible.",
                 "Thank you for contacting support. Your ticket number is 448812."]:
        assert rules_fired(evaluate_raw(library, _case(text), _contract(False)), RULE) == [RULE], text


def test_mail_import_marks_auto_submitted_mails(tmp_path):
    case = tmp_path / "case"
    assert pw("case", "init", case, "--template", "hosting-de").returncode == 0
    mail = tmp_path / "ack.eml"
    mail.write_text("From: support@hoster.example\nTo: team@agentur.example\nSubject: Re: Ausfall\n"
                    "Date: Mon, 02 Mar 2026 08:21:00 +0100\nMessage-ID: <ack-1@hoster.example>\n"
                    "Auto-Submitted: auto-replied\n\nWir kümmern uns darum.\n", encoding="utf-8")
    run = pw("import", "mail", mail, "--case", case, "--vendor-domain", "hoster.example", "--customer-domain",
             "agentur.example")
    assert run.returncode == 0, run.stderr
    (imported,) = [json.loads(line) for line in (case / "events" / "mail.jsonl").read_text(encoding="utf-8").splitlines()]
    assert imported["data"]["auto"] is True


def test_a_compensation_offer_answers_a_claim_for_money(library):
    """A customer's claim for the credit, answered by the credit itself (no covering message), is answered,
    whether or not automatic acknowledgements count."""
    def case(data):
        return [event(0, "message.sent", actor="customer", text="Für den Ausfall erwarten wir die vertragliche Gutschrift.",
                      data={"kind": "complaint"}),
                event(5, "compensation.offered", actor="vendor", text="Wir schreiben Ihnen 25 % der Oktobergebühr gut.",
                      data={"kind": "credit", **data}),
                event(30, "clock", vendor=None)]
    for counts in (True, False):
        assert rules_fired(evaluate_raw(library, case({}), _contract(counts)), RULE) == [], counts
    # without the offer, the claim is unanswered
    assert rules_fired(evaluate_raw(library, case({})[::2], _contract(False)), RULE) == [RULE]


def test_the_hosting_templates_ask_for_causes_and_measures_so_an_acknowledgement_is_no_answer(library):
    """Their clause text says a complaint is answered "with causes and measures"; an auto-reply has neither."""
    from conftest import ROOT

    from pactwatch._yaml import load_yaml

    raws = [{**raw, "vendor": "provider-ltd"} for raw in _case("Thank you for contacting support. Your ticket number is 448812.")]
    for name in ("hosting-en", "hosting-de"):
        body = load_yaml(ROOT / "rules" / "contract-templates" / f"{name}.yaml").data
        body["services"] = ["www.example.org"]
        report = evaluate_raw(library, raws, Contract.model_validate(body))
        assert rules_fired(report, RULE) == [RULE], name


def test_receipts_worded_as_help_desks_word_them_are_automatic(library):
    """Help desks confirm a ticket in many words; none of them answers the complaint."""
    for text in ["Thank you for contacting Example Hosting. Your request has been logged as ticket EX-5521 and a "
                 "member of our team will respond as soon as possible.",
                 "A new support case has been created for you. We aim to respond to all requests within 8 hours.",
                 "Ihre Anfrage wurde unter der Ticketnummer 2026-4471 erfasst. Ein Mitarbeiter wird sich "
                 "schnellstmöglich bei Ihnen melden.",
                 "Dies ist eine automatische Eingangsbestätigung. Unsere Bearbeitungszeit beträgt derzeit zwei Werktage."]:
        assert rules_fired(evaluate_raw(library, _case(text), _contract(False)), RULE) == [RULE], text


def test_a_receipt_phrase_in_a_reply_that_answers_is_a_reply(library):
    """A person may open with the receipt and go on to the cause: that answers the complaint."""
    for text in ["Wir haben Ihre Nachricht erhalten und an die Technik weitergegeben. Die Ursache lag in einem "
                 "fehlerhaften Kernel-Update, das wir zurückgenommen haben.",
                 "Your request has been logged as ticket EX-5521. The outage was caused by a failed switch in rack "
                 "12, which we have replaced."]:
        assert rules_fired(evaluate_raw(library, _case(text), _contract(False)), RULE) == [], text
