"""Numbers, money, dates, spans and lists by locale (Babel/CLDR), and wording only in the catalogs."""

import ast
import locale
from datetime import date, datetime
from pathlib import Path

import pytest

from pactwatch import i18n
from pactwatch._template import fill

ENGINE = Path(i18n.__file__).resolve().parent


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


@pytest.mark.parametrize(("lang", "expected"), [
    ("de", ("49,90\u00a0€", "1.234,50\u00a0€", "99,9\u00a0%", "90,92\u00a0%", "1.234,57")),
    ("en", ("€49.90", "€1,234.50", "99.9%", "90.92%", "1,234.57")),
])
def test_money_percent_and_numbers(lang, expected):
    assert (i18n.money(49.9, "EUR", lang), i18n.money(1234.5, "EUR", lang), i18n.percent(99.9, lang),
            i18n.percent(90.915, lang), i18n.number(1234.567, lang)) == expected


def test_money_is_rounded_half_up_in_the_currencys_minor_unit():
    format_money = i18n.money

    assert format_money(12.475, "EUR", "en") == "€12.48"  # Babel alone would round half to even
    assert format_money(1234.5, "JPY", "en") == "JP¥1,235"
    assert format_money(1.2345, "BHD", "de").startswith("1,235")


@pytest.mark.parametrize(("stamp", "tz", "lang", "expected"), [
    ("2026-03-02T06:55:00+00:00", "Europe/Berlin", "de", "Mo., 2. März 2026, 07:55 MEZ"),
    ("2026-03-02T06:55:00+00:00", "Europe/Berlin", "en", "Mon 2 March 2026, 07:55 CET"),
    ("2026-03-29T01:30:00+00:00", "Europe/Berlin", "de", "So., 29. März 2026, 03:30 MESZ"),  # after the switch
    ("2026-06-26T00:41:00+00:00", "Europe/London", "en", "Fri 26 June 2026, 01:41 BST"),
    ("2026-03-02T06:55:00+00:00", "Asia/Dubai", "en", "Mon 2 March 2026, 10:55 UTC+04"),
    ("2026-03-02T06:55:00+00:00", "Asia/Kolkata", "de", "Mo., 2. März 2026, 12:25 IST"),
])
def test_moments_in_the_contract_zone(stamp, tz, lang, expected):
    assert i18n.moment(_epoch(stamp), tz, lang) == expected


def test_dates_do_not_depend_on_the_process_locale():
    before = locale.setlocale(locale.LC_TIME)
    try:
        for name in ("de_DE.UTF-8", "C.UTF-8", "C"):
            try:
                locale.setlocale(locale.LC_TIME, name)
            except locale.Error:
                continue
            assert i18n.moment(_epoch("2026-03-02T06:55:00+00:00"), "Europe/Berlin", "en") == "Mon 2 March 2026, 07:55 CET"
    finally:
        locale.setlocale(locale.LC_TIME, before)


def test_days_months_spans_and_lists():
    assert (i18n.day(date(2026, 3, 2), "de"), i18n.day(date(2026, 3, 2), "en")) == ("2. März 2026", "2 March 2026")
    assert (i18n.month("2026-03", "de"), i18n.month("2026-03", "en"), i18n.month("March", "en")) == ("März 2026", "March 2026", "March")
    assert [i18n.duration(h, "de") for h in (720, 72, 24, 9.5, 0.5, 1)] == [
        "30 Tage", "3 Tage", "24 Stunden", "9,5 Stunden", "30 Minuten", "1 Stunde"]
    assert [i18n.duration(h, "en") for h in (720, 24, 9.5, 1)] == ["30 days", "24 hours", "9.5 hours", "1 hour"]
    assert i18n.duration(72, "de", "von") == "3 Tagen" and i18n.duration(72, "en", "within") == "3 days"
    assert (i18n.listing(["a", "b", "c"], "de"), i18n.listing(["a", "b"], "en"), i18n.listing(["a"], "de")) == (
        "a, b und c", "a and b", "a")


def test_rule_templates_write_numbers_spans_and_lists_by_language():
    values = {"h": 72.0, "p": 99.9, "s": ["a.de", "b.de"], "n": 3.5}
    assert fill("innerhalb von {h} h, {p} %, {s}, {n}", values, "de") == "innerhalb von 3 Tagen, 99,9\u00a0%, a.de und b.de, 3,5"
    assert fill("within {h} h, {p} %, {s}, {n}", values, "en") == "within 3 days, 99.9%, a.de and b.de, 3.5"
    assert fill("{missing} h", values, "de") == "{missing} h"  # unknown placeholders stay visible


def test_both_catalogs_have_the_same_message_ids_and_no_empty_text():
    de, en = i18n.catalog("de"), i18n.catalog("en")
    assert set(de) == set(en) and len(de) > 100
    assert all(v.strip() for v in (*de.values(), *en.values()))
    assert i18n.text("de", "letter.closing") == "Mit freundlichen Grüßen"
    assert i18n.text("fr", "letter.closing") == "Yours faithfully,"  # unknown language: English
    assert i18n.text("de", "no.such.id") == "no.such.id"


#: modules that write what users read: their words come from the catalogs, never from code
_WRITERS = ["reports", "remedies", "evaluation", "importers/casefolder.py", "money.py", "i18n.py", "_time.py"]


def _code_strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_no_german_wording_in_the_python_that_writes_reports_and_letters():
    files = [p for w in _WRITERS for p in ((ENGINE / w).rglob("*.py") if (ENGINE / w).is_dir() else [ENGINE / w])]
    assert len(files) > 10
    german = {"und", "der", "die", "das", "nicht", "Sie", "Frist", "Gutschrift", "Tage", "Stunden", "Keine"}
    found = [(p.name, s) for p in files for s in _code_strings(p)
             if any(c in s for c in "äöüÄÖÜß") or german & set(s.replace(",", " ").split())]
    assert found == []


def test_days_agree_with_their_number_and_case():
    assert fill("{n} Tage später", {"n": 1.0}, "de") == "1 Tag später"
    assert fill("{n} Tage später", {"n": 7.0}, "de") == "7 Tage später"
    assert fill("innerhalb von {n} Tagen", {"n": 7.0}, "de") == "innerhalb von 7 Tagen"
    assert fill("{n} days later", {"n": 1.0}, "en") == "1 day later"
    assert fill("{n} Tage danach", {"n": 7.6215}, "de") == "7,6 Tage danach"
