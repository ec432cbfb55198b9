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


def test_corpus_precision_and_recall_at_least_0_9_and_documented(analyzer):
    from pathlib import Path

    from pactwatch.enrich.quality import load_corpus, markdown_table, score

    root = Path(__file__).resolve().parent
    samples = load_corpus(root / "data" / "message-corpus.yaml")
    assert len(samples) >= 120
    scores, misses = score(analyzer, samples)
    weak = {c: (s.precision, s.recall) for c, s in scores.items() if s.precision < 0.9 or s.recall < 0.9}
    assert not weak, f"below 0.9: {weak}; misses: {[(m.text, sorted(g)) for m, g in misses]}"
    doc = (root.parent / "docs" / "message-analysis.md").read_text(encoding="utf-8")
    assert markdown_table(scores) in doc
    held_out, _ = score(analyzer, load_corpus(root / "data" / "message-holdout.yaml"))
    assert markdown_table(held_out) in doc, "docs/message-analysis.md shows stale held-out figures"


def test_commitment_times_resolve_in_contract_time(analyzer):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    at = datetime(2026, 3, 3, 10, 15, tzinfo=ZoneInfo("Europe/Berlin")).timestamp()
    a = analyzer.analyze("Voraussichtlich ist der Server bis 18 Uhr wieder online.")
    assert datetime.fromtimestamp(a.commitment(at, "Europe/Berlin"), ZoneInfo("Europe/Berlin")).hour == 18
    late = datetime(2026, 3, 3, 19, 0, tzinfo=ZoneInfo("Europe/Berlin")).timestamp()
    next_day = datetime.fromtimestamp(a.commitment(late, "Europe/Berlin"), ZoneInfo("Europe/Berlin"))
    assert (next_day.day, next_day.hour) == (4, 18)
