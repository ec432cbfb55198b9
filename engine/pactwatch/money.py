"""Money: exact decimal amounts, rounded and written by the currency's and the language's rules.

Credits are money a lawyer puts in a letter: ``Decimal``, never float, rounded half-up to the
currency's minor unit (0 for JPY, 2 for EUR, 3 for BHD, from CLDR via babel), and written as the
contract's language writes numbers ("1.234,50" in German, "1,234.50" in English).
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal, get_currency_precision, list_currencies

__all__ = ["minor_units", "quantize", "format_amount", "is_currency"]


@functools.lru_cache(maxsize=64)
def minor_units(currency: str) -> int:
    return int(get_currency_precision(currency))


def quantize(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)


def format_amount(amount: Decimal | float | int, currency: str, language: str = "en") -> str:
    """The number only (the caller adds the currency code where its sentence wants it)."""
    digits = minor_units(currency)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    from .i18n import locale_of

    return str(format_decimal(quantize(Decimal(str(amount)), currency), format=pattern, locale=locale_of(language)))


@functools.lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset(list_currencies())


def is_currency(code: str) -> bool:
    return code in _codes()
