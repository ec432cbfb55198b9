"""Sentences and quoted material: where the author's own words are.

Both passes are linear in the text (a 1 MB mail or a 20,000-line quoted history must
not take longer than reading it), and both work on character offsets into the original
text, so findings keep spans a report can quote.

Quoted material is never the author's words: ``>`` lines, everything below an
attribution line ("On … wrote:", "Am … schrieb …:") or an "Original Message" /
forwarding separator, and inline quotations in „…“, "…", “…”, «…», »…« or '…'.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from itertools import pairwise

from ._scan import at_candidates

__all__ = ["Quotes", "alternation", "any_of", "cut_courtesy", "either", "sentences", "quoted_spans", "translated"]

_ATTRIBUTION = re.compile(
    r"(?:on|am)\b.{0,200}?\b(?:wrote|schrieb|a écrit)\b.{0,80}:"
    r"|-{2,}\s*(?:original message|ursprüngliche nachricht|forwarded message|weitergeleitete nachricht)\s*-{2,}",
    re.IGNORECASE)
_HEADER_FROM = re.compile(r"(?:from|von):\s", re.IGNORECASE)
_HEADER_SENT = re.compile(r"(?:sent|gesendet|date|datum):\s", re.IGNORECASE)
_SEPARATOR = re.compile(r"original message|ursprüngliche nachricht|forwarded message|weitergeleitete nachricht|^(?:from|von):",
                        re.IGNORECASE)
_INLINE = re.compile(
    r"„[^“”\"\n]{1,300}[“”\"]"           # German low-high
    r"|‚[^‘’\n]{1,300}[‘’]"
    r"|“[^”\n]{1,300}”"
    r"|«[^»\n]{1,300}»|»[^«\n]{1,300}«"
    r"|(?<![\w\"])\"[^\"\n]{1,300}\"(?!\w)"
    r"|(?<![\w'])'(?=\S)[^'\n]{1,300}?(?<=[^\s'])'(?![\w'])")
#: the characters an inline quotation can open with: ``_INLINE`` is tried only where one stands
_INLINE_OPEN = re.compile("[„‚“«»\"']")


def alternation(words: list[str]) -> str:
    """A regular-expression alternative of words and phrases, escaped, longest first (so
    "end of the week" wins over "end"), in a stable order; empty for no words."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def either(patterns: Iterable[str]) -> str:
    """The regular-expression source that matches where any of ``patterns`` does; empty for none."""
    return "|".join(f"(?:{p})" for p in patterns)


def any_of(patterns: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern that matches where any of ``patterns`` does (one search instead
    of one per pattern); None for no patterns."""
    source = either(patterns)
    return re.compile(source, re.IGNORECASE) if source else None


def translated(text: str, table: dict[int, str]) -> str:
    """``text.translate(table)``, skipped when no character of the table occurs: translate with a
    dict costs about 40 ms a megabyte, a substring search per character far less."""
    return text.translate(table) if any(chr(c) in text for c in table) else text


class Quotes:
    """Sorted, non-overlapping quoted spans with O(log n) membership."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        merged: list[tuple[int, int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        self.spans = merged
        self._starts = [a for a, _ in merged]

    def covers(self, pos: int) -> bool:
        i = bisect.bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self.spans[i][1]

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The quoted spans overlapping [start, end), clipped to it."""
        i = max(bisect.bisect_right(self._starts, start) - 1, 0)
        out = []
        while i < len(self.spans) and self.spans[i][0] < end:
            a, b = self.spans[i]
            if b > start:
                out.append((max(a, start), min(b, end)))
            i += 1
        return out

    def gaps(self, length: int) -> list[tuple[int, int]]:
        """The unquoted stretches of a text of this length: where the author speaks."""
        out, pos = [], 0
        for a, b in self.spans:
            if a > pos:
                out.append((pos, a))
            pos = max(pos, b)
        if pos < length:
            out.append((pos, length))
        return out

    def blank(self, text: str) -> str:
        """The text with every quotation replaced by spaces: same length, same offsets."""
        if not self.spans:
            return text
        parts, pos = [], 0
        for a, b in self.spans:
            parts += [text[pos:a], " " * (b - a)]
            pos = b
        parts.append(text[pos:])
        return "".join(parts)

    def mask(self, text: str, start: int, end: int, placeholder: str = " «q» ") -> str:
        """The author's words of text[start:end], each quotation replaced by a placeholder."""
        parts, pos = [], start
        for a, b in self.within(start, end):
            parts += [text[pos:a], placeholder]
            pos = b
        parts.append(text[pos:end])
        return "".join(parts)


def quoted_spans(text: str) -> Quotes:
    spans: list[tuple[int, int]] = []
    lines = text.splitlines(keepends=True)
    pos = 0
    below: int | None = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(">"):
            spans.append((pos, pos + len(line)))
        elif below is None and (_ATTRIBUTION.fullmatch(stripped) or (
                _HEADER_FROM.match(stripped) and i + 1 < len(lines) and _HEADER_SENT.match(lines[i + 1].strip()))):
            below = pos
        pos += len(line)
    if below is not None:
        spans.append((below, _quote_block_end(text, below)))
    spans += inline_quotations(text)
    return Quotes(spans)


def inline_quotations(text: str) -> list[tuple[int, int]]:
    """The spans ``_INLINE.finditer`` finds, found ten times faster: its look-behinds keep the
    regular expression engine from skipping to an opening mark, so it tries every position of a
    text (70 ms a megabyte); here it is tried only at the marks (a match never starts elsewhere)."""
    def mark(pos: int) -> int | None:
        found = _INLINE_OPEN.search(text, pos)
        return None if found is None else found.start()
    return [m.span() for m in at_candidates(_INLINE, text, mark, 0, len(text))]


def _quote_block_end(text: str, start: int) -> int:
    """Where a quoted block that starts with an attribution ends.

    Below a separator ("Original Message", forwarding, Outlook's From:/Sent:) everything
    is quoted. Below "On … wrote:" the ``>`` lines and blank lines are; an unmarked line
    after them is the author again (bottom posting).
    """
    first_nl = text.find("\n", start)
    header = text[start:first_nl if first_nl >= 0 else len(text)].strip()
    if _SEPARATOR.search(header) or first_nl < 0:
        return len(text)
    pos = first_nl + 1
    seen_marked = False
    while pos < len(text):
        nl = text.find("\n", pos)
        line = text[pos:nl if nl >= 0 else len(text)]
        body = line.strip()
        if body.startswith(">"):
            seen_marked = True
        elif body and seen_marked:
            return pos
        elif body and not seen_marked:
            return len(text)  # an unmarked full quote (no '>'): the rest is the other party's
        pos = nl + 1 if nl >= 0 else len(text)
    return len(text)


_END = re.compile(r"[.!?…]+[\"'”“»«)\]]*(?=\s|$)|\n")
_ORDINAL_BEFORE = re.compile(r"(?:^|\s)\d{1,2}$")
#: an abbreviation spelt letter by letter with a space ("i. A. Müller", "z. B. heute", "u. a."): its
#: first period is followed by another lone letter and period, its second preceded by one
_LETTERS_AHEAD = re.compile(r"\s[^\W\d_]\.(?=\s|$)")
_LETTERS_BEFORE = re.compile(r"(?:^|[\s(])[^\W\d_]\.\s[^\W\d_]$")
#: a domain, URL or mail address, written in lower case by convention, may begin a sentence
_ADDRESS = re.compile(r"(?:https?://|www\.)|[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b|[\w.+-]+@[\w-]+\.", re.IGNORECASE)


def sentences(text: str, abbreviations: frozenset[str] = frozenset(),
              starts: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Sentence spans (start, end) covering the text's non-blank parts.

    A line break ends a sentence unless the line reads as hard-wrapped prose (long, no
    closing punctuation, next line lower-case). A period after an abbreviation or a day
    number ("3. März") does not end one, nor does one before a lower-case word ("ca. drei",
    an abbreviation the lexicon does not know), unless the next word is one that begins
    sentences (``starts``: "team is on it. should be sorted by EOD", "in rack 25. Wir …"):
    an ordinal is followed by a noun or a month, never by a pronoun, article or preposition.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    for m in _END.finditer(text):
        end = m.end()
        if m.group(0) == "\n":
            line_start = text.rfind("\n", 0, m.start()) + 1
            line = text[line_start:m.start()].rstrip()
            nxt = text[end:end + 1]
            if len(line) >= 50 and nxt.isalpha() and nxt.islower() and not line.endswith((":", ",")):
                continue  # hard-wrapped prose: the sentence goes on
        elif m.group(0).startswith("."):
            before = text[max(start, m.start() - 12):m.start()]
            word = re.split(r"\s", before)[-1].lower() if before else ""
            if word.rstrip(".") in abbreviations or (word and word.replace(".", "") in abbreviations):
                continue
            if (len(word) == 1 and word.isalpha() and _LETTERS_AHEAD.match(text, m.start() + 1)) \
                    or _LETTERS_BEFORE.search(before):
                continue  # "i. A. Sven Hinrichs" under a German mail: "A." alone was read as a cause
            after = text[end:end + 3].lstrip()
            if _ORDINAL_BEFORE.search(before) and after[:1].isalpha() and after[:1].isupper() \
                    and _first_word(text, end).lower() not in starts:
                continue  # "am 3. März", "im 2. Stock"; but "in rack 25. Wir …", "round 42. The …" end there
            if after[:1].isalpha() and after[:1].islower() and len(m.group(0)) == 1 and "\n" not in text[m.end():m.end() + 2] \
                    and not _ADDRESS.match(text, end + len(text[end:end + 3]) - len(text[end:end + 3].lstrip())) \
                    and _first_word(text, end).lower() not in starts:
                continue  # "z.B. wie", "ca. drei": a lower-case word after a lone period (not "… www.shop.de is back")
        _emit(text, start, end, spans)
        start = end
    _emit(text, start, n, spans)
    return spans


_SENTENCE_END = frozenset(".!?…")
_CLOSING_QUOTES = "\"'“”‘’»«)"


def cut_courtesy(text: str, spans: list[tuple[int, int]], greeting: re.Pattern[str] | None,
                 closing: re.Pattern[str] | None) -> list[tuple[int, int]]:
    """``spans`` with each greeting and sign-off that a flattened mail glued to the sentence beside it cut off
    as a span of its own: "Mit freundlichen Grüßen, Ihr Support-Team Sehr geehrte Damen und Herren, All
    services on srv-350 have been restored." is three. A ticket system's export or a web form drops the line
    breaks that ended them, and the model read the courtesy words with the claim (docs/message-analysis.md,
    "Greetings and sign-offs glued to a sentence").

    A ``greeting`` match ends in its comma; it is cut where it begins a span, and inside one only where it
    begins with a capital letter after a space ("… Ihr Support-Team Sehr geehrte …", not "die liebe Not, …").
    A ``closing`` match (a sign-off, its signature) is cut only where it begins a span and a sentence follows it:
    a capital letter first, its full stop, question or exclamation mark last ("Danke nochmals, dass Sie …" stays
    whole, and so does "Kind regards, Daniel Weber, Customer Care", a sign-off and its signature)."""
    if greeting is None and closing is None:
        return spans
    out: list[tuple[int, int]] = []
    for a, b in spans:
        cuts = [a]
        if greeting is not None:
            for m in greeting.finditer(text, a, b):
                inside = m.start() > a
                if inside and not (text[m.start()].isupper() and text[m.start() - 1].isspace()):
                    continue
                if not text[m.end():b].strip():
                    break
                cuts += [m.start(), m.end()] if inside else [m.end()]
        cuts.append(b)
        for lo, hi in pairwise(cuts):
            while lo < hi and text[lo].isspace():
                lo += 1
            signed = closing.match(text, lo, hi) if closing is not None else None
            rest = text[signed.end():hi].strip() if signed is not None else ""
            if signed is not None and rest[:1].isupper() and rest.rstrip(_CLOSING_QUOTES)[-1:] in _SENTENCE_END:
                _emit(text, lo, signed.end(), out)
                lo = signed.end()
            _emit(text, lo, hi, out)
    return out


_WORD_AHEAD = re.compile(r"\s*([^\W\d_]+(?:'[^\W\d_]+)?)")


def _first_word(text: str, pos: int) -> str:
    m = _WORD_AHEAD.match(text, pos)
    return m.group(1) if m else ""


#: A "sentence" longer than this is cut at whitespace: run-on text, logs or base64 would
#: otherwise make one unit whose reading cost grows with its length.
MAX_SENTENCE = 1000


def _emit(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    stop = end
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    while stop - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        spans.append((start, cut))
        start = cut
        while start < stop and text[start].isspace():
            start += 1
    if stop > start:
        spans.append((start, stop))
