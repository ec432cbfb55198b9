"""Service credits: the contract's tiers applied to the monthly fee."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from .. import i18n
from ..enrich.outages import month_end
from ..money import format_amount, quantize

__all__ = ["service_credit"]


def service_credit(params: dict[str, Any], availability_percent: float, month: str, monthly_fee: Decimal,
                   currency: str, tz: str, language: str = "en") -> dict[str, Any]:
    """Credit owed for one service-month: the tier with the lowest threshold the month falls below."""
    applicable = [t for t in params.get("tiers", []) if availability_percent < t["below_percent"]]
    percent = max((t["credit_percent"] for t in applicable), default=0.0)
    # The percentage as written in the contract (10, 12.5), exactly; rounded once, at the end.
    amount = quantize(Decimal(monthly_fee) * Decimal(str(percent)) / 100, currency)
    values: dict[str, Any] = {"credit_percent": percent, "credit_amount": format_amount(amount, currency, language),
                              "currency": currency, "monthly_fee": format_amount(monthly_fee, currency, language),
                              "credit_money": i18n.money(amount, currency, language),
                              "monthly_fee_money": i18n.money(monthly_fee, currency, language),
                              "claim_deadline": i18n.text(language, "no_claim_deadline"),
                              "_amount": amount}
    days = params.get("claim_within_days") or 0
    if days:
        # the last day on which the claim is in time ("bis 30. April 2026"), not the instant after it
        last = (month_end(month, tz) + timedelta(days=days, seconds=-1)).date()
        values["claim_deadline"] = i18n.day(last, language)
        values["_claim_by"] = last.isoformat()
    return values
