"""The fast lexicon scan finds exactly what the patterns find, in the same order."""

import pytest
from conftest import ROOT

from pactwatch.enrich.corpus import load_corpus

TRICKY = [
    "Wir entschuldigen uns. WIR ENTSCHULDIGEN UNS! wirentschuldigen uns",
    "Leider, LEIDER, leiderleider, Bedauerlicherweise; İstanbul leider",
    "We apologise—we APOLOGIZE; weapologise. The issue IS RESOLVED, it's resolved_",
    "Die Störung ist behoben. Die STÖRUNG wurde gestern Abend BEHOBEN. ist,behoben",
]


@pytest.fixture(scope="module")
def texts():
    samples = load_corpus(ROOT / "rules" / "corpus" / "messages")
    return [*TRICKY, "\n\n".join(s.text for s in samples)]


def test_every_lexicon_pattern_scans_to_the_same_matches(library, texts):
    analyzer = library.analyzer()
    fast_paths = 0
    for lex in analyzer._lex.values():
        for (_, entry, pattern, _), scanner in zip(lex.entries, lex.scanners, strict=True):
            fast_paths += scanner._fast is not None
            for text in texts:
                lowered = text.lower() if len(text.lower()) == len(text) else None
                for a, b in ((0, len(text)), (3, max(3, len(text) - 5))):
                    want = [(m.span(), m.groupdict()) for m in pattern.finditer(text, a, b)]
                    got = [(m.span(), m.groupdict()) for m in scanner.finditer(text, lowered, a, b)]
                    assert got == want, (entry, text[:60])
    assert fast_paths > 50  # most of the lexicon takes the fast path


def test_a_text_whose_lower_case_is_longer_is_read_the_same(library):
    analyzer = library.analyzer()
    text = "İstanbul office: Wir entschuldigen uns für den Ausfall. Die Störung ist behoben."
    assert analyzer.analyze(text, "de").apology == "explicit"
    assert analyzer.analyze(text, "de").has("resolution_claim")
