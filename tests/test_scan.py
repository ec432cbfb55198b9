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


QUOTE_PIECES = ["„", "“", "”", "‚", "‘", "’", "«", "»", '"', "'", " ", "\n", "a", "Wir", "it's", "x" * 299, "."]


def test_inline_quotations_are_found_where_the_pattern_finds_them(texts):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from pactwatch.enrich._text import _INLINE, inline_quotations

    def same(text: str) -> None:
        assert inline_quotations(text) == [m.span() for m in _INLINE.finditer(text)], text[:80]

    for text in [*texts, "„Er sagte ‚ja‘“ and \"it's 'fine'\" «oui» »nein« don't 'q'uote"]:
        same(text)

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.sampled_from(QUOTE_PIECES), max_size=40).map("".join))
    def property_(text: str) -> None:
        same(text)

    property_()
