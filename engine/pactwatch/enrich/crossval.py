"""Cross-validated quality of the reader, for working on the corpus without touching test.

The shipped model is trained on train and dev, so scoring dev with it says nothing (it reads
1.00). Cross-validation trains one model per fold on the other folds and scores the fold it
left out: every train/dev sentence is scored once by a model that never saw its story. Folds
follow a hash of the story (or collection item) id, like the split itself; material fixed to
train (``split: train``) trains every fold and is never scored. Test is never loaded.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from .quality import Score, score
from .sentence_model import SentenceModel
from .training import TrainParams, train

if TYPE_CHECKING:
    from .corpus import Sample
    from .messages import Lexicon

__all__ = ["cross_validate", "fold_of", "macro_f1"]


def fold_of(sample: Sample, folds: int, assignment: int = 0) -> int:
    """The fold a sample is scored in, from its unit id alone (a story never spans two folds).
    Another ``assignment`` deals the units out anew: gains smaller than the spread between
    assignments are noise (docs/message-analysis.md)."""
    unit = sample.unit or sample.story or sample.text
    salt = "cv" if assignment == 0 else f"cv{assignment}"
    return int(hashlib.sha256(f"{salt}:{unit}".encode()).hexdigest()[:8], 16) % folds


def cross_validate(lexicons: list[Lexicon], samples: list[Sample], folds: int = 4,
                   params: TrainParams | None = None, assignment: int = 0,
                   misses: list[tuple[Sample, set[str]]] | None = None) -> dict[str, Score]:
    """Per-category scores summed over the folds; ``misses`` (if given) receives every sentence read
    otherwise than labelled, with its reading."""
    from .messages import MessageAnalyzer

    totals: dict[str, list[int]] = {}
    for k in range(folds):
        fit = [s for s in samples if s.fixed_split or fold_of(s, folds, assignment) != k]
        held = [s for s in samples if not s.fixed_split and fold_of(s, folds, assignment) == k]
        model = SentenceModel(train(MessageAnalyzer(lexicons), fit, params or TrainParams()))
        scores, missed = score(MessageAnalyzer(lexicons, model), held)
        if misses is not None:
            misses.extend(missed)
        for category, s in scores.items():
            t = totals.setdefault(category, [0, 0, 0])
            t[0] += s.tp
            t[1] += s.fp
            t[2] += s.fn
    return {c: Score(c, *v) for c, v in totals.items()}


def macro_f1(scores: dict[str, Score]) -> float:
    """The mean F1 over categories: one number to compare two runs by."""
    f1 = [2 * s.tp / (2 * s.tp + s.fp + s.fn) if s.tp else 0.0 for s in scores.values()]
    return sum(f1) / len(f1) if f1 else 0.0
