"""Self-contained HTML incident report: inline CSS and SVG, printable on A4, no JavaScript."""

from __future__ import annotations

from ..models.contract import Contract
from ..models.report import Report
from ._common import context, environment
from .timeline import layout

__all__ = ["render_html"]


def render_html(report: Report, contract: Contract) -> str:
    """Every vendor and customer text passes through jinja2's autoescape."""
    timelines = [(case, layout(case, contract.timezone, language=contract.language)) for case in report.cases or []]
    return environment().get_template("report.html.j2").render(**context(report, contract), timelines=timelines)
