"""What every renderer shares: wording, times in contract time, totals, the jinja2 environment."""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .. import i18n
from .._time import format_local, stamp_epoch
from ..models.contract import Contract
from ..models.report import Report, Violation
from ..remedies.waivers import is_active
from .escaping import markdown_text, terminal_text

__all__ = ["words", "local", "credit_total", "environment", "markdown_environment", "text_environment", "clause_texts"]

TEMPLATES = Path(__file__).resolve().parent / "templates"


def words(language: str) -> dict[str, str]:
    """The report wording of a language by message id (the gettext catalogs, see ``i18n``)."""
    return {**i18n.catalog("en"), **i18n.catalog(language)}


def local(stamp: str, tz: str, language: str = "en") -> str:
    return format_local(stamp_epoch(stamp), tz, language)


def credit_total(violations: list[Violation]) -> Decimal:
    """Service credits owed by the findings that count (waived-off and carved-out ones do not)."""
    return sum((r.amount for v in violations if is_active(v) for r in v.remedies if r.amount is not None), Decimal(0))


def clause_texts(contract: Contract) -> dict[str, str]:
    return {c.id: c.text for c in contract.clauses}


def _environment(**options: Any) -> Environment:
    # S701: the HTML environment passes autoescape=True; Markdown and text escape by their own policy (escaping.py)
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,  # noqa: S701
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, **options)
    env.filters["md_cell"] = lambda text: (text or "").replace("\r", " ").replace("\n", " ")
    # {{ amount | money(currency, language) }}: "49,90 €" / "€49.90" (English where a template names no language)
    env.filters["money"] = lambda amount, currency, language="en": i18n.money(amount, currency, language)
    return env


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    """HTML templates: every expression autoescaped."""
    return _environment(autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False))


@functools.lru_cache(maxsize=1)
def markdown_environment() -> Environment:
    """Markdown templates: every expression passes through :func:`escaping.markdown_text`, except
    the templates' own trusted wording passed as ``Markup``."""
    return _environment(autoescape=False, finalize=lambda v: v if isinstance(v, Markup) else markdown_text(v))


@functools.lru_cache(maxsize=1)
def text_environment() -> Environment:
    """Plain-text templates: control characters shown, not sent."""
    return _environment(autoescape=False,
                        finalize=lambda v: terminal_text(v) if isinstance(v, str) and not isinstance(v, Markup) else v)


def context(report: Report, contract: Contract) -> dict[str, Any]:
    tz = contract.timezone
    return {"report": report, "contract": contract, "w": words(contract.language), "tz": tz,
            "local": lambda stamp: local(stamp, tz, contract.language), "credit_total": credit_total(report.violations),
            "clause_texts": clause_texts(contract)}
