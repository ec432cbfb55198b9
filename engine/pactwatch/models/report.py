"""The report: violations with evidence, clauses and remedies, plus what was read."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from ._base import Frozen

__all__ = [
    "Evidence", "Waived", "Exempted", "Clause", "Remedy", "Violation", "Pending", "Rejection", "FileSummary",
    "InputSummary", "Report", "CaseDetail", "Marker", "OutageSpan", "MonthAvailability", "ServiceMonth",
    "Outcome"
]

Severity = Literal["low", "medium", "high", "critical"]




class Evidence(Frozen):
    event: str = Field(description="Event id.")
    type: str
    at: str = Field(description="Event time, RFC 3339 UTC.")
    role: str = Field(description="trigger, the condition that matched, or context shown for information.")
    service: str | None = None
    actor: str | None = None
    text: str | None = Field(None, description="Quoted message text, as received.")
    data: dict[str, object] = Field(default_factory=dict, description="The event's type-specific data.")
    reading: Literal["reviewed", "uncertain"] | None = Field(None, description=(
        "How the text was read: confirmed by a reviewer, or with low confidence and not reviewed (pactwatch review)."))


class Clause(Frozen):
    id: str
    title: str


class Remedy(Frozen):
    kind: str
    text: str
    amount: Decimal | None = Field(None, description=(
        "For a service credit: the amount owed, exact, rounded to the currency's minor unit (a string in JSON, e.g. \"49.90\")."))
    currency: str | None = None
    claim_by: str | None = Field(None, description=(
        "For a service credit whose contract sets a claim period: the last day to claim it (ISO date, contract timezone)."))


class Waived(Frozen):
    justification: str
    expires: str | None = None
    severity_was: str | None = Field(None, description="The rule's own severity, when the waiver changed it.")


class Exempted(Frozen):
    """A contract carve-out that covers the finding: the rule matched, the contract allows it."""

    clause: str | None = Field(description="The clause that grants the carve-out (none when only a default grants it).")
    title: str | None = None
    param: str = Field(description="The contract parameter that lists the exempt cases, e.g. exempt_reasons.")
    value: str = Field(description="What the evidence showed, e.g. attack.")


class Violation(Frozen):
    id: str = Field(description="Stable hash of rule id, case and evidence event ids.")
    rule: str
    title: str
    severity: Severity
    concept: str
    vendor: str
    services: list[str]
    incident: str | None
    at: str = Field(description="Event time of detection, RFC 3339 UTC.")
    summary: str
    statement: str | None = Field(None, description=(
        "The breach as a demand letter states it, in the contract's language, with the finding's figures."))
    evidence: list[Evidence]
    clauses: list[Clause]
    unmapped: bool = Field(description="True when no contract clause covers the rule's concept.")
    params: dict[str, object] = Field(description="Contract parameters the rule applied.")
    remedies: list[Remedy]
    waived: Waived | None = Field(None, description="Set when a contract waiver switched the rule off or changed its severity.")
    exempted: Exempted | None = Field(None, description=(
        "Set when a carve-out of the contract covers the finding (e.g. suspension without notice during an attack): "
        "listed with its evidence, not counted."))
    unconfirmed: list[str] = Field(default_factory=list, description=(
        "Events the finding rests on whose text was read with low confidence and not reviewed."))


class Pending(Frozen):
    """An obligation whose deadline had not passed when the case ended: not (yet) a violation."""

    rule: str
    vendor: str
    incident: str | None
    trigger: str
    due: str


class Outcome(Frozen):
    """What became of one obligation in one case (and for one service, where it is about one)."""

    rule: str
    vendor: str
    incident: str | None
    service: str | None = None
    status: Literal["violated", "met", "pending", "not_applicable", "not_assessable", "exempted", "waived"]
    reason: str | None = Field(None, description="Why: what the rule applied to, the deadline, what evidence is missing.")
    violation: str | None = Field(None, description="The violation's id, for violated, exempted and waived.")
    due: str | None = Field(None, description="For pending: when the deadline passes (RFC 3339 UTC).")


class Rejection(Frozen):
    file: str
    line: int | None
    field: str | None
    code: str
    reason: str


class FileSummary(Frozen):
    path: str
    events: int
    rejected: int


class InputSummary(Frozen):
    files: list[FileSummary]
    events_read: int
    events_accepted: int
    duplicates: int
    unknown_types: int
    rejected: list[Rejection]
    digest: str = Field(description="sha256 over the accepted events in canonical order.")
    after_as_of: int = Field(0, description="Events later than the report's as_of: not yet known at that instant, not evaluated.")


class Marker(Frozen):
    """An event on the timeline."""

    event: str
    at: str
    type: str
    services: list[str]
    actor: str | None = None
    text: str | None = None
    flags: list[str] = Field(default_factory=list, description="up, down, claims-resolution, apology, regret, boilerplate")


class OutageSpan(Frozen):
    service: str
    start: str
    end: str
    cause: str
    cause_type: str


class MonthAvailability(Frozen):
    service: str
    month: str
    percent: float
    downtime_hours: float


class ServiceMonth(Frozen):
    """Availability of one service in one calendar month (contract timezone), across every case of the run."""

    vendor: str
    service: str
    month: str
    percent: float
    downtime_hours: float
    excluded_hours: float = Field(0.0, description="Downtime inside announced maintenance windows the contract excludes.")
    incidents: list[str] = Field(default_factory=list, description="The incidents whose outages fell into the month.")


class CaseDetail(Frozen):
    """What a case looked like, for timelines, letters and scorecards (``--detail``)."""

    vendor: str
    incident: str | None
    start: str
    end: str
    events: int
    markers: list[Marker]
    outages: list[OutageSpan]
    availability: list[MonthAvailability]
    first_complaint: str | None = Field(None, description="Time of the first customer complaint.")
    first_response: str | None = Field(None, description="First vendor message or referral after that complaint.")
    apologised: bool = Field(description="A vendor message contained an explicit apology.")
    impact: bool = Field(description="The case had an outage or a customer complaint.")


class FailedCase(Frozen):
    """A case the engine could not evaluate: its worker process died twice on it, or pactwatch faulted."""

    case: str = Field(description="vendor/incident of the case.")
    reason: str


class Report(Frozen):
    pactwatch_version: str
    ruleset_hash: str
    contract: str
    vendor: str
    customer: str
    input: InputSummary
    counts: dict[str, int] = Field(description="Violations by severity (waived-off ones under 'waived', carved-out ones under 'exempted').")
    violations: list[Violation]
    pending: list[Pending]
    outcomes: list[Outcome] = Field(default_factory=list, description=(
        "One per (rule, case, service): violated | met | pending | not_applicable | not_assessable | exempted | waived."))
    availability: list[ServiceMonth] = Field(default_factory=list, description=(
        "Every service-month with downtime: outages merged per service across cases (overlaps count once)."))
    as_of: str | None = Field(None, description=(
        "The instant the case was evaluated as of (RFC 3339 UTC): every deadline up to it is decided, later ones are pending."))
    cases: list[CaseDetail] | None = Field(None, description="Per-case detail, only when asked for (timeline, scorecard).")
    failed: list[FailedCase] = Field(default_factory=list, description=(
        "Cases that could not be evaluated (an internal error): their findings are missing, every other case's "
        "are here. Present only when there are any; the command then exits 3."))

    def to_json(self) -> str:
        exclude = {name for name, empty in (("cases", self.cases is None), ("failed", not self.failed)) if empty}
        return self.model_dump_json(indent=2, exclude=exclude or None) + "\n"
