"""Durations as contracts write them, and business time on the contract's calendar."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import clause, contract, evaluate_raw, rules_fired, violation

from pactwatch.business_time import BusinessCalendar
from pactwatch.durations import parse_duration
from pactwatch.models.contract import Calendar

BERLIN = ZoneInfo("Europe/Berlin")
DE = BusinessCalendar.of("Europe/Berlin", Calendar(country="DE", subdivision="BY"))


def t(*args):
    return datetime(*args, tzinfo=BERLIN).timestamp()


def local(epoch):
    return datetime.fromtimestamp(epoch, BERLIN).strftime("%a %d.%m. %H:%M %Z")


@pytest.mark.parametrize(("text", "unit", "expected"), [
    ("30 days", "hours", 720.0), ("72h", "hours", 72.0), ("P30D", "hours", 720.0), ("PT4H30M", "hours", 4.5),
    ("2 weeks", "days", 14.0), ("90 min", "hours", 1.5), ("3 Tage", "hours", 72.0), ("48 Stunden", "days", 2.0), (24, "hours", 24.0),
    ("4 business hours", "hours", {"business": "hours", "amount": 4.0}),
    ("2 Werktage", "hours", {"business": "days", "amount": 2.0}),
    ("1,5 Arbeitstage", "days", {"business": "days", "amount": 1.5}),
])
def test_durations_in_contract_language(text, unit, expected):
    assert parse_duration(text, unit) == expected


@pytest.mark.parametrize("bad", ["soon", "-5h", "24", True, float("inf"), "P-1D", "4 business parsecs"])
def test_what_is_not_a_duration(bad):
    with pytest.raises(ValueError):
        parse_duration(bad, "hours")


def test_business_time_where_the_contract_does_not_allow_it(library):
    from pactwatch.contracts import check_contract

    problems = check_contract(contract(clause("§3.2", "service_credits", claim_within_days="10 Werktage")), library.concepts)
    assert [p.code for p in problems] == ["contract-bad-param"] and "business time" in problems[0].message


def test_business_hours_across_a_weekend_and_easter():
    # Friday 27 March 15:00 + 4 business hours (09-17): 2 h on Friday, 2 h on Monday (after the DST switch)
    assert local(DE.add(t(2026, 3, 27, 15), 4, "hours")) == "Mon 30.03. 11:00 CEST"
    # Thursday 2 April 15:00: Good Friday and Easter Monday are public holidays in Bavaria
    assert local(DE.add(t(2026, 4, 2, 15), 4, "hours")) == "Tue 07.04. 11:00 CEST"
    # outside working hours, the count starts at the next opening
    assert local(DE.add(t(2026, 4, 11, 10), 1, "hours")) == "Mon 13.04. 10:00 CEST"


def test_business_days_keep_the_time_of_day_and_go_back_too():
    assert local(DE.add(t(2026, 4, 2, 15), 2, "days")) == "Wed 08.04. 15:00 CEST"
    assert local(DE.add(t(2026, 4, 8, 15), 2, "days", -1)) == "Thu 02.04. 15:00 CEST"
    assert local(DE.add(t(2026, 3, 30, 10), 1, "hours", -1)) == "Mon 30.03. 09:00 CEST"
    assert local(DE.add(t(2026, 3, 30, 10), 2, "hours", -1)) == "Fri 27.03. 16:00 CET"


def test_regional_holidays_and_extra_days():
    # 6 January (Epiphany) is a holiday in Bavaria, not in Berlin; 7 January is an extra day off
    berlin = BusinessCalendar.of("Europe/Berlin", Calendar(country="DE", subdivision="BE", extra_holidays=["2026-01-07"]))
    assert local(DE.add(t(2026, 1, 5, 16), 2, "hours")) == "Wed 07.01. 10:00 CET"
    assert local(berlin.add(t(2026, 1, 5, 16), 2, "hours")) == "Tue 06.01. 10:00 CET"
    assert local(berlin.add(t(2026, 1, 6, 16), 2, "hours")) == "Thu 08.01. 10:00 CET"


def _complaint(at, reply_at):
    return [{"at": at, "type": "message.sent", "vendor": "acme", "actor": "customer", "text": "Ihr Dienst ist ausgefallen.",
             "data": {"kind": "complaint"}},
            {"at": reply_at, "type": "message.sent", "vendor": "acme", "actor": "vendor", "text": "Wir prüfen das.",
             "data": {"kind": "reply"}}]


BUSINESS = contract(clause("§8.1", "complaint_handling", response_hours="4 business hours"),
                    calendar={"country": "DE", "subdivision": "BY"})


def test_response_in_four_business_hours_across_easter(library):
    on_time = evaluate_raw(library, _complaint("2026-04-02T15:00:00+02:00", "2026-04-07T10:59:00+02:00"), BUSINESS)
    assert rules_fired(on_time, "complaint-response-late") == []
    late = evaluate_raw(library, _complaint("2026-04-02T15:00:00+02:00", "2026-04-07T11:01:00+02:00"), BUSINESS)
    v = violation(late, "complaint-response-late")
    assert v.at == "2026-04-07T09:00:00Z"  # decided at 11:00 CEST on Tuesday
    assert "4 business hours later" in v.summary and "4 business hours h" not in v.summary
    # the same contract in clock hours would have found the reply of Tuesday late long before
    clock = contract(clause("§8.1", "complaint_handling", response_hours="4h"))
    assert violation(evaluate_raw(library, _complaint("2026-04-02T15:00:00+02:00", "2026-04-07T10:59:00+02:00"), clock),
                     "complaint-response-late").at == "2026-04-02T17:00:00Z"


def test_notice_in_working_days_before_a_suspension(library):
    c = contract(clause("§5.1", "suspension_notice", notice_hours="2 Werktage"), calendar={"country": "DE"})
    suspended = {"at": "2026-04-08T15:00:00+02:00", "type": "service.suspended", "vendor": "acme", "actor": "vendor",
                 "service": "a.de"}

    def notice(at):
        return {"at": at, "type": "notice.sent", "vendor": "acme", "actor": "vendor", "service": "a.de",
                "data": {"kind": "warning"}}

    # two working days before Wednesday 8 April 15:00 (Easter Monday off) is Thursday 2 April 15:00
    assert rules_fired(evaluate_raw(library, [notice("2026-04-02T15:00:00+02:00"), suspended], c), "suspension-without-notice") == []
    late = evaluate_raw(library, [notice("2026-04-02T15:01:00+02:00"), suspended], c)
    assert "2 Werktage" not in violation(late, "suspension-without-notice").summary  # English contract
    assert "2 business days" in violation(late, "suspension-without-notice").summary


def test_thirty_days_is_720_hours(library):
    c = contract(clause("§5.1", "suspension_notice", notice_hours="30 days"))
    assert violation(evaluate_raw(library, [{"at": "2026-04-08T15:00:00+02:00", "type": "service.suspended", "vendor": "acme",
                                             "actor": "vendor", "service": "a.de"}], c),
                     "suspension-without-notice").params["notice_hours"] == 720.0
