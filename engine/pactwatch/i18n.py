"""Numbers, money, percentages, dates, durations and lists as the report's language writes them.

Everything goes through Babel's CLDR data, never through the process locale or ``strftime``:
the same report comes out byte for byte on any machine. A report is written in one of the
languages pactwatch has wording for (``de``, ``en``); the locale behind each is fixed here
(German as written in Germany, English as written in Britain and Ireland, where most of the
contracts this was built for are governed), so "49,90 €" / "€49.90", "99,9 %" / "99.9%",
"Mo., 2. März 2026, 07:55 MEZ" / "Mon 2 March 2026, 07:55 CET".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.lists import format_list
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.units import format_unit

__all__ = ["LANGUAGES", "LOCALES", "catalog", "text", "section", "locale_of", "number", "percent", "money", "moment", "day",
           "month", "duration", "days", "listing"]

#: the CLDR locale behind each report language
LOCALES = {"de": "de_DE", "en": "en_GB"}
LANGUAGES = tuple(LOCALES)

#: gettext catalogs (``locales/<lang>/LC_MESSAGES/pactwatch.po``), read with Babel
CATALOGS = Path(__file__).resolve().parent / "locales"

_PATTERNS = {
    "de": {"moment": "EEE, d. MMMM y, HH:mm", "day": "d. MMMM y", "tick": "EEE d.M."},
    "en": {"moment": "EEE d MMMM y, HH:mm", "day": "d MMMM y", "tick": "EEE d MMM"},
}

#: German prepositions that take the dative: "innerhalb von 3 Tagen", not "3 Tage"
_DATIVE = frozenset({"von", "mit", "binnen", "nach", "seit", "zu", "aus", "bei"})


@functools.lru_cache(maxsize=8)
def catalog(language: str) -> dict[str, str]:
    """All wording of one language, by message id (a stable key such as ``letter.closing``)."""
    lang = language if language in LOCALES else "en"
    with (CATALOGS / lang / "LC_MESSAGES" / "pactwatch.po").open("rb") as f:
        messages = read_po(f, locale=LOCALES[lang])
    return {str(m.id): str(m.string) for m in messages if m.id and m.string}


def text(language: str, key: str) -> str:
    """One message; English where the language lacks it, the id itself where both do (visible, not empty)."""
    return catalog(language).get(key) or catalog("en").get(key) or key


def section(language: str, prefix: str) -> dict[str, str]:
    """The messages under ``prefix.`` by the rest of their id: ``section("de", "letter.facts")["probe.down"]``."""
    start = prefix + "."
    merged = {k[len(start):]: v for k, v in catalog("en").items() if k.startswith(start)}
    merged.update({k[len(start):]: v for k, v in catalog(language).items() if k.startswith(start)})
    return merged


@functools.lru_cache(maxsize=8)
def locale_of(language: str) -> Locale:
    return Locale.parse(LOCALES.get(language, LOCALES["en"]))


def number(value: float | int | Decimal, language: str, digits: int = 2) -> str:
    """A number with at most ``digits`` decimals, grouped as the language groups thousands."""
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return str(format_decimal(value, format=pattern, locale=locale_of(language)))


def percent(value: float | int | Decimal, language: str, digits: int = 2) -> str:
    """``value`` is in per cent (99.9, not 0.999): "99,9 %" / "99.9%"."""
    base = locale_of(language).percent_formats[None].pattern  # "#,##0 %" / "#,##0%"
    pattern = re.sub(r"#,##0(?!\.)", "#,##0." + "#" * digits, base, count=1) if digits else base
    return str(format_percent(Decimal(str(value)) / 100, format=pattern, locale=locale_of(language)))


def money(amount: Decimal | float | int, currency: str, language: str) -> str:
    """An amount with its currency, rounded half up to the currency's minor unit (Babel alone would
    round half to even): "49,90 €" / "€49.90"."""
    from .money import quantize

    return str(format_currency(quantize(Decimal(str(amount)), currency), currency, locale=locale_of(language)))


def _zone(moment: datetime, language: str) -> str:
    """The zone's short name: CLDR's for German where it has one (MEZ, MESZ), else the tz database's
    abbreviation (CET, BST, EST), else the offset ("UTC+04")."""
    if language == "de":
        name = str(format_datetime(moment, "z", tzinfo=moment.tzinfo, locale=locale_of(language)))
        if name.isalpha():
            return name
    name = moment.tzname() or ""
    if name.isalpha():
        return name
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}" + (f":{rest:02d}" if rest else "")


def moment(seconds: float, tz: str, language: str) -> str:
    """A point in time in the contract's zone: "Mo., 2. März 2026, 07:55 MEZ"."""
    local = datetime.fromtimestamp(seconds, tz=UTC).astimezone(ZoneInfo(tz))
    text = format_datetime(local, _PATTERNS.get(language, _PATTERNS["en"])["moment"], tzinfo=local.tzinfo,
                           locale=locale_of(language))
    return f"{text} {_zone(local, language)}"


def day(d: date, language: str, form: str = "day") -> str:
    """A calendar day: "2. März 2026" / "2 March 2026"; ``form="tick"`` for an axis: "Mo. 2.3." / "Mon 2 Mar"."""
    return str(format_date(d, _PATTERNS.get(language, _PATTERNS["en"])[form], locale=locale_of(language)))


def month(text: str, language: str) -> str:
    """A calendar month "2026-03" as words: "März 2026" / "March 2026" (anything else unchanged)."""
    try:
        year, mon = (int(x) for x in text.split("-"))
        return str(format_date(date(year, mon, 1), "MMMM y", locale=locale_of(language)))
    except ValueError:
        return text


def duration(hours: float, language: str, before: str = "") -> str:
    """A span as a reader says it: whole days from two days up ("30 days", "3 Tage"), else hours
    ("9.5 hours"), minutes below an hour. ``before`` is the word in front of it, for German case
    ("innerhalb von 3 Tagen")."""
    loc = locale_of(language)
    if hours >= 48 and float(hours / 24).is_integer():
        return inflect(str(format_unit(int(hours // 24), "duration-day", locale=loc)), language, before)
    if 0 < hours < 1:
        minutes = round(hours * 60, 1)
        return str(format_unit(int(minutes) if float(minutes).is_integer() else minutes, "duration-minute", locale=loc))
    value: float | int = int(hours) if float(hours).is_integer() else round(hours, 2)
    return str(format_unit(value, "duration-hour", locale=loc))


def days(count: float, language: str, before: str = "") -> str:
    """A number of days, singular or plural and in the case the word before asks for: "1 Tag",
    "innerhalb von 7 Tagen", "1 day"."""
    value: float | int = int(count) if float(count).is_integer() else round(count, 1)
    return inflect(str(format_unit(value, "duration-day", locale=locale_of(language))), language, before)


def inflect(span: str, language: str, before: str) -> str:
    """A span after a German dative preposition takes the dative plural: "innerhalb von 3 Tagen",
    "binnen 2 Werktagen" (hours, minutes and weeks do not change)."""
    if language == "de" and before.lower() in _DATIVE and span.endswith("age"):
        return span + "n"
    return span


def listing(items: Sequence[str] | Iterable[str], language: str) -> str:
    """"a, b und c" / "a, b and c"."""
    items = list(items)
    return str(format_list(items, locale=locale_of(language))) if items else ""
