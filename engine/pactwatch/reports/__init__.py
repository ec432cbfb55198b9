"""Renderers: interchangeable last stages over the same :class:`Report`.

A renderer is a plain callable ``(report, contract) -> str``; adding a format means
adding one function to :data:`RENDERERS`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..models.contract import Contract
from ..models.report import Report
from .json import render_json
from .text import render_text

__all__ = ["RENDERERS", "Renderer", "render_json", "render_text"]

Renderer = Callable[[Report, Contract], str]

RENDERERS: dict[str, Renderer] = {"json": render_json, "text": render_text}
