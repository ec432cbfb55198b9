"""Message analysis: apology strength and resolution claims, DE and EN, with spans."""

import pytest

from pactwatch import load_rules
from pactwatch.enrich import MessageAnalyzer


@pytest.fixture(scope="module")
def analyzer():
    return MessageAnalyzer(list(load_rules().lexicons))


@pytest.mark.parametrize(("text", "strength"), [
    ("Wir entschuldigen uns für die Unannehmlichkeiten.", "explicit"),
    ("Dafür möchten wir uns ausdrücklich entschuldigen.", "explicit"),
    ("Es tut uns leid, dass die Seite nicht erreichbar war.", "explicit"),
    ("We apologise for the outage.", "explicit"),
    ("We are sorry that the site was not reachable.", "explicit"),
    ("Bedauerlicherweise kam es zu Problemen.", "regret-only"),
    ("Hier kam es leider zu einer unglücklichen Verkettung.", "regret-only"),
    ("We regret any inconvenience.", "regret-only"),
    ("Falls Ihnen Unannehmlichkeiten entstanden sind, bitten wir um Entschuldigung.", "regret-only"),
    ("Wir entschuldigen uns nicht.", "none"),
    ("We do not apologise for scheduled maintenance.", "none"),
    ("> Es tut uns leid.\nDanke für Ihre Nachricht.", "none"),
    ("Ihre Domain wurde gesperrt.", "none"),
])
def test_apology_strength(analyzer, text, strength):
    assert analyzer.analyze(text).apology == strength


@pytest.mark.parametrize(("text", "claims"), [
    ("Mittlerweile ist der Server allerdings wieder voll erreichbar.", True),
    ("Der Fehler wurde behoben.", True),
    ("The issue has been resolved.", True),
    ("All systems are fully operational.", True),
    ("Der Server ist noch nicht wieder erreichbar.", False),
    ("Ist der Server wieder erreichbar?", False),
    ("Voraussichtlich ist der Server bis 18 Uhr wieder online.", False),
    ("The server will be back online by 6 pm.", False),
])
def test_resolution_claim(analyzer, text, claims):
    assert analyzer.analyze(text).claims_resolution is claims


def test_findings_carry_phrase_span_and_lexicon_entry(analyzer):
    text = "Guten Tag. Es tut uns leid."
    (finding,) = [f for f in analyzer.analyze(text).findings if f.category == "apology"]
    assert text[finding.start:finding.end] == finding.phrase == "Es tut uns leid"
    assert finding.entry == "de-tut-leid" and finding.lang == "de"
