"""The demand letter: three reviewed letters as golden files, and what a lawyer would strike.

The golden letters sit beside their cases in ``examples/`` (``letter.md``); refresh them with
``PACTWATCH_UPDATE_GOLDEN=1`` after reading the difference.
"""

import os

import pytest
from conftest import EXAMPLES
from test_cli import pw

HOSTING = EXAMPLES / "hosting-2026"
SAAS = EXAMPLES / "saas-2026"
LATE = EXAMPLES / "late-apology"


def _letter(case, *extra):
    run = pw("letter", case / "events.jsonl", "-c", case / "contract.yaml", *extra)
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize("case", [HOSTING, SAAS, LATE], ids=lambda p: p.name)
def test_reviewed_letters_are_the_golden_ones(case):
    text = _letter(case)
    path = case / "letter.md"
    if os.environ.get("PACTWATCH_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing {path}; run with PACTWATCH_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{path} differs; read the difference, then PACTWATCH_UPDATE_GOLDEN=1"


def test_german_letter_groups_by_obligation_and_carries_the_figures():
    text = _letter(HOSTING)
    for clause in ("§5.1", "§6.2", "§6.3", "§7.1", "§7.3", "§7.4", "§9.1", "§9.2", "§9.3", "§3.1", "§3.2"):
        assert text.count(f"**{clause} ") == 1, clause
    # availability and credit clause are breached together: one paragraph, the sentence once
    assert text.count("Im März 2026 lag die Verfügbarkeit") == 1
    assert "www.kunde-a.de 90,92\u00a0% (67,5 Stunden Ausfall)" in text  # CLDR: a no-break space
    assert "von 100\u00a0% des Monatsentgelts von 49,90\u00a0€ zu, also 49,90\u00a0€" in text
    assert "1. eine Gutschrift über 49,90\u00a0€ nach §3.1 und §3.2, berechnet wie oben dargelegt; Frist zur Geltendmachung: 30. April 2026" in text
    # the vendor's own words the findings rest on, and the promised time against the check
    assert "meldeten Sie: „Mittlerweile ist der Server allerdings wieder voll erreichbar.“ Das traf nicht zu" in text
    assert "sagten Sie zu: „Voraussichtlich ist der Server bis 18 Uhr wieder online.“ Prüfungen ab Di., 3. März 2026, 18:00 MEZ" in text
    # human durations in the case the sentence needs, German lists, locale dates
    assert "nicht innerhalb von 3 Tagen entschuldigt" in text and "innerhalb von 7 Tagen kein Angebot" in text
    assert "www.kunde-b.de und www.kunde-c.de" in text
    assert "Bitte antworten Sie bis zum 26. März 2026." in text
    assert " h " not in text and "(—)" not in text and " EUR" not in text
    # clauses cited in the order of their numbers
    assert "der Verletzungen von §3.1, §3.2, §6.2, §6.3, §7.1, §7.3, §7.4 und §9.2" in text


def test_english_letter_in_its_own_language_with_own_date_and_deadline():
    text = _letter(HOSTING, "--lang", "en", "-f", "txt", "--date", "2026-03-20", "--reply-days", "10")
    assert "Please reply by 30 March 2026." in text and "[Place], 20 March 2026" in text
    assert "**" not in text and "OUR DEMANDS" in text
    assert "a service credit of €49.90 under §3.1 and §3.2" in text
    assert "In March 2026 availability fell below the 99.9% committed" in text
    assert "Mo., " not in text and "MEZ" not in text  # the findings are worded in English too


def test_a_letter_after_the_claim_period_says_so():
    text = _letter(SAAS, "--date", "2026-06-10")
    assert "a service credit of £120.00 under 4.1 and 4.2, calculated as set out above; the period to claim it ended on 30 May 2026" in text


def test_saas_letter_demands_only_what_its_findings_give():
    text = _letter(SAAS)
    assert "£120.00" in text and "98.94% (7.63 hours down)" in text
    assert "your assurance that promised status updates will be given on time (7.2)" in text
    assert "suspended" not in text  # no suspension in this case: no demand about notice before one
    assert "apology" not in text.split("## Our demands")[1]  # the vendor apologised in time


def test_a_late_apology_is_a_notice_of_breach_not_a_claim_for_one():
    text = _letter(LATE)
    assert "Rüge einer Vertragsverletzung" in text and "Unsere Forderungen" not in text
    assert "Ihre Entschuldigung vom Sa., 9. Mai 2026, 14:00 MESZ kam erst nach Ablauf dieser Frist." in text
    assert "Kündigung" not in text and "bis zum 26. Mai 2026 schriftlich zu bestätigen" in text
    assert "„Sehr geehrte Frau Dr. Berger, bitte entschuldigen Sie" in text  # "Dr." does not end a sentence


def test_html_letter_escapes_vendor_text(tmp_path):
    events = tmp_path / "e.jsonl"
    events.write_text((HOSTING / "events.jsonl").read_text(encoding="utf-8").replace(
        "Mittlerweile ist der Server", "<script>alert(1)</script> Mittlerweile ist der Server"), encoding="utf-8")
    run = pw("letter", events, "-c", HOSTING / "contract.yaml", "-f", "html")
    assert run.returncode == 0
    assert "<script>alert(1)</script>" not in run.stdout and "&lt;script&gt;" in run.stdout
    assert "<h2>Unsere Forderungen</h2>" in run.stdout and "<ol>" in run.stdout


def test_clean_case_letter_has_no_demands():
    run = pw("letter", EXAMPLES / "hosting-clean" / "events.jsonl", "-c", EXAMPLES / "hosting-clean" / "contract.yaml")
    assert run.returncode == 0 and run.stdout == "" and "nothing to claim" in run.stderr
