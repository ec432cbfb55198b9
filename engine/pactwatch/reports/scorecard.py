"""Vendor scorecard: many cases, per vendor — findings, availability, response, restoration, apologies, a score.

Pure functions over reports evaluated with per-case detail; the CLI does the reading.
Percentiles use the nearest-rank method: p90 of n values is the ⌈0.9·n⌉-th smallest.
"""

from __future__ import annotations

import csv
import io
import math
import statistics
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import Field, ValidationError

from .._time import parse_stamp, stamp_epoch
from .._validation import problems_from_validation
from .._yaml import load_yaml
from ..errors import PactwatchError
from ..models._base import Frozen
from ..models.contract import Contract
from ..models.report import Report
from ..remedies.waivers import is_active
from ._common import TEMPLATES, credit_total, environment, markdown_environment
from .escaping import csv_cell

__all__ = ["Weights", "VendorScore", "Scorecard", "build_scorecard", "load_weights", "nearest_rank", "render_scorecard"]




class Weights(Frozen):
    """How much each shortcoming costs the score (defaults in templates/scorecard-weights.yaml)."""

    severity: dict[str, float] = Field(default_factory=lambda: {"critical": 10.0, "high": 5.0, "medium": 2.0, "low": 1.0})
    availability: float = 5
    response: float = 5
    restoration: float = 5
    apology: float = 10


class MonthRow(Frozen):
    month: str
    cases: int
    findings: int
    weighted_findings: float
    worst_availability: float | None = Field(None, description="Lowest availability of any service that month (percent).")
    target: float | None = None


class VendorScore(Frozen):
    vendor: str
    contract: str
    cases: int
    findings: int
    by_rule: dict[str, int]
    by_severity: dict[str, int]
    credits_owed: Decimal
    currency: str
    response_hours_median: float | None
    response_hours_p90: float | None
    restoration_hours_median: float | None
    restoration_hours_p90: float | None
    apology_share: float | None = Field(description="Share of impacted cases with an explicit vendor apology.")
    availability_shortfall: float = Field(description="Mean shortfall below target per service-month, percentage points.")
    score: float
    months: list[MonthRow]
    pending: int = Field(0, description="Obligations whose deadline had not passed (at the end of the input, or as of).")


class Scorecard(Frozen):
    weights: Weights
    vendors: list[VendorScore]
    as_of: str | None = Field(None, description="The instant the cases were evaluated as of (RFC 3339 UTC), if given.")


def load_weights(path: Path | None = None) -> Weights:
    doc = load_yaml(path or TEMPLATES / "scorecard-weights.yaml")
    try:
        return Weights.model_validate(doc.data)
    except ValidationError as exc:
        raise PactwatchError(problems_from_validation(exc, code="weights-invalid", file=doc.file, line_of=doc.line_of)) from None


def nearest_rank(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _hours(a: str, b: str) -> float:
    return (stamp_epoch(b) - stamp_epoch(a)) / 3600


def _month(stamp: str, tz: str) -> str:
    return parse_stamp(stamp).astimezone(ZoneInfo(tz)).strftime("%Y-%m")


def _vendor(contract: Contract, report: Report, weights: Weights) -> VendorScore:
    cases = report.cases or []
    active = [v for v in report.violations if is_active(v)]
    by_rule = dict(sorted(Counter(v.rule for v in active).items()))
    by_severity = {s: sum(1 for v in active if v.severity == s) for s in ("critical", "high", "medium", "low")}
    weighted = sum(weights.severity.get(v.severity, 0) for v in active)
    responses = [_hours(c.first_complaint, c.first_response) for c in cases if c.first_complaint and c.first_response]
    restorations = [_hours(o.start, o.end) for c in cases for o in c.outages]
    impacted = [c for c in cases if c.impact]
    apology_share = round(sum(c.apologised for c in impacted) / len(impacted), 4) if impacted else None
    target = _target(contract)
    # Per service and month across cases (the report's), not per case: two incidents in one month are one month.
    service_months = [a for a in report.availability if a.vendor == contract.vendor]
    shortfall = (statistics.fmean(max(0.0, target - a.percent) for a in service_months)
                 if service_months and target is not None else 0.0)
    med_resp = statistics.median(responses) if responses else None
    med_rest = statistics.median(restorations) if restorations else None
    penalty = (weighted / len(cases) if cases else 0) + weights.availability * shortfall \
        + weights.response * (med_resp or 0) / 24 + weights.restoration * (med_rest or 0) / 24 \
        + weights.apology * (1 - apology_share if apology_share is not None else 0)
    months: dict[str, dict[str, Any]] = defaultdict(lambda: {"cases": 0, "findings": 0, "weighted": 0.0, "worst": None})
    tz = contract.timezone
    for c in cases:
        months[_month(c.start, tz)]["cases"] += 1
    for a in service_months:
        row = months[a.month]
        row["worst"] = a.percent if row["worst"] is None else min(row["worst"], a.percent)
    for v in active:
        row = months[_month(v.at, tz)]
        row["findings"] += 1
        row["weighted"] += weights.severity.get(v.severity, 0)
    credits = credit_total(active)
    return VendorScore(
        vendor=contract.vendor, contract=contract.id, cases=len(cases), findings=len(active), by_rule=by_rule,
        by_severity=by_severity, credits_owed=credits, currency=contract.currency,
        response_hours_median=_r(med_resp), response_hours_p90=_r(nearest_rank(responses, 0.9)),
        restoration_hours_median=_r(med_rest), restoration_hours_p90=_r(nearest_rank(restorations, 0.9)),
        apology_share=apology_share, availability_shortfall=round(shortfall, 4),
        score=round(min(100.0, max(0.0, 100 - penalty)), 1), pending=len(report.pending),
        months=[MonthRow(month=m, cases=r["cases"], findings=r["findings"], weighted_findings=r["weighted"],
                         worst_availability=r["worst"], target=target) for m, r in sorted(months.items())],
    )


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _target(contract: Contract) -> float | None:
    for clause in contract.clauses:
        if "availability" in clause.covers and "target_percent" in clause.params:
            return float(clause.params["target_percent"])
    return None


def build_scorecard(evaluated: list[tuple[Contract, Report]], weights: Weights) -> Scorecard:
    vendors = [_vendor(c, r, weights) for c, r in evaluated]
    as_of = next((r.as_of for _, r in evaluated if r.as_of), None)
    return Scorecard(weights=weights, vendors=sorted(vendors, key=lambda v: v.vendor), as_of=as_of)


def render_scorecard(card: Scorecard, fmt: str) -> str:
    """json | csv | md | html."""
    if fmt == "json":
        return card.model_dump_json(indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["vendor", "contract", "score", "cases", "findings", "critical", "high", "medium", "low",
                         "credits_owed", "currency", "response_hours_median", "response_hours_p90",
                         "restoration_hours_median", "restoration_hours_p90", "apology_share", "availability_shortfall"])
        for v in card.vendors:
            writer.writerow([csv_cell(c) for c in [v.vendor, v.contract, v.score, v.cases, v.findings, *v.by_severity.values(),
                             str(v.credits_owed), v.currency, *[("" if x is None else x) for x in (
                                 v.response_hours_median, v.response_hours_p90, v.restoration_hours_median,
                                 v.restoration_hours_p90, v.apology_share)], v.availability_shortfall]])
        return out.getvalue()
    env = environment() if fmt == "html" else markdown_environment()
    return env.get_template(f"scorecard.{'html' if fmt == 'html' else 'md'}.j2").render(sc=card)
