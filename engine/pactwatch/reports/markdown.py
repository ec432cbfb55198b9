"""The incident report as Markdown, for tickets and wikis."""

from __future__ import annotations

from ..models.contract import Contract
from ..models.report import Report
from ._common import context, markdown_environment

__all__ = ["render_markdown"]


def render_markdown(report: Report, contract: Contract) -> str:
    return markdown_environment().get_template("report.md.j2").render(**context(report, contract))
