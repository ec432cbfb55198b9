"""Precision and recall of message analysis on a labelled corpus.

Users who extend the lexicons measure their change with the same function the
project's test uses (``pactwatch lexicon score CORPUS``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .corpus import Sample, author_of, load_corpus
from .messages import CATEGORIES, Analysis, MessageAnalyzer

__all__ = ["Sample", "Score", "author_of", "load_corpus", "markdown_table", "predicted", "score"]


@dataclass(frozen=True)
class Score:
    category: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


def predicted(analysis: Analysis) -> set[str]:
    """The categories an analysis assigns, in the corpus's terms (apology = explicit only)."""
    found = {c for c in CATEGORIES if c not in ("apology", "regret") and analysis.has(c)}
    if analysis.apology == "explicit":
        found.add("apology")
    elif analysis.apology == "regret-only":
        found.add("regret")
    return found


def score(analyzer: MessageAnalyzer, samples: list[Sample]) -> tuple[dict[str, Score], list[tuple[Sample, set[str]]]]:
    """Per-category scores, and the samples whose prediction differs from their labels."""
    counts = {c: [0, 0, 0] for c in CATEGORIES}
    misses = []
    for sample in samples:
        got = predicted(analyzer.analyze(sample.text, sample.lang, author=author_of(sample)))
        want = set(sample.labels)
        for c in CATEGORIES:
            counts[c][0] += c in got and c in want
            counts[c][1] += c in got and c not in want
            counts[c][2] += c in want and c not in got
        if got != want:
            misses.append((sample, got))
    return {c: Score(c, *v) for c, v in counts.items()}, misses


def markdown_table(scores: dict[str, Score]) -> str:
    lines = ["| category | precision | recall | n |", "|---|---:|---:|---:|"]
    lines += [f"| {c} | {s.precision:.2f} | {s.recall:.2f} | {s.support} |" for c, s in scores.items()]
    return "\n".join(lines) + "\n"
