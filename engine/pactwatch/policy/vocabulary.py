"""The phrasings of the policy steps, in one place.

Step definitions (``steps.py``) register them; the catalog (``catalog.py``) reads
feature files with them to tell firing from non-firing scenarios; the docs list them.
"""

from __future__ import annotations

import re
from typing import Any

import parse

__all__ = ["PHRASES", "compile_phrase", "classify"]

PHRASES: dict[str, tuple[str, ...]] = {
    # Given
    "clause_params": ('a contract with clause "{cid}" "{title}" covering {concept:w} with {params}',
                      'ein Vertrag mit Klausel "{cid}" "{title}" für {concept:w} mit {params}'),
    "clause": ('a contract with clause "{cid}" "{title}" covering {concept:w}',
               'ein Vertrag mit Klausel "{cid}" "{title}" für {concept:w}'),
    "no_clauses": ("a contract without clauses", "ein Vertrag ohne Klauseln"),
    "template": ('the contract template "{name}"', 'die Vertragsvorlage "{name}"'),
    "timezone": ('the contract timezone is "{tz}"', 'die Zeitzone des Vertrags ist "{tz}"'),
    "vendor": ('the vendor is "{vendor}"', 'der Anbieter ist "{vendor}"'),
    "events": ("these events:", "diese Ereignisse:"),
    # When
    "evaluate": ("pactwatch evaluates the case", "the case is evaluated", "pactwatch den Fall prüft",
                 "der Fall geprüft wird"),
    # Then
    "violation_for": ('a "{rule}" violation is reported for "{service}"', 'an "{rule}" violation is reported for "{service}"',
                      'wird ein Verstoß "{rule}" für "{service}" gemeldet',
                      'ein Verstoß "{rule}" für "{service}" gemeldet wird'),
    "violation": ('a "{rule}" violation is reported', 'an "{rule}" violation is reported', 'wird ein Verstoß "{rule}" gemeldet',
                  'ein Verstoß "{rule}" gemeldet wird'),
    "no_violation_of": ('no "{rule}" violation is reported', 'wird kein Verstoß "{rule}" gemeldet',
                        'kein Verstoß "{rule}" gemeldet wird'),
    "clean": ("no violation is reported", "wird kein Verstoß gemeldet", "kein Verstoß gemeldet wird"),
    "exactly": ("exactly these rules fire: {rules}", "genau diese Regeln greifen: {rules}"),
    "cites": ('it cites clause "{cid}"', 'er zitiert Klausel "{cid}"', 'zitiert er Klausel "{cid}"'),
    "unmapped": ("it is not mapped to a clause", "er ist keiner Klausel zugeordnet"),
    "remedy": ('the remedies include "{text}"', 'die Abhilfen enthalten "{text}"'),
    "summary": ('the summary mentions "{text}"', 'die Zusammenfassung erwähnt "{text}"'),
    "credit": ("the service credit is {amount:g} {currency:w}", "die Gutschrift beträgt {amount:g} {currency:w}"),
}


def _quoted(text: str) -> str:
    return text


_quoted.pattern = r'[^"]*'  # type: ignore[attr-defined]
EXTRA_TYPES = {"Q": _quoted}


def compile_phrase(phrase: str) -> str:
    """Quoted slots ("{rule}") never swallow a quote, so phrasings cannot overlap."""
    return re.sub(r'"\{(\w+)\}"', r'"{\1:Q}"', phrase)


_COMPILED = {key: [parse.compile(compile_phrase(p), extra_types=EXTRA_TYPES) for p in phrases]
             for key, phrases in PHRASES.items()}


def classify(step_text: str) -> tuple[str, dict[str, Any]] | None:
    """Which vocabulary entry a step's text is, with its slot values."""
    for key, patterns in _COMPILED.items():
        for pattern in patterns:
            result = pattern.parse(step_text)
            if result is not None:
                return key, dict(result.named)
    return None
