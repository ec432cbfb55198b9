"""Message analysis: text → findings with character spans.

The interface is deliberately small (``MessageAnalyzer.analyze(text, lang)``) so a
deeper analyser can replace this one. Phrases are data (``rules/lexicons/*.yaml``):
each category lists regular expressions with ids, and names the checks that can
disqualify a match — a negation near it, a question, a conditional or a forecast
earlier in the sentence. This module only applies them. Quoted lines (``>``) are not
the author's words: their findings are kept but marked ``quoted`` and do not count.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, ValidationError

from .._validation import problems_from_validation
from .._yaml import load_yaml
from ..errors import PactwatchError, Problem
from ..models._base import Frozen

__all__ = ["Finding", "Analysis", "MessageAnalyzer", "Lexicon", "load_lexicons", "CATEGORIES"]

ApologyStrength = Literal["explicit", "regret-only", "none"]
Status = Literal["ok", "negated", "conditional", "question", "prospective", "quoted"]
Check = Literal["negation", "question", "conditional", "prospective"]

#: The categories a lexicon may define (docs/message-analysis.md).
CATEGORIES = ("apology", "regret", "resolution_claim", "boilerplate", "referral", "compensation_offer",
              "compensation_request", "commitment", "admission", "cause", "measure")




class _Resolve(Frozen):
    """How a commitment's matched text becomes a time."""

    kind: Literal["clock", "relative", "fixed"]
    day: int = 0
    hour: int = 0
    minute: int = 0


class _Entry(Frozen):
    id: str
    pattern: str
    resolve: _Resolve | None = None


class _Category(Frozen):
    checks: list[Check] = Field(default_factory=list)
    entries: list[_Entry]


class _Cues(Frozen):
    cues: list[str]
    before: int = 3
    after: int = 1


class Lexicon(Frozen):
    lang: str
    negation: _Cues
    conditional: _Cues
    prospective: _Cues = _Cues(cues=[])
    currencies: dict[str, str] = Field(default_factory=dict)
    categories: dict[Literal[CATEGORIES], _Category]  # type: ignore[valid-type]


@dataclass(frozen=True, slots=True)
class Finding:
    """One recognised phrase: what it is, where it stands, and which entry found it."""

    category: str
    phrase: str
    start: int
    end: int
    entry: str
    lang: str
    status: Status = "ok"
    groups: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Analysis:
    findings: tuple[Finding, ...]
    text: str = ""
    _currencies: dict[str, str] = field(default_factory=dict)
    _resolvers: dict[str, _Resolve] = field(default_factory=dict)
    lang: str | None = None

    def ok(self, category: str) -> list[Finding]:
        return [f for f in self.findings if f.category == category and f.status == "ok"]

    def has(self, category: str) -> bool:
        return bool(self.ok(category))

    @property
    def apology(self) -> ApologyStrength:
        if self.has("apology"):
            return "explicit"
        conditional = any(f.category == "apology" and f.status == "conditional" for f in self.findings)
        return "regret-only" if self.has("regret") or conditional else "none"

    @property
    def claims_resolution(self) -> bool:
        return self.has("resolution_claim")

    def sentence(self, finding: Finding) -> str:
        """The sentence around a finding, for quoting it in a report."""
        left, right = _bounds(self.text, finding.start, finding.end, _SENTENCE_END)
        end = right + 1 if right < len(self.text) and self.text[right] in ".!?" else right
        return self.text[left:end].strip().lstrip(":;,-– ").strip()

    def quote(self, category: str) -> str | None:
        found = self.ok(category)
        return self.sentence(found[0]) if found else None

    def amount(self) -> tuple[float, str | None] | None:
        """The first amount named in a compensation offer or request, with its currency."""
        for f in self.findings:
            if f.category in ("compensation_offer", "compensation_request") and f.status == "ok":
                groups = dict(f.groups)
                if groups.get("amount"):
                    value = float(groups["amount"].replace(".", "").replace(",", ".")
                                  if "," in groups["amount"] else groups["amount"])
                    symbol = (groups.get("currency") or groups.get("symbol") or "").lower()
                    return value, self._currencies.get(symbol, symbol.upper() or None)
        return None

    def commitment(self, at: float, tz: str) -> float | None:
        """The time the author promised, resolved against the message time in the contract zone."""
        for f in self.ok("commitment"):
            resolved = _resolve(f, self._resolvers.get(f.entry), at, tz)
            if resolved is not None:
                return resolved
        return None


_WORD = re.compile(r"[\w']+", re.UNICODE)
_CLAUSE_END = re.compile(r"[,;:.!?\n]")
_SENTENCE_END = re.compile(r"[.!?\n]")


def _bounds(text: str, start: int, end: int, pattern: re.Pattern[str]) -> tuple[int, int]:
    left = max((m.end() for m in pattern.finditer(text, 0, start)), default=0)
    right_match = pattern.search(text, end)
    return left, right_match.start() if right_match else len(text)


def _resolve(f: Finding, spec: _Resolve | None, at: float, tz: str) -> float | None:
    if spec is None:
        return None
    groups = {k: v for k, v in f.groups if v}
    local = datetime.fromtimestamp(at, ZoneInfo(tz))
    if spec.kind == "relative":
        delta = timedelta(days=float(groups.get("days", 0)), hours=float(groups.get("hours", 0)),
                          minutes=float(groups.get("minutes", 0)))
        return at + delta.total_seconds()
    if spec.kind == "fixed":
        target = (local + timedelta(days=spec.day)).replace(hour=spec.hour, minute=spec.minute, second=0, microsecond=0)
        return target.timestamp()
    hour = int(groups.get("hour", spec.hour))
    if groups.get("ampm", "").lower().startswith("p") and hour < 12:
        hour += 12
    target = local.replace(hour=hour % 24, minute=int(groups.get("minute", 0)), second=0, microsecond=0)
    if target <= local:
        target += timedelta(days=1)
    return target.timestamp()


class _Compiled:
    def __init__(self, lex: Lexicon):
        self.lang = lex.lang
        self.currencies = {k.lower(): v for k, v in lex.currencies.items()}
        self.negation = {c.lower() for c in lex.negation.cues}
        self.neg_before, self.neg_after = lex.negation.before, lex.negation.after
        self.conditional = [re.compile(rf"\b{re.escape(c)}\b", re.IGNORECASE) for c in lex.conditional.cues]
        self.prospective = [re.compile(rf"\b{re.escape(c)}\b", re.IGNORECASE) for c in lex.prospective.cues]
        self.entries: list[tuple[str, str, re.Pattern[str], frozenset[str]]] = []
        self.resolvers: dict[str, _Resolve] = {}
        for name, cat in lex.categories.items():
            for e in cat.entries:
                self.entries.append((name, e.id, re.compile(e.pattern, re.IGNORECASE), frozenset(cat.checks)))
                if e.resolve is not None:
                    self.resolvers[e.id] = e.resolve


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith(">"):
            spans.append((pos, pos + len(line)))
        pos += len(line)
    return spans


@functools.lru_cache(maxsize=8)
def _detector(languages: tuple[str, ...]) -> _Detector:
    """Loading the language model takes a good part of a second: once per language set."""
    return _Detector(list(languages))


class _Detector:
    """Language identification restricted to the lexicons' languages (py3langid)."""

    def __init__(self, languages: list[str]):
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        self._ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self._ident.set_languages(languages)

    def __call__(self, text: str, confidence: float = 0.9) -> str | None:
        lang, prob = self._ident.classify(text)
        return lang if prob >= confidence else None


class MessageAnalyzer:
    """Applies the lexicons; build once, call per message.

    Without a ``lang``, the language is detected; when detection is not confident
    (short or mixed texts), every lexicon is applied.
    """

    def __init__(self, lexicons: list[Lexicon]):
        self._lex = {lex.lang: _Compiled(lex) for lex in lexicons}
        self._detect = _detector(tuple(sorted(self._lex))) if len(self._lex) > 1 else None
        self._currencies = {k: v for c in self._lex.values() for k, v in c.currencies.items()}
        self._resolvers = {k: v for c in self._lex.values() for k, v in c.resolvers.items()}

    @property
    def languages(self) -> list[str]:
        return sorted(self._lex)

    def analyze(self, text: str | None, lang: str | None = None) -> Analysis:
        if not text:
            return Analysis((), "", self._currencies, self._resolvers)
        quoted = _quoted_spans(text)
        if lang not in self._lex and self._detect is not None:
            lang = self._detect(text)
        langs = [lang] if lang in self._lex else sorted(self._lex)
        findings: list[Finding] = []
        for code in langs:
            lex = self._lex[code]
            for category, entry, pattern, checks in lex.entries:
                for m in pattern.finditer(text):
                    inside_quote = any(a <= m.start() < b for a, b in quoted)
                    status: Status = "quoted" if inside_quote else self._status(text, m.start(), m.end(), checks, lex)
                    groups = tuple(sorted((k, v) for k, v in m.groupdict().items() if v))
                    findings.append(Finding(category, m.group(0), m.start(), m.end(), entry, code, status, groups))
        findings.sort(key=lambda f: (f.start, f.end, f.category, f.entry))
        return Analysis(tuple(findings), text, self._currencies, self._resolvers, lang if len(langs) == 1 else None)

    def _status(self, text: str, start: int, end: int, checks: frozenset[str], lex: _Compiled) -> Status:
        if "negation" in checks:
            c_left, c_right = _bounds(text, start, end, _CLAUSE_END)
            before = _WORD.findall(text[c_left:start])[-lex.neg_before:] if lex.neg_before else []
            after = _WORD.findall(text[end:c_right])[: lex.neg_after]
            inside = _WORD.findall(text[start:end])
            if any(w.lower() in lex.negation for w in (*before, *inside, *after)):
                return "negated"
        s_left, s_right = _bounds(text, start, end, _SENTENCE_END)
        if "question" in checks and s_right < len(text) and text[s_right] == "?":
            return "question"
        if "conditional" in checks and any(p.search(text, s_left, start) for p in lex.conditional):
            return "conditional"
        if "prospective" in checks and any(p.search(text, s_left, start) for p in lex.prospective):
            return "prospective"
        return "ok"


def load_lexicons(directory: Path, extra: list[Path] | None = None) -> list[Lexicon]:
    """Bundled lexicons plus user files; a user file with the same ``lang`` adds entries."""
    lexicons: dict[str, Lexicon] = {}
    for path in [*sorted(directory.glob("*.yaml")), *(extra or [])]:
        doc = load_yaml(path)
        try:
            lex = Lexicon.model_validate(doc.data)
        except ValidationError as exc:
            raise PactwatchError(problems_from_validation(exc, code="lexicon-invalid", file=doc.file,
                                                          line_of=doc.line_of)) from None
        for name, cat in lex.categories.items():
            for i, entry in enumerate(cat.entries):
                try:
                    re.compile(entry.pattern)
                except re.error as exc:
                    raise PactwatchError(Problem("lexicon-invalid", f"bad pattern: {exc}", file=doc.file,
                                                 line=doc.line_of(("categories", name, "entries", i)),
                                                 field=f"categories.{name}.entries[{i}]")) from None
        if lex.lang in lexicons:
            lex = _merge(lexicons[lex.lang], lex)
        lexicons[lex.lang] = lex
    return [lexicons[k] for k in sorted(lexicons)]


def _merge(base: Lexicon, more: Lexicon) -> Lexicon:
    cats: dict[str, Any] = {k: v.model_dump() for k, v in base.categories.items()}
    for name, cat in more.categories.items():
        entry = cats.setdefault(name, {"checks": cat.checks, "entries": []})
        entry["entries"] = [*entry["entries"], *[e.model_dump() for e in cat.entries]]
    return Lexicon.model_validate({**base.model_dump(), "categories": cats,
                                   "currencies": {**base.currencies, **more.currencies}})
