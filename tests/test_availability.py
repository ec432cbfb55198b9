"""Availability per service and calendar month across every case (SLA arithmetic)."""

from datetime import datetime

import pytest
from conftest import at, clause, contract, evaluate_raw, event, violation

from pactwatch.models.report import Report

SLA = contract(clause("§3.1", "availability", target_percent=99.9))


def down(h, svc="s.de", incident="INC-1"):
    return event(h, "probe", actor="monitor", service=svc, incident=incident, data={"check": "https", "up": False})


def up(h, svc="s.de", incident="INC-1"):
    return event(h, "probe", actor="monitor", service=svc, incident=incident, data={"check": "https", "up": True})


def months(report):
    return {(a.service, a.month): a for a in report.availability}


def test_two_outages_of_one_month_under_two_incident_ids_are_one_month(library):
    # 99.9 % of March (743 h, DST) allows 44.6 min; each outage is 30 min, together 60 min.
    first = [down(0, incident="INC-1"), up(0.5, incident="INC-1")]
    second = [down(100, incident="INC-2"), up(100.5, incident="INC-2")]
    assert [v.rule for v in evaluate_raw(library, first, SLA).violations if v.rule == "availability-breach"] == []
    report = evaluate_raw(library, first + second, SLA)
    v = violation(report, "availability-breach")
    assert v.services == ["s.de"] and v.incident is None and "99.86%" in v.summary  # English as CLDR writes it
    assert "incidents INC-1, INC-2" in v.evidence[0].text
    march = months(report)[("s.de", "2026-03")]
    assert (march.downtime_hours, march.incidents) == (1.0, ["INC-1", "INC-2"])


def test_overlapping_outages_count_once(library):
    raws = [down(0, incident="INC-1"), down(0.5, incident="INC-2"), up(1, incident="INC-1"), up(1.5, incident="INC-2")]
    assert months(evaluate_raw(library, raws, SLA))[("s.de", "2026-03")].downtime_hours == 1.5


def test_outage_across_the_dst_switch_counts_elapsed_hours(library):
    # Sat 28 March 23:00 CET (h = 26*24 + 15) to Sun 29 March 05:00 CEST: 5 real hours, not 6.
    raws = [down(26 * 24 + 15), up(26 * 24 + 20)]
    assert months(evaluate_raw(library, raws, SLA))[("s.de", "2026-03")].downtime_hours == 5.0


def test_outages_of_two_cases_across_a_month_boundary(library):
    # INC-1: 31 March 22:00-23:30 CEST; INC-2: 1 April 00:30-01:00 CEST (h 0 = 2 March 08:00 CET)
    raws = [down(24 * 29 + 13, incident="INC-1"), up(24 * 29 + 14.5, incident="INC-1"),
            down(24 * 29 + 15.5, incident="INC-2"), up(24 * 29 + 16, incident="INC-2")]
    m = months(evaluate_raw(library, raws, SLA))
    assert (m[("s.de", "2026-03")].downtime_hours, m[("s.de", "2026-04")].downtime_hours) == (1.5, 0.5)


MAINT = contract(clause("§3.1", "availability", target_percent=99.9, exclude_maintenance=True, maintenance_notice_hours=48))


def maintenance(h, start, end, svc="s.de"):
    return event(h, "notice.sent", actor="vendor", service=svc, incident="MW-1",
                 data={"kind": "maintenance", "starts": event(start, "clock")["at"], "ends": event(end, "clock")["at"]})


def test_announced_maintenance_is_excluded_and_an_overrun_counts(library):
    # Window 100-102 h announced 72 h before; down 100-103 h: 2 h excluded, 1 h counts.
    raws = [maintenance(28, 100, 102), down(100), up(103)]
    report = evaluate_raw(library, raws, MAINT)
    march = months(report)[("s.de", "2026-03")]
    assert (march.downtime_hours, march.excluded_hours) == (1.0, 2.0)
    assert [v.rule for v in report.violations if v.rule == "availability-breach"] == ["availability-breach"]
    inside = evaluate_raw(library, [maintenance(28, 100, 102), down(100), up(101.5)], MAINT)
    assert [v.rule for v in inside.violations if v.rule == "availability-breach"] == []


def test_maintenance_announced_too_late_or_not_excluded_by_the_contract_counts(library):
    late = evaluate_raw(library, [maintenance(76, 100, 102), down(100), up(102)], MAINT)  # 24 h notice < 48 h
    assert months(late)[("s.de", "2026-03")].downtime_hours == 2.0
    plain = evaluate_raw(library, [maintenance(28, 100, 102), down(100), up(102)], SLA)
    assert months(plain)[("s.de", "2026-03")].excluded_hours == 0.0


def announced(h, text, svc="s.de"):
    return event(h, "notice.sent", actor="vendor", service=svc, incident="MW-1", text=text, data={"kind": "maintenance"})


def test_a_window_named_only_in_the_notice_text_is_read_from_it(library):
    # Users forward the provider's announcement as it came: 6 March 12:00-14:00 CET is h 100-102.
    for text in ("Wartungsarbeiten am Freitag, 6. März, zwischen 12 und 14 Uhr.",
                 "Maintenance on 6 March between 11:00 and 13:00 UTC; short interruptions are possible."):
        report = evaluate_raw(library, [announced(28, text), down(100), up(103)], MAINT)
        march = months(report)[("s.de", "2026-03")]
        assert (march.downtime_hours, march.excluded_hours) == (1.0, 2.0), text
    # the data's starts/ends win over the text; a notice naming no time range has no window
    data_wins = maintenance(28, 100, 101)
    data_wins["text"] = "Wartung am 6. März zwischen 12 und 14 Uhr."
    assert months(evaluate_raw(library, [data_wins, down(100), up(103)], MAINT))[("s.de", "2026-03")].excluded_hours == 1.0
    vague = evaluate_raw(library, [announced(28, "Wartung am 6. März, es kann zu Unterbrechungen kommen."), down(100), up(103)], MAINT)
    assert months(vague)[("s.de", "2026-03")].excluded_hours == 0.0


def test_maintenance_window_needs_both_ends(library):
    from pactwatch.ingest import parse_record

    raw = event(0, "notice.sent", actor="vendor", data={"kind": "maintenance", "starts": event(1, "clock")["at"]})
    ev, problems, _ = parse_record(raw, file="t", line=1, allow_unknown=False)
    assert ev is None and "starts and ends" in problems[0].message


# -- money -----------------------------------------------------------------------------
def test_credit_is_exact_and_rounded_half_up_to_the_currency(library):
    from decimal import Decimal

    # 30 h down in March: 95.96 % → 25 % of 49.90 = 12.475 → 12.48 (a float gave 12.47)
    tiers = clause("§3.2", "service_credits", tiers=[{"below_percent": 99.9, "credit_percent": 10},
                                                     {"below_percent": 99.0, "credit_percent": 25}])
    raws = [down(0), up(30)]
    eur = evaluate_raw(library, raws, contract(clause("§3.1", "availability"), tiers, monthly_fee=49.90))
    credit = next(r for r in violation(eur, "availability-breach").remedies if r.amount is not None)
    assert credit.amount == Decimal("12.48") and str(credit.amount) == "12.48"
    yen = evaluate_raw(library, raws, contract(clause("§3.1", "availability"), tiers, monthly_fee=4990, currency="JPY"))
    assert next(r.amount for r in violation(yen, "availability-breach").remedies if r.amount is not None) == Decimal("1248")


def test_fees_that_are_not_money_are_rejected():
    import pytest
    from pydantic import ValidationError

    for bad in ({"monthly_fee": True}, {"monthly_fee": "49.90"}, {"monthly_fee": float("inf")}, {"monthly_fee": -1},
                {"currency": "XYZ"}):
        with pytest.raises(ValidationError):
            contract(**bad)


def test_german_contract_writes_amounts_the_german_way(library):
    from pactwatch.money import format_amount

    assert (format_amount(1234.5, "EUR", "de"), format_amount(1234.5, "EUR", "en"), format_amount(1234.5, "JPY", "en")) == \
        ("1.234,50", "1,234.50", "1,235")


def test_an_offer_in_a_message_is_weighed_against_the_month_and_judged_nowhere_else(library):
    """A vendor's message that claims resolution and offers a credit is brought into the vendor's
    service-level case, where the month's credit rule weighs the offer. That case holds only the
    service-level rules: the claim in it is judged once, in its own case. (The month rule's window
    ends at the trigger's ``month_end``; without that field on the fact durable_rules failed the
    whole run with error 311.)"""
    credit = contract(clause("§3.1", "availability", target_percent=99.9), clause("§5", "compensation"))
    raws = [down(0), event(3, "message.sent", actor="vendor", incident="INC-1", service="s.de",
                           text="All services have been restored. We will credit one month of fees to your account.",
                           data={"kind": "reply"}),
            up(4)]
    report = evaluate_raw(library, raws, credit)
    assert [v.rule for v in report.violations].count("availability-breach") == 1
    assert "no-compensation" not in [v.rule for v in report.violations]  # the offer came in time
    claims = [v for v in report.violations if v.rule in ("unverified-resolution-claim", "false-resolution-claim")]
    assert len(claims) == len({(v.rule, v.incident) for v in claims}) <= 1
    service_level = {(o.rule, o.status) for o in report.outcomes if o.incident is None}
    assert service_level == {("availability-breach", "violated"), ("no-compensation", "met")}


# -- slices: a vendor's services judged in sessions of their own -------------------------------
def _sliced_and_whole(library, raws, terms, monkeypatch, as_of=None):
    """The report with every service in a session of its own, and with all in one session."""
    import pactwatch.evaluation.service_level as service_level
    from pactwatch.evaluation.engine import Evaluator, _Run
    from pactwatch.ingest import parse_record

    events = [parse_record(raw, file="t", line=i, allow_unknown=False)[0] for i, raw in enumerate(raws, 1)]
    absorbed = []
    absorb = _Run._absorb
    monkeypatch.setattr(_Run, "_absorb", lambda self, case, part, at: (absorbed.append(part.key), absorb(self, case, part, at)))
    reports = []
    for size in (1, 10**9):
        monkeypatch.setattr(service_level, "SLICE_SERVICES", size)
        evaluator = Evaluator(library, terms)
        assert evaluator.months_apart
        reports.append(evaluator.run_events(events, as_of=as_of).model_dump_json())
    assert absorbed, "the first run was not sliced"
    return reports


def _many_services():
    """Three services below target in March, one just above it, two more and one of them again in
    April (h 0 = 2 March 08:00 CET; h 720 = 1 April 09:00 CEST)."""
    raws = []
    for i in range(3):
        raws += [down(2 * i, svc=f"s{i}.de", incident=f"M-{i}"), up(2 * i + 30, svc=f"s{i}.de", incident=f"M-{i}")]
    raws += [down(10, svc="s3.de", incident="M-3"), up(10.2, svc="s3.de", incident="M-3")]
    for i in (0, 4, 5):
        raws += [down(720 + i, svc=f"s{i}.de", incident=f"A-{i}"), up(740 + i, svc=f"s{i}.de", incident=f"A-{i}")]
    return raws


@pytest.mark.parametrize("offer_at", [None, 721, 24 * 75])
def test_services_judged_in_slices_give_the_report_of_one_session(library, monkeypatch, offer_at):
    """Where no rule on availability relates one month's fact to another's, the service-level stage
    judges them in slices of services (a session that holds them all takes time in the square of
    them). A month's finding still lists every service below target, the credit rule still decides
    once, and what is still pending at the end is the same."""
    terms = contract(clause("§3.1", "availability", target_percent=99.9), clause("§5", "compensation"))
    raws = _many_services()
    if offer_at is not None:
        raws.append(event(offer_at, "compensation.offered", actor="vendor", incident="M-0", service="s0.de",
                          text="We credit one month of fees.", data={"kind": "credit", "amount": 100, "currency": "EUR"}))
    raws.append(event(24 * 90, "clock"))
    sliced, whole = _sliced_and_whole(library, raws, terms, monkeypatch)
    assert sliced == whole
    march = next(v for v in Report.model_validate_json(sliced).violations
                 if v.rule == "availability-breach" and "March 2026" in v.summary)
    assert march.services == ["s0.de", "s1.de", "s2.de"]
    # as of 2 April, March's credit is owed but not yet due: pending, in either way
    early, early_whole = _sliced_and_whole(library, raws[:-1], terms, monkeypatch,
                                           as_of=datetime.fromisoformat(at(24 * 31)).timestamp())
    assert early == early_whole
    assert [p.rule for p in Report.model_validate_json(early).pending].count("no-compensation") == \
        (offer_at is None or offer_at > 24 * 31)


def test_a_once_per_case_rule_on_months_is_decided_by_the_earliest_month_alone(tmp_path, library, monkeypatch):
    """A session arms only the earliest trigger of a once-per-case rule. Judged in slices, each slice
    arms its own earliest; the case keeps only the decision of the earliest of all. Here the credit
    window starts at the month's end: the offer of 2 April meets March's obligation, and April's
    (which no single session would have armed) must not become a finding."""
    import shutil

    from pactwatch import load_rules

    root = tmp_path / "rules"
    shutil.copytree(library.directory, root)
    path = root / "no-compensation.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("from: case_start") == 2
    path.write_text(text[::-1].replace("from: case_start"[::-1], "from: trigger"[::-1], 1)[::-1], encoding="utf-8")
    custom = load_rules(root)
    terms = contract(clause("§3.1", "availability", target_percent=99.9), clause("§5", "compensation"))
    raws = [*_many_services(), event(720, "compensation.offered", actor="vendor", incident="M-0", service="s0.de",
                                      text="We credit one month of fees.", data={"kind": "credit", "amount": 100, "currency": "EUR"}),
            event(24 * 90, "clock")]
    sliced, whole = _sliced_and_whole(custom, raws, terms, monkeypatch)
    assert sliced == whole
    assert "no-compensation" not in {v.rule for v in Report.model_validate_json(whole).violations}


def test_a_once_per_case_rule_without_a_deadline_groups_every_slice_s_matches(tmp_path, library, monkeypatch):
    """A once-per-case rule with no ``absent`` pattern is a join, never armed: every slice's matches
    are the case's one finding, as in one session."""
    import shutil

    from pactwatch import load_rules

    root = tmp_path / "rules"
    shutil.copytree(library.directory, root)
    path = root / "availability-breach.yaml"
    text = path.read_text(encoding="utf-8")
    assert "once_per: [month]" in text
    path.write_text(text.replace("once_per: [month]", "once_per: case"), encoding="utf-8")
    terms = contract(clause("§3.1", "availability", target_percent=99.9))
    sliced, whole = _sliced_and_whole(load_rules(root), [*_many_services(), event(24 * 90, "clock")], terms, monkeypatch)
    assert sliced == whole
    assert [v.rule for v in Report.model_validate_json(whole).violations].count("availability-breach") == 1


@pytest.mark.parametrize(("match", "may"), [
    ({"actor": "vendor", "offers_compensation": True}, False),  # the month facts have no actor
    ({"type": "availability.month", "availability_percent": {"lt": 99}}, True),
    ({"type": ["probe", "availability.month"]}, True),
    ({"service": "www.kunde.de"}, True),  # a field every month fact has, with its own value
    ({"type": "probe"}, False),
    ({}, True),
])
def test_months_are_judged_in_one_session_where_a_role_could_match_another_month(match, may):
    from pactwatch.evaluation.service_level import _may_match_month

    assert _may_match_month(match) is may


def test_the_fields_a_month_fact_is_judged_by_are_the_fields_it_has():
    """The check above knows each field of a month fact as fixed or varying: a field added to the
    fact must be added there too, or a pattern on it would be taken to rule the fact out."""
    from pactwatch.evaluation import service_level

    fact, _ = service_level.month_fact("acme", "s.de", "2026-03", 99.5, 3600.0, ["INC-1"], ["probe"],
                                       "Europe/Berlin", 1.8e9)
    assert set(fact) == service_level._VARYING | set(service_level._FIXED)
    assert all(fact[k] == v for k, v in service_level._FIXED.items())


# -- offers: a vendor's offers held by the service-level sessions ------------------------------
def _offers_filtered_and_all(library, raws, terms, monkeypatch):
    """The report with the offers the filter keeps, with every offer, and how many were kept."""
    from pactwatch.evaluation.engine import Evaluator
    from pactwatch.evaluation.service_level import OfferFilter
    from pactwatch.ingest import parse_record

    events = [parse_record(raw, file="t", line=i, allow_unknown=False)[0] for i, raw in enumerate(raws, 1)]
    needed = OfferFilter.needed
    kept = []
    monkeypatch.setattr(OfferFilter, "needed", lambda self, offers: kept.append(len(r := needed(self, offers))) or r)
    filtered = Evaluator(library, terms).run_events(events).model_dump_json()
    monkeypatch.setattr(OfferFilter, "needed", lambda self, offers: offers)
    return filtered, Evaluator(library, terms).run_events(events).model_dump_json(), kept


def _offer(h, svc="s0.de"):
    return event(h, "compensation.offered", actor="vendor", incident="M-0", service=svc,
                 text="We credit one month of fees.", data={"kind": "credit", "amount": 100, "currency": "EUR"})


def test_only_the_earliest_offer_is_held_where_it_alone_decides(library, monkeypatch):
    """The credit rule asks whether any offer came between the case's start and a month's deadline:
    the earliest offer answers that for every month, so the sessions hold it alone (thousands of
    offers asserted into every slice held hundreds of MB). The offer of 1 April meets March's
    credit; April's deadline (mid-May) has passed before the later offers, yet they are not needed:
    the earliest lies in April's window too. The report is the one with every offer."""
    terms = contract(clause("§3.1", "availability", target_percent=99.9), clause("§5", "compensation"))
    raws = [*_many_services(), _offer(721), _offer(24 * 75, "s4.de"), _offer(24 * 76), _offer(24 * 77),
            event(24 * 90, "clock")]
    filtered, every, kept = _offers_filtered_and_all(library, raws, terms, monkeypatch)
    assert kept == [1]
    assert filtered == every
    service_level = {(o.service, o.status) for o in Report.model_validate_json(every).outcomes
                     if o.rule == "no-compensation" and o.incident is None}
    assert {status for _, status in service_level} == {"met"}


def test_an_offer_too_late_for_a_month_is_not_taken_for_its_earliest(library, monkeypatch):
    """March's credit is owed with no offer by mid-April; the offers that follow meet April's. The
    filter keeps the first of them, which decides both months as all of them would."""
    terms = contract(clause("§3.1", "availability", target_percent=99.9), clause("§5", "compensation"))
    raws = [*_many_services(), _offer(24 * 50), _offer(24 * 51), event(24 * 90, "clock")]
    filtered, every, kept = _offers_filtered_and_all(library, raws, terms, monkeypatch)
    assert kept == [1]
    assert filtered == every
    assert [v.rule for v in Report.model_validate_json(every).violations].count("no-compensation") == 1


def test_every_offer_is_held_where_a_window_starts_at_the_trigger(tmp_path, library, monkeypatch):
    """A window that opens at the month's trigger may exclude the earliest offer and include a later
    one: then no offer can be left out."""
    import shutil

    from pactwatch import load_rules

    root = tmp_path / "rules"
    shutil.copytree(library.directory, root)
    path = root / "no-compensation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[::-1].replace("from: case_start"[::-1], "from: trigger"[::-1], 1)[::-1], encoding="utf-8")
    terms = contract(clause("§3.1", "availability", target_percent=99.9), clause("§5", "compensation"))
    raws = [*_many_services(), _offer(5), _offer(721), _offer(24 * 75), event(24 * 90, "clock")]
    filtered, every, kept = _offers_filtered_and_all(load_rules(root), raws, terms, monkeypatch)
    assert kept == [3]
    assert filtered == every


@pytest.mark.parametrize(("pattern", "decides"), [
    ({"role": "offer", "match": {"actor": "vendor", "offers_compensation": True}}, True),
    ({"role": "offer", "match": {"actor": {"in": ["vendor", "partner"]}, "kind": {"exists": True}}}, True),
    ({"role": "offer", "match": {"actor": "vendor"}, "window": {"from": "trigger"}}, False),
    ({"role": "offer", "match": {"actor": "vendor"}, "same": ["service"]}, False),
    ({"role": "offer", "match": {"service": "$trigger.service"}}, False),
    ({"role": "offer", "match": {"amount": {"gt": 10}}}, False),  # holds and durable_rules may differ on a missing field
    ({"role": "offer", "match": {"actor": {"in": "$params.actors"}}}, False),
])
def test_the_earliest_offer_decides_only_in_a_window_open_since_the_case_began(pattern, decides):
    from pactwatch.evaluation.service_level import _earliest_decides
    from pactwatch.rules.schema import Pattern

    assert _earliest_decides(Pattern.model_validate(pattern)) is decides
