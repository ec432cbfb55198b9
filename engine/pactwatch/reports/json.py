"""The full report as JSON: the form procurement tools consume."""

from __future__ import annotations

from ..models.contract import Contract
from ..models.report import Report

__all__ = ["render_json"]


def render_json(report: Report, contract: Contract) -> str:
    return report.to_json()
