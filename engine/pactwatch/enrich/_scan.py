"""Scanning a long text with a lexicon pattern, fast and with the pattern's own semantics.

Lexicon patterns start with ``\\b`` and are case-insensitive. CPython's regex engine finds the
literal a pattern begins with by a fast substring search, but only if the pattern begins with a
case-sensitive literal: ``\\bleider\\b`` over a megabyte of text is tried at every position
(11 ms), ``leider\\b`` over the lowercased text jumps from candidate to candidate (0.5 ms). So the
lowercased text is searched with the pattern minus its ``\\b`` and minus IGNORECASE, and each
candidate is confirmed by the original pattern at that position: the matches, their spans and
groups are exactly the original pattern's, found in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

__all__ = ["Scanner", "at_candidates"]

_ESCAPE = re.compile(r"\\[A-Za-z]")


class Scanner:
    """``finditer`` for one compiled pattern, with a fast path for ``\\b``-led, lowercase patterns."""

    __slots__ = ("_fast", "pattern")

    def __init__(self, pattern: re.Pattern[str]):
        self.pattern = pattern
        source = pattern.pattern
        usable = (pattern.flags & re.IGNORECASE and source.startswith(r"\b")
                  and not re.search(r"[A-Z]", _ESCAPE.sub("", source)))
        self._fast = re.compile(source[2:], pattern.flags & ~re.IGNORECASE) if usable else None

    def finditer(self, text: str, lowered: str | None, start: int, end: int) -> Iterator[re.Match[str]]:
        """The matches of the pattern in ``text[start:end]``; ``lowered`` is ``text.lower()`` when
        that has the same length (else None, and the plain scan is used)."""
        fast = self._fast
        if fast is None or lowered is None:
            return self.pattern.finditer(text, start, end)

        def candidate(pos: int) -> int | None:
            found = fast.search(lowered, pos, end)
            return None if found is None else found.start()
        return at_candidates(self.pattern, text, candidate, start, end)


def at_candidates(pattern: re.Pattern[str], text: str, candidate: Callable[[int], int | None],
                  start: int, end: int) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, start, end)`` for a pattern whose matches can only start where
    ``candidate(pos)`` points (the first such position at or after ``pos``, None when there is
    none): the pattern is tried there only, and the matches are the same, in the same order."""
    pos = start
    while pos <= end:
        at = candidate(pos)
        if at is None:
            return
        m = pattern.match(text, at, end)
        if m is None:
            pos = at + 1
            continue
        yield m
        pos = m.end() if m.end() > at else at + 1
