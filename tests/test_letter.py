"""The demand letter: facts, every breached clause quoted, the credit amount, placeholders, formats."""

from conftest import EXAMPLES
from test_cli import pw

HOSTING = EXAMPLES / "hosting-2026"


def _letter(*extra):
    run = pw("letter", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", *extra)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_german_letter_quotes_each_breached_clause_and_the_credit(library):
    text = _letter()
    for clause in ("§5.1", "§6.2", "§6.3", "§7.1", "§7.3", "§7.4", "§9.1", "§9.2", "§9.3", "§3.1", "§3.2"):
        assert f"**{clause} " in text, clause
    assert "„Der Anbieter sperrt einen Dienst nur nach schriftlicher Vorankündigung" in text
    assert "eine Gutschrift über 49,90 EUR gemäß §3.1, §3.2" in text
    assert "eine ausdrückliche schriftliche Entschuldigung (§9.1)" in text
    assert "Funktionstest" in text and "Ursachenanalyse" in text and "Vorankündigung und Frist zur Abhilfe" in text
    assert "Bitte antworten Sie bis zum 26.03.2026." in text  # 14 days after the case end (12 March)
    assert "[Absender: Name, Anschrift]" in text and "[Name, Funktion]" in text
    assert "Mittlerweile ist der Server allerdings wieder voll erreichbar." in text
    assert "Mo 02.03.2026 07:55 CET: Sperrung von www.kunde-a.de" in text


def test_english_text_letter_with_own_date_and_deadline():
    text = _letter("--lang", "en", "-f", "txt", "--date", "2026-03-20", "--reply-days", "10")
    assert "Please reply by 30 March 2026." in text and "[Place], 20 March 2026" in text
    assert "**" not in text and "OUR DEMANDS" in text
    assert "a service credit of 49.90 EUR under §3.1, §3.2" in text


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
