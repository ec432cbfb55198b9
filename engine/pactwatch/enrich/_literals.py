"""Which literal text a regular expression cannot match without: a cheap test before a scan.

A lexicon has about a hundred case-insensitive patterns, most starting with ``\\b(?:…)``,
which the regular expression engine must try at every position of a text. A pattern
whose required words do not occur in the text cannot match there, so it need not scan at
all: a short message skips most of the lexicon, and a megabyte of log lines or of one
repeated paragraph skips nearly all of it.

:func:`required` derives, from the parsed pattern, a set of strings one of which every
match contains (casefolded, like the text it is tested on); ``None`` when no such set is
known (the pattern is then always scanned). It is conservative by construction: only
parts every match must pass through are used.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from ._text import translated

__all__ = ["Needs", "fold", "may_match", "required"]

#: shorter strings occur nearly everywhere: testing for them saves nothing
_MIN_LENGTH = 3
#: a branch with more alternatives than this is not worth testing one by one
_MAX_ALTERNATIVES = 24

Needs = frozenset[str] | None

#: characters a case-insensitive pattern matches that casefolding does not map onto the
#: pattern's letter (re's own equivalence table: "i" matches the dotless "ı")
_EQUIVALENT = str.maketrans({"ı": "i"})


def fold(text: str) -> str:
    """The form of a text (and of a pattern's literals) the requirement is tested on."""
    return translated(text.casefold(), _EQUIVALENT)


def required(pattern: re.Pattern[str]) -> Needs:
    """Strings (casefolded) one of which every match of ``pattern`` contains, or None."""
    if not pattern.flags & re.IGNORECASE:
        return None  # the test casefolds the text: sound only for case-insensitive patterns
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except re.error:
        return None
    needs = _sequence(list(parsed))
    if needs is None or not needs or any(len(s) < _MIN_LENGTH for s in needs):
        return None
    return needs


def may_match(needs: Needs, folded: str) -> bool:
    """False only if the pattern cannot match the text whose casefolded form is ``folded``."""
    return needs is None or any(s in folded for s in needs)


def _sequence(items: list[tuple[Any, Any]]) -> Needs:
    """The best requirement of a sequence: its longest literal run, or its most selective part."""
    options: list[frozenset[str]] = []
    run: list[str] = []
    for op, arg in items:
        if op is sre.LITERAL:
            run.append(chr(arg))
            continue
        if op is sre.AT:  # \b, ^, $: zero width, the run goes on
            continue
        if run:
            options.append(frozenset([fold("".join(run))]))
            run = []
        part = _node(op, arg)
        if part is not None:
            options.append(part)
    if run:
        options.append(frozenset([fold("".join(run))]))
    usable = [o for o in options if o and min(map(len, o)) >= _MIN_LENGTH]
    if not usable:
        return None
    return max(usable, key=lambda o: (min(map(len, o)), -len(o), sorted(o)))


def _node(op: Any, arg: Any) -> Needs:
    if op is sre.SUBPATTERN:
        return _sequence(list(arg[-1]))
    if op is sre.BRANCH:
        union: set[str] = set()
        for alternative in arg[1]:
            part = _sequence(list(alternative))
            if part is None:
                return None  # one alternative needs nothing known: the branch needs nothing
            union |= part
        return frozenset(union) if len(union) <= _MAX_ALTERNATIVES else None
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and arg[0] >= 1:
        return _sequence(list(arg[2]))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(arg))
    return None  # classes, any character, optional parts, look-arounds, back-references
