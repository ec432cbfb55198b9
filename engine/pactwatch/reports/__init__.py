"""Renderers: interchangeable last stages over the same :class:`Report`.

A renderer is a plain callable ``(report, contract) -> str``; adding a format means
adding one function to :data:`RENDERERS`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..models.contract import Contract
from ..models.report import Report
from .csv import render_csv
from .html import render_html
from .json import render_json
from .junit import render_junit
from .markdown import render_markdown
from .text import render_text

__all__ = ["RENDERERS", "Renderer", "DETAILED", "render_csv", "render_html", "render_json", "render_junit",
           "render_markdown", "render_text"]

Renderer = Callable[[Report, Contract], str]

RENDERERS: dict[str, Renderer] = {"json": render_json, "text": render_text, "html": render_html, "md": render_markdown,
                                  "csv": render_csv, "junit": render_junit}

#: Formats that show the timeline, so evaluation collects per-case detail for them.
DETAILED = frozenset({"html", "md", "pdf"})
