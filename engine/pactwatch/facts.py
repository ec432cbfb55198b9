"""The flat records the rules see: one fact per (event, affected service).

durable_rules matches flat JSON objects best, so an event's ``data`` fields are lifted to
the top level, timestamps become epoch seconds, list-valued ``services`` fan out into one
fact per service, and message analysis adds its verdicts. This is the vocabulary a rule
file may name in ``match`` (checked when rules load).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ._time import stamp_epoch
from .enrich.outages import maintenance_window

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .enrich.messages import Analysis as MessageAnalysis
    from .enrich.messages import MessageAnalyzer
    from .enrich.outages import OutageTracker
    from .enrich.review import Annotation
    from .models.events import Event

__all__ = ["CROSS_CASE_FIELDS", "FACT_FIELDS", "TIME_FIELDS", "build_facts"]

#: Fields a rule may test, with what they hold (rendered in docs/rule-authoring.md).
FACT_FIELDS: dict[str, str] = {
    "type": "event type",
    "vendor": "vendor name",
    "service": "affected service (one per fact; list-valued data.services fan out)",
    "incident": "case id as given",
    "actor": "vendor | customer | monitor",
    "source": "where the evidence came from",
    "lang": "language of text (given or detected)",
    "at": "event time, epoch seconds",
    "kind": "data.kind (notice, change, message and compensation kinds)",
    "deadline": "data.deadline of a notice, epoch seconds",
    "reason": "data.reason of a suspension",
    "reason_kind": "of a suspension: attack | legal-order | security-emergency | abuse | non-payment | resource-overuse (data.reason_kind, else read from the stated reason and text)",
    "change": "data.change id",
    "host": "data.host",
    "result": "data.result of a host test: pass | fail",
    "check": "data.check of a probe",
    "up": "data.up of a probe: true | false",
    "detail": "data.detail of a probe",
    "state_change": "data.state_change of a probe: the monitor records only changes of state",
    "status": "data.status of a status claim",
    "in_reply_to": "data.in_reply_to of a message",
    "channel": "data.channel of a message",
    "to": "data.to of a referral",
    "amount": "data.amount of a compensation offer",
    "currency": "data.currency of a compensation offer",
    "apology": "message analysis: explicit | regret-only | none",
    "claims_resolution": "message analysis or status claim: the text claims the problem is resolved",
    "quote": "message analysis: the sentence in which the finding (claim or apology) stands",
    "opens_outage": "true on the event that takes a service down (suspension, host failure, first failing probe)",
    "boilerplate": "message analysis: stock phrases that answer no question",
    "states_cause": "message analysis: the text names a cause",
    "states_measure": "message analysis: the text names a measure taken or to be taken",
    "referral": "message analysis: the text sends the customer elsewhere",
    "offers_compensation": "message analysis (or a compensation.offered event): compensation is offered",
    "requests_compensation": "message analysis: the customer asks for compensation",
    "admits_fault": "message analysis: the author admits a fault",
    "commitment_at": "message analysis: when the promised restoration is due, epoch seconds (contract timezone applied)",
    "commitment_quote": "message analysis: the sentence with the restoration promise",
    "commitment_kind": "message analysis: the kind of the first promise: restoration | update | report | callback | credit | visit | other",
    "update_due_at": "message analysis: when a promised status update or call is due, epoch seconds",
    "update_quote": "message analysis: the sentence promising the update or call",
    "report_due_at": "message analysis: when a promised written report (root cause, post-mortem, incident report) is due, epoch seconds",
    "report_quote": "message analysis: the sentence promising the report",
    "delivers_report": "message analysis: a sentence hands a report over (\"please find attached the post-mortem\", \"anbei der Störungsbericht\") and the text promises no report itself",
    "regret_quote": "message analysis: the sentence expressing regret (without apology)",
    "boilerplate_quote": "message analysis: the first boilerplate sentence",
    "referral_quote": "message analysis: the sentence referring the customer elsewhere",
    "last_outage_at": "start of the service's latest outage (open or over), epoch seconds",
    "closes_outage": "true on the event that ends a service's outage (restoration, first passing probe)",
    "outage_kind": "for opens_outage: suspension | failure",
    "notice_at": "service.suspended: when the latest warning or suspension notice for the service (or naming none) in the case came, epoch seconds",
    "planned": "for opens_outage: the outage began inside a maintenance window announced before it started (notice.sent kind maintenance with starts and ends)",
    "overruns_maintenance": "true on the first event of a service past the end of the announced window its outage began in, while it is still down or just coming back",
    "change_target": "for opens_outage on a host that received a change: whether the service was one of the change's targets (requested, or else deployed to)",
    "down_since": "start of the service's current outage, epoch seconds",
    "availability_percent": "availability.month facts: availability of the service in the month",
    "downtime_hours": "availability.month facts: downtime of the service in the month",
    "month": "availability.month facts: YYYY-MM in the contract timezone",
    "month_end": "availability.month facts: the end of the month (epoch seconds), when a credit for it falls due",
    "incidents": "availability.month facts: the incidents whose outages fell into the month, comma-separated",
    "days_since_previous_outage": "for opens_outage: days since the previous outage of the same service and kind (any case)",
    "previous_outage": "for opens_outage: when the previous outage of the same service and kind began",
    "monitor_down": "true when a monitor that records only changes of state (probe data.state_change) shows the service down at this event's time",
    "hours_up_before": "for opens_outage after an earlier one: hours the service had been up since its last outage ended (any case)",
    "claimed_services_inferred": "true when a resolution claim named no service and the open outages were assumed",
    "auto_ack": "messages, referrals and compensation offers: an automatic message (data.auto, or the text reads as an auto-reply and states no cause, measure, admission, claim, referral or offer)",
    "reading": "message analysis: uncertain (a low-confidence reading, not reviewed) | reviewed (a reviewer's reading applies)",
    "uncertain": "message analysis: categories read as present with low confidence (a sentence just over the line), comma-separated",
    "doubtful": "message analysis: categories read as absent with low confidence (a sentence just below the line), comma-separated",
    "claim_scope": "message analysis: what a resolution claim is about: services (named in it) | general | component",
    "claim_component": "message analysis: the component a claim is limited to (\"infrastructure\", \"dashboard\")",
}

#: the fact fields message analysis sets, by the category they come from: a rule that asks for
#: their absence rests on every sentence where that category was doubtful
CATEGORY_FIELDS = {"apology": "apology", "claims_resolution": "resolution_claim", "boilerplate": "boilerplate",
                   "states_cause": "cause", "states_measure": "measure", "referral": "referral",
                   "offers_compensation": "compensation_offer", "requests_compensation": "compensation_request",
                   "admits_fault": "admission", "commitment_kind": "commitment", "commitment_at": "commitment",
                   "update_due_at": "commitment", "report_due_at": "commitment"}

#: fields known only once every case has been evaluated: the second stage sets them on the
#: outage-opening facts of all cases (``_Run._repeats``, evaluation/engine.py)
CROSS_CASE_FIELDS = frozenset({"days_since_previous_outage", "previous_outage", "hours_up_before"})

TIME_FIELDS = frozenset({"at", "notice_at", "deadline", "commitment_at", "update_due_at", "report_due_at", "down_since", "last_outage_at", "month_end"})

_SCALAR = (str, int, float, bool)

#: what a person answers and a machine does not: a message that says any of it is no automatic
#: acknowledgement, whatever receipt phrase it opens with ("Wir haben Ihre Nachricht erhalten … Die
#: Ursache lag in einem fehlerhaften Kernel-Update.")
_SUBSTANCE = ("claims_resolution", "states_cause", "states_measure", "admits_fault", "offers_compensation",
              "referral")


def build_facts(event: Event, epoch: float, analyzer: MessageAnalyzer, tracker: OutageTracker,
                tz: str = "UTC", reviewed: Sequence[Annotation] = (),
                analysis: MessageAnalysis | None = None) -> list[dict[str, Any]]:
    """The facts of one event, enriched; updates the case's outage tracker.

    Runs once per event (most of them probes without text), so it builds each record
    once and copies it only to fan it out over several services. ``analysis``: the event's
    text already read (with ``reviewed``), see evaluation/lookahead.py.
    """
    data = event.data
    listed = data.get("services")
    services = ([event.service] if event.service else []) if not listed else \
        list(dict.fromkeys([*([event.service] if event.service else []), *listed]))
    base: dict[str, Any] = {"pw": "ev", "ev": event.id, "at": epoch, "type": event.type}
    for key, value in (("vendor", event.vendor), ("incident", event.incident), ("actor", event.actor),
                       ("source", event.source), ("lang", event.lang)):
        if value is not None:
            base[key] = value
    for key, value in data.items():
        if isinstance(value, _SCALAR):  # lists (services, checks, attachments) are not comparable
            base[key] = stamp_epoch(value) if key == "deadline" else value
    if event.text:
        if analysis is None:
            analysis = analyzer.analyze(event.text, event.lang, reviewed, event.actor)
        outage_open = bool(tracker.down()) and event.actor == "vendor"
        for key, value in analysis_fields(analysis, epoch, tz, outage_open).items():
            if isinstance(value, _SCALAR):
                base[key] = value
        if base.get("claims_resolution") and not listed:
            named = _named_services(analysis, tracker)
            if named:
                services = list(dict.fromkeys([*services, *named]))
                base["claim_scope"] = "services"
    if event.type == "service.suspended":
        kind = data.get("reason_kind") or analyzer.reason_kind(" \n".join(t for t in (data.get("reason"), event.text) if t))
        if kind:
            base["reason_kind"] = kind
    if event.type == "status.claimed":
        base["claims_resolution"] = data.get("status") == "resolved"
        base["quote"] = (event.text or "").strip() or "status: resolved"
    elif event.type == "compensation.offered":
        base["offers_compensation"] = True
    if event.type in ("message.sent", "referral", "compensation.offered"):  # what can answer a complaint
        base["auto_ack"] = bool(data.get("auto")) or (event.actor == "vendor" and bool(event.text)
                                                     and not any(base.get(f) for f in _SUBSTANCE)
                                                     and analyzer.is_auto_reply(event.text or ""))
    if (base.get("claims_resolution") or "commitment_at" in base) and not services and event.actor != "customer" \
            and base.get("claim_scope") != "component":
        # A claim or promise that names no service refers to what is down now (or else to everything seen).
        services = tracker.down() or tracker.seen()
        base["claimed_services_inferred"] = True
    read = analyzer.window(event.text, epoch, tz) if event.type == "notice.sent" and event.text \
        and data.get("kind") == "maintenance" and not data.get("starts") else None
    if read is not None:
        base["window_starts"], base["window_ends"] = read
    window = maintenance_window(event.type, data, event.service, epoch, event.id or "", read)
    if window is not None:
        tracker.note_maintenance(window)
    if event.type == "notice.sent" and data.get("kind") in ("warning", "suspension"):
        tracker.note_notice(event.service, epoch)
    if event.type in ("change.requested", "change.completed"):
        tracker.note_change(event.type, data.get("change"), data.get("host"), services)
    elif event.type == "probe":
        tracker.note_check(services, data.get("check"))
    opened, closed = tracker.observe(event.type, services, epoch, data.get("up"), event.id or "", data.get("host"),
                                     bool(data.get("state_change")))
    facts = event_facts(base, services)
    for fact in facts:
        svc = fact.get("service")
        if svc is None:
            continue
        if opened and svc in opened:
            fact["opens_outage"] = True
            fact["outage_kind"] = _OUTAGE_KIND.get(event.type, "failure")
            fact["planned"] = tracker.planned(svc)
            host = data.get("host") or tracker.host_of(svc)
            target = tracker.change_target(svc, host) if host else None
            if target is not None:
                fact["change_target"] = target
        if event.type == "service.suspended" and (noticed := tracker.notice_before(svc, epoch)) is not None:
            fact["notice_at"] = noticed
        if closed and svc in closed:
            fact["closes_outage"] = True
        if svc in tracker.overran:
            fact["overruns_maintenance"] = True
        since = tracker.down_since(svc)
        if since is not None:
            fact["down_since"] = since
            if tracker.held_down(svc):
                fact["monitor_down"] = True
        last = tracker.last_outage_start(svc)
        if last is not None:
            fact["last_outage_at"] = last
        if "host" not in fact:
            host = tracker.host_of(svc)
            if host:
                fact["host"] = host
    return facts


def _named_services(analysis: MessageAnalysis, tracker: OutageTracker) -> list[str]:
    """The case's services (seen or down) that the sentences of a resolution claim name: by
    their name, else by their kind ("Ihre Webseite ist wieder online" is about the web
    services, not the mail service still being restored)."""
    text = " ".join(analysis.claim_sentences()).lower()
    known = sorted(set(tracker.seen()) | set(tracker.down()))
    named = [svc for svc in known if svc.lower() in text]
    if named:
        return named
    kinds = analysis.claim_kinds()
    return [svc for svc in known if tracker.kinds(svc) & kinds] if kinds else []


_OUTAGE_KIND = {"service.suspended": "suspension", "host.failed": "failure", "probe": "failure"}


def analysis_fields(analysis: MessageAnalysis, at: float, tz: str, outage_open: bool = False) -> dict[str, Any]:
    """What message analysis contributes to a fact (see FACT_FIELDS).

    ``outage_open``: the vendor writes while a service is down. A promise with a time whose
    words name no kind ("outbound mail should be flowing normally by 1 pm") is then about
    the outage: restoration is what such a sentence forecasts, and a promise left as kind
    *other* would never be judged. Update, report, callback, credit and visit promises keep their kind.

    A promised call is a promised update by telephone: the vendor's next message or logged call
    keeps it, so it sets ``update_due_at`` as an update promise does (the first such promise in the text).
    A promised report sets ``report_due_at``: no message proves it as such, but the report names the
    cause, which is what ``missed-report`` looks for.
    """
    out: dict[str, Any] = {
        "lang": analysis.lang,
        "apology": analysis.apology,
        "claims_resolution": analysis.claims_resolution,
        "boilerplate": analysis.has("boilerplate"),
        "states_cause": analysis.has("cause"),
        "states_measure": analysis.has("measure"),
        "referral": analysis.has("referral"),
        "offers_compensation": analysis.has("compensation_offer"),
        "requests_compensation": analysis.has("compensation_request"),
        "admits_fault": analysis.has("admission"),
    }
    for field, category in (("quote", "resolution_claim"), ("quote", "apology"), ("regret_quote", "regret"),
                            ("boilerplate_quote", "boilerplate"), ("referral_quote", "referral")):
        text = analysis.quote(category)
        if text and field not in out:
            out[field] = text
    promises = analysis.commitments(at, tz)
    if outage_open:
        promises = [replace(p, kind="restoration") if p.kind == "other" and p.due is not None else p for p in promises]
    if promises:
        out["commitment_kind"] = promises[0].kind
    # two times for the next update or the report ("bis 9 Uhr … Next update in 90 minutes"): the vendor is held to
    # the earlier one; a restoration promise keeps the first, which names the event's service
    for field, kinds, earliest in (("commitment", ("restoration",), False), ("update", ("update", "callback"), True),
                                   ("report", ("report",), True)):
        due = [p for p in promises if p.kind in kinds and p.due is not None]
        if not due:
            continue
        promise = min(due, key=lambda p: p.due or 0.0) if earliest else due[0]
        out["commitment_at" if field == "commitment" else f"{field}_due_at"] = promise.due
        out[f"{field}_quote"] = promise.quote
    out["delivers_report"] = "report_due_at" not in out and analysis.delivers_report()
    doubtful = [c for c in analysis.doubtful if not analysis.has(c)]
    if doubtful:
        out["doubtful"] = ",".join(doubtful)
    if analysis.uncertain or analysis.reviewed:
        out["reading"] = "uncertain" if analysis.uncertain else "reviewed"
    if analysis.uncertain:
        out["uncertain"] = ",".join(analysis.uncertain)
    if out["claims_resolution"]:
        scope, component = analysis.claim_scope()
        out["claim_scope"] = scope
        if component:
            out["claim_component"] = component
    amount = analysis.amount()
    if amount is not None:
        out["amount"], currency = amount
        if currency:
            out["currency"] = currency
    return out


def event_facts(base: dict[str, Any], services: list[str]) -> list[dict[str, Any]]:
    """Fan a flat event record out over its services (one fact when it names none); reuses ``base``."""
    if len(services) > 1:
        return [dict(base, service=svc, id=f"{base['ev']}@{svc}", ref=f"{base['ev']}@{svc}") for svc in services]
    if services:
        base["service"] = services[0]
        base["id"] = base["ref"] = f"{base['ev']}@{services[0]}"
    else:
        base["id"] = base["ref"] = base["ev"]
    return [base]
