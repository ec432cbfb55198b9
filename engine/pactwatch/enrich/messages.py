"""Message analysis: text → findings with character spans.

The interface is deliberately small (``MessageAnalyzer.analyze(text, lang)``) so a
deeper analyser can replace this one. Phrases are data (``rules/lexicons/*.yaml``);
this module only knows how to apply them: skip quoted lines, find matches, and discard
those that are negated, asked as a question or (for apologies) made conditional.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .._validation import problems_from_validation
from .._yaml import load_yaml
from ..errors import PactwatchError

__all__ = ["Finding", "Analysis", "MessageAnalyzer", "load_lexicons"]

ApologyStrength = Literal["explicit", "regret-only", "none"]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    pattern: str


class _Cues(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    cues: list[str]
    before: int = 3
    after: int = 1


class _ApologyLex(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    explicit: list[_Entry]
    regret: list[_Entry] = Field(default_factory=list)


class _Categories(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    apology: _ApologyLex
    resolution_claim: list[_Entry] = Field(default_factory=list)


class Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    lang: str
    negation: _Cues
    conditional: _Cues
    prospective: _Cues = _Cues(cues=[])
    categories: _Categories


@dataclass(frozen=True, slots=True)
class Finding:
    """One recognised phrase: what it is, where it stands, and which entry found it."""

    category: str  # apology | regret | resolution_claim
    phrase: str
    start: int
    end: int
    entry: str
    lang: str
    status: Literal["ok", "negated", "conditional", "question", "prospective"] = "ok"


@dataclass(frozen=True, slots=True)
class Analysis:
    findings: tuple[Finding, ...]
    text: str = ""

    def sentence(self, finding: Finding) -> str:
        """The sentence around a finding, for quoting it in a report."""
        left, right = _bounds(self.text, finding.start, finding.end, _SENTENCE_END)
        end = right + 1 if right < len(self.text) and self.text[right] in ".!?" else right
        return self.text[left:end].strip()

    def quote(self, category: str) -> str | None:
        first = next((f for f in self.findings if f.category == category and f.status == "ok"), None)
        return self.sentence(first) if first else None

    @property
    def apology(self) -> ApologyStrength:
        valid = [f for f in self.findings if f.status == "ok"]
        if any(f.category == "apology" for f in valid):
            return "explicit"
        if any(f.category == "regret" for f in valid) or any(
            f.category == "apology" and f.status == "conditional" for f in self.findings
        ):
            return "regret-only"
        return "none"

    @property
    def claims_resolution(self) -> bool:
        return any(f.category == "resolution_claim" and f.status == "ok" for f in self.findings)


_WORD = re.compile(r"[\w']+", re.UNICODE)
_CLAUSE_END = re.compile(r"[,;:.!?\n]")
_SENTENCE_END = re.compile(r"[.!?\n]")


class _Compiled:
    def __init__(self, lex: Lexicon):
        self.lang = lex.lang
        self.negation = {c.lower() for c in lex.negation.cues}
        self.neg_before = lex.negation.before
        self.neg_after = lex.negation.after
        self.conditional = [re.compile(rf"\b{re.escape(c)}\b", re.IGNORECASE) for c in lex.conditional.cues]
        self.prospective = [re.compile(rf"\b{re.escape(c)}\b", re.IGNORECASE) for c in lex.prospective.cues]
        cats = lex.categories
        self.entries: list[tuple[str, str, re.Pattern[str]]] = [
            *[("apology", e.id, re.compile(e.pattern, re.IGNORECASE)) for e in cats.apology.explicit],
            *[("regret", e.id, re.compile(e.pattern, re.IGNORECASE)) for e in cats.apology.regret],
            *[("resolution_claim", e.id, re.compile(e.pattern, re.IGNORECASE)) for e in cats.resolution_claim],
        ]


def _own_text(text: str) -> str:
    """Blank out quoted lines (``>`` …) keeping offsets, so spans index the original."""
    return "".join(
        (" " * (len(line) - 1) + "\n" if line.endswith("\n") else " " * len(line)) if line.lstrip().startswith(">") else line
        for line in text.splitlines(keepends=True)
    )


def _bounds(text: str, start: int, end: int, pattern: re.Pattern[str]) -> tuple[int, int]:
    left = max((m.end() for m in pattern.finditer(text, 0, start)), default=0)
    right_match = pattern.search(text, end)
    return left, right_match.start() if right_match else len(text)


class MessageAnalyzer:
    """Applies the DE and EN lexicons; build once, call per message."""

    def __init__(self, lexicons: list[Lexicon]):
        self._lex = {lex.lang: _Compiled(lex) for lex in lexicons}

    @property
    def languages(self) -> list[str]:
        return sorted(self._lex)

    def analyze(self, text: str | None, lang: str | None = None) -> Analysis:
        if not text:
            return Analysis(())
        own = _own_text(text)
        langs = [lang] if lang in self._lex else sorted(self._lex)
        findings: list[Finding] = []
        for code in langs:
            lex = self._lex[code]
            for category, entry, pattern in lex.entries:
                for m in pattern.finditer(own):
                    status = self._status(own, m.start(), m.end(), category, lex)
                    findings.append(Finding(category, text[m.start():m.end()], m.start(), m.end(), entry, code, status))
        findings.sort(key=lambda f: (f.start, f.end, f.category, f.entry))
        return Analysis(tuple(findings), text)

    def _status(self, text: str, start: int, end: int, category: str, lex: _Compiled) -> str:
        c_left, c_right = _bounds(text, start, end, _CLAUSE_END)
        before = _WORD.findall(text[c_left:start])[-lex.neg_before:] if lex.neg_before else []
        after = _WORD.findall(text[end:c_right])[: lex.neg_after]
        inside = _WORD.findall(text[start:end])
        if any(w.lower() in lex.negation for w in (*before, *inside, *after)):
            return "negated"
        s_left, s_right = _bounds(text, start, end, _SENTENCE_END)
        if s_right < len(text) and text[s_right] == "?":
            return "question"
        if category == "apology" and any(p.search(text, s_left, start) for p in lex.conditional):
            return "conditional"
        if category == "resolution_claim" and any(p.search(text, s_left, start) for p in lex.prospective):
            return "prospective"
        return "ok"


def load_lexicons(directory: Path) -> list[Lexicon]:
    lexicons = []
    for path in sorted(directory.glob("*.yaml")):
        doc = load_yaml(path)
        try:
            lexicons.append(Lexicon.model_validate(doc.data))
        except ValidationError as exc:
            raise PactwatchError(
                problems_from_validation(exc, code="lexicon-invalid", file=doc.file, line_of=doc.line_of)
            ) from None
        for entry in [*lexicons[-1].categories.apology.explicit, *lexicons[-1].categories.apology.regret,
                      *lexicons[-1].categories.resolution_claim]:
            try:
                re.compile(entry.pattern)
            except re.error as exc:
                from ..errors import Problem

                raise PactwatchError(Problem("lexicon-invalid", f"entry {entry.id}: bad pattern: {exc}", file=doc.file)) from None
    return lexicons
