"""One row per violation, for spreadsheets (cells a spreadsheet would run as formulas are neutralised)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TextIO

from ..models.contract import Contract
from ..models.report import Report, Violation
from .escaping import csv_cell

__all__ = ["render_csv", "write_csv", "COLUMNS"]

COLUMNS = ["id", "at", "rule", "title", "severity", "vendor", "incident", "services", "clauses", "summary", "remedies",
           "credit_amount", "currency", "waived", "evidence", "unconfirmed", "exempted"]


def render_csv(report: Report, contract: Contract) -> str:
    out = io.StringIO()
    write_csv(report.violations, out)
    return out.getvalue()


def write_csv(violations: Iterable[Violation], out: TextIO) -> None:
    """The rows, written as they come: a report on disk is written without holding its findings."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for v in violations:
        credit = next((r for r in v.remedies if r.amount is not None), None)
        writer.writerow([csv_cell(cell) for cell in [
            v.id, v.at, v.rule, v.title, v.severity, v.vendor, v.incident or "", "; ".join(v.services),
            "; ".join(f"{c.id} {c.title}" for c in v.clauses), v.summary, " | ".join(r.text for r in v.remedies),
            str(credit.amount) if credit else "", credit.currency if credit else "",
            v.waived.justification if v.waived else "", "; ".join(e.event for e in v.evidence),
            "; ".join(v.unconfirmed),
            f"{v.exempted.clause or ''} {v.exempted.param}={v.exempted.value}".strip() if v.exempted else "",
        ]])
