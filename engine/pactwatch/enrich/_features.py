"""Sentence features for the trained reader; one function for training and inference.

Three blocks, so that a long sentence's many n-grams do not drown the few signals that
decide (a lexicon hit, a question mark):

- ``c:`` character 3–5-grams of each word (typos, inflection, German compounds);
- ``w:``/``b:`` lemma unigrams and bigrams (simplemma), with words in the scope of a
  negation marked ``n:`` ("not … resolved" is not "resolved");
- ``s:`` symbols: lexicon hits with their status, lemma cues per category with their
  status (``cue:referral:ok``, ``cue:apology:neg``), a time expression, a question, a
  quotation placeholder.

Digits become ``0`` so that "18:00" and "09:30" are one feature.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ._text import any_of, translated
from .corpus import AUTHOR_OF_REGISTER
from .lemmas import lemmatizer

__all__ = ["BLOCKS", "SPEAKING", "Cues", "Features", "char_grams", "featurize", "lemmatised", "load_lemmatizer", "normalise", "tokens"]

BLOCKS = ("c", "w", "s")

_TOKEN_OR_STOP = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+|[?!%€$£]|«q»|[,;:.]", re.UNICODE)
_CLAUSE_BREAK = frozenset({",", ";", ":", ".", "!", "?", "but", "aber", "sondern", "however", "jedoch", "doch", "and", "und"})
_STOPS = frozenset({",", ";", ":", "."})
_DIGITS = re.compile(r"\d")
_APOSTROPHES = str.maketrans({"’": "'", "`": "'", "´": "'"})
_CONTRACTIONS = ((re.compile(r"\b(won)'t\b"), "will not"), (re.compile(r"\b(can)'t\b"), "can not"),
                 (re.compile(r"n't\b"), " not"), (re.compile(r"'ll\b"), " will"), (re.compile(r"'re\b"), " are"),
                 (re.compile(r"'ve\b"), " have"), (re.compile(r"\bi'm\b"), "i am"), (re.compile(r"'d\b"), " would"))


def normalise(text: str) -> str:
    """Lower case, one apostrophe, English contractions spelt out, digits as 0."""
    text = translated(text, _APOSTROPHES).lower()
    if "'" in text:
        for pattern, repl in _CONTRACTIONS:
            text = pattern.sub(repl, text)
    return _DIGITS.sub("0", text)


class Cues:
    """Lemma sequences per category, and time-expression patterns, of one or more lexicons."""

    def __init__(self, by_first: dict[str, list[tuple[str, tuple[str, ...]]]], heads: list[tuple[str, str]],
                 time: list[re.Pattern[str]]):
        self.by_first = by_first
        self.heads = heads  # (head, category): German compounds end in their head
        self._by_head: dict[str, list[str]] = {}
        for head, category in heads:
            self._by_head.setdefault(head, []).append(category)
        self._head_lengths = sorted({len(h) for h in self._by_head})
        self.time = time
        # one search per sentence instead of one per pattern (a megabyte has ten thousand sentences)
        self._any_time = any_of(p.pattern for p in time)
        self.multi = {first: [(c, w) for c, w in entries if len(w) > 1] for first, entries in by_first.items()
                      if any(len(w) > 1 for _, w in entries)}
        self._cache: dict[tuple[str, str], tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...], bool], ...]]] = {}

    @classmethod
    def build(cls, lang: str, cues: dict[str, list[str]], time: list[re.Pattern[str]], compounds: bool = True) -> Cues:
        """``compounds=False``: a German word does not match by its head ("Zustand" is no "stand")."""
        by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        heads = []
        for category, phrases in sorted(cues.items()):
            for phrase in phrases:
                # "=werden": the words as written. A lemma drops the tense, and the tense is what
                # such a cue is for: "wurde" is a form of "werden", but no promise.
                written = phrase.startswith("=")
                words = tuple(w for w in tokens(normalise(phrase.removeprefix("="))) if w[0].isalnum())
                if not words:
                    continue
                by_first.setdefault(("=" if written else "") + words[0], []).append((category, words))
                if (compounds and not written and lang == "de" and len(words) == 1 and len(words[0]) >= 5
                        and not category.startswith("mark:")):
                    heads.append((words[0], category))
        return cls(by_first, heads, time)

    def mentions_time(self, text: str) -> bool:
        """Whether any time expression of the lexicons occurs in the text."""
        return self._any_time is not None and self._any_time.search(text) is not None

    @classmethod
    def merge(cls, parts: list[Cues]) -> Cues:
        by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for part in parts:
            for first, entries in part.by_first.items():
                by_first.setdefault(first, []).extend(entries)
        return cls(by_first, [h for p in parts for h in p.heads], [t for p in parts for t in p.time])

    def matches(self, surface: list[str], lemmas: list[str]) -> set[tuple[str, int]]:
        """(category, position) of every cue found, on the word or its lemma at each position."""
        found: set[tuple[str, int]] = set()
        n = len(lemmas)
        cache = self._cache
        for i in range(n):
            word, lemma = surface[i], lemmas[i]
            singles, multis = cache.get((word, lemma)) or self._token(word, lemma)
            for category in singles:
                found.add((category, i))
            for category, words, written in multis:
                k = len(words)
                if i + k <= n and all(words[m] == surface[i + m] or (not written and words[m] == lemmas[i + m])
                                      for m in range(1, k)):
                    found.add((category, i))
        return found

    def _token(self, word: str, lemma: str) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...], bool], ...]]:
        """The one-word cues (and German compound heads) a token matches, and the cues of several
        words that begin with it; cached per token."""
        keys = ("=" + word, word) if word == lemma else ("=" + word, word, lemma)
        cats = {c for first in keys for c, words in self.by_first.get(first, ()) if len(words) == 1}
        if len(word) > 6:  # a compound: its heads are its proper suffixes the lexicon knows
            for k in self._head_lengths:
                if k >= len(word):
                    break
                cats.update(self._by_head.get(word[-k:], ()))
        multis = tuple((c, w, first[0] == "=") for first in keys for c, w in self.multi.get(first, ()))
        entry = (tuple(sorted(cats)), multis)
        if len(self._cache) < 200_000:
            self._cache[(word, lemma)] = entry
        return entry


def tokens(text: str) -> list[str]:
    """Words, numbers and the punctuation that carries meaning, of normalised text."""
    return _TOKEN_OR_STOP.findall(text)


@functools.lru_cache(maxsize=200_000)
def char_grams(word: str) -> tuple[str, ...]:
    """Character 3–5-grams of a word with its boundaries (``c: ab``, ``c:abc`` …), each once."""
    padded = f" {word} "
    return tuple(sorted({"c:" + padded[i:i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1)}))


@dataclass(frozen=True)
class Features:
    """What the model reads of a sentence.

    Block ``c`` is kept as the words it is made of: it is the union of their character
    n-grams, and a reader that looks the n-grams up once per word (``SentenceModel``) need
    not build and look up three hundred strings per sentence."""

    spelled: frozenset[str]  # the words whose character n-grams form block c
    w: tuple[str, ...]
    s: tuple[str, ...]

    def blocks(self) -> dict[str, list[str]]:
        """The feature names by block, as training counts them."""
        chars = sorted({g for word in self.spelled for g in char_grams(word)})
        return {"c": chars, "w": list(self.w), "s": list(self.s)}


def load_lemmatizer(languages: list[str]) -> None:
    """Open the lemma dictionaries now (milliseconds from the cached tries; see lemmas.py), not on the first word of a run."""
    for lang in [*languages, ""]:
        _lemma("warm", lang)


@functools.lru_cache(maxsize=200_000)
def _lemma(word: str, lang: str) -> str:
    if not word[0].isalpha():
        return word
    langs: str | tuple[str, ...] = lang if lang in ("de", "en") else ("de", "en")
    try:
        return lemmatizer()(word, langs).lower()
    except (ValueError, KeyError):  # a language simplemma does not know
        return word


def lemmatised(text: str, lang: str | None) -> tuple[list[str], list[str]]:
    """The words of a text and their lemmas, as cues are matched on them."""
    surface = [t for t in tokens(normalise(text)) if t[0].isalpha()]
    return surface, [_lemma(t, lang or "") for t in surface]


#: Authors a sentence's features name: those the corpus tells (a complaint is the customer's); any
#: other author reads as an unknown one, as training saw the other registers.
SPEAKING = frozenset(AUTHOR_OF_REGISTER.values())


def featurize(text: str, lang: str | None, negation: frozenset[str], lexicon_hits: Iterable[str] = (),
              cues: Cues | None = None, author: str | None = None) -> Features:
    """The features of one sentence (the author's words, quotations masked). Who writes is a
    feature: "our domain stopped resolving this morning" is a complaint from a customer, not a
    vendor's claim, and the words alone do not say which."""
    norm = normalise(text)
    toks = tokens(norm)
    spelled: set[str] = set()
    words: list[str] = []
    surface: list[str] = []
    lemmas: list[str] = []
    clause_of: list[int] = []
    negated_clauses: set[int] = set()
    clause = 0
    in_scope = 0
    prev = "^"
    code = lang or ""
    emit = words.append  # a megabyte is a quarter of a million tokens: no attribute lookups per token
    for tok in toks:
        if tok in _CLAUSE_BREAK:
            in_scope = 0
            clause += 1
            if tok in _STOPS:
                prev = "|"
                continue
        if not tok[0].isalnum() and tok != "«q»":
            emit("w:" + tok)
            prev = tok
            continue
        if len(tok) > 40:
            tok = lemma = "<long>"  # a URL, a hash, base64: no word to learn from
        elif tok == "«q»":
            lemma = tok
        else:
            lemma = _lemma(tok, code)
            if tok[0].isalpha():
                spelled.add(tok)
        surface.append(tok)
        lemmas.append(lemma)
        clause_of.append(clause)
        if in_scope:
            emit("n:" + lemma)
            in_scope -= 1
        else:
            emit("w:" + lemma)
        emit(f"b:{prev} {lemma}")
        prev = lemma
        if tok in negation:
            in_scope = 6
            negated_clauses.add(clause)
    symbols = [f"s:lex:{hit}" for hit in lexicon_hits]
    stripped = text.rstrip()
    question = stripped.endswith("?")
    if question:
        symbols.append("s:question")
    if "«q»" in norm:
        symbols.append("s:quotation")
    if lang:
        symbols.append("s:lang:" + lang)
    if author in SPEAKING:
        symbols.append("s:by:" + author)
    if cues is not None:
        hits = cues.matches(surface, lemmas)
        marks = {c[5:] for c, _ in hits if c.startswith("mark:")}
        persons = [p for p in ("we", "you") if p in marks]
        symbols += [f"s:mark:{m}" for m in marks]
        for category, pos in hits:
            if category.startswith("mark:"):
                continue
            status = "neg" if clause_of[pos] in negated_clauses else "q" if question else "ok"
            symbols.append(f"s:cue:{category}:{status}")
            # A linear model cannot combine on its own: who acts, and when, decides
            # between "we credit you" and "we want a credit", a promise and a report.
            symbols += [f"s:cue:{category}:{status}+{p}" for p in persons]
        if cues.mentions_time(text):
            symbols.append("s:time")
            symbols.append("s:time+" + ("past" if "past" in marks else "future" if "future" in marks else "plain"))
    return Features(frozenset(spelled), tuple(sorted(set(words))), tuple(sorted(set(symbols))))
