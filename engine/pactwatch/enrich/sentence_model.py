"""The trained sentence reader: logistic regression over the features of ``_features``.

The model is data (``rules/lexicons/sentence-model.json.gz``): per feature one integer
weight per category, a bias and a decision threshold per category. Inference sums the
rows of the features present (numpy, which the language detector already needs); a run
never needs scikit-learn, and the same model file gives the same verdicts everywhere.
``pactwatch lexicon train`` rebuilds the file from the corpus (``training.py``).
"""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import PactwatchError, Problem

__all__ = ["MODEL_FILE", "SentenceModel"]

#: Where a rule library keeps its model, relative to the library root.
MODEL_FILE = Path("lexicons") / "sentence-model.json.gz"
FORMAT = 1


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


class SentenceModel:
    """Probabilities per category for one sentence's features."""

    def __init__(self, doc: dict[str, Any]):
        if doc.get("format") != FORMAT:
            raise ValueError(f"unsupported model format {doc.get('format')!r}")
        self.categories: tuple[str, ...] = tuple(doc["categories"])
        scale = float(doc["scale"])
        self.bias = [b / scale for b in doc["bias"]]
        self.thresholds = dict(zip(self.categories, doc["thresholds"], strict=True))
        #: a positive reading below threshold + margin is offered for human review
        self.review_margin = float(doc["review_margin"])
        self.normalised = frozenset(doc["normalised_blocks"])
        #: a block's features count this much (symbols half: see training); 1 where not named
        self.block_scale: dict[str, float] = {str(k): float(v) for k, v in doc.get("block_scale", {}).items()}
        names = sorted(doc["weights"])
        self.index = {name: i for i, name in enumerate(names)}
        self.matrix = np.array([doc["weights"][n] for n in names], dtype=np.float64).reshape(len(names), -1) / scale
        self._bias = np.array(self.bias)
        self.meta: dict[str, Any] = doc.get("meta", {})
        #: pairs of categories no labelled sentence has together: a sentence read as both keeps
        #: the one it is more clearly (see ``present``)
        self.exclusive = frozenset(frozenset(pair) for pair in doc.get("exclusive", []))
        #: (stronger, weaker): where the label guide settles a pair, it does, not the margins
        self.dominates = frozenset(tuple(pair) for pair in doc.get("dominates", []))
        #: author -> the category that author's words are read as, of an exclusive pair the author
        #: decides (a vendor offers compensation, a customer asks for it)
        self.authored: dict[str, str] = dict(doc.get("authored", {}))

    @classmethod
    def load(cls, path: Path) -> SentenceModel:
        try:
            doc = json.loads(gzip.decompress(path.read_bytes()))
            return cls(doc)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise PactwatchError(Problem("model-invalid", f"cannot read the sentence model: {exc}", file=str(path))) from None

    def present(self, probs: dict[str, float], author: str | None = None) -> set[str]:
        """The categories a sentence is read as: over the threshold, and of two that exclude each other
        the one further over it (in log-odds). No labelled sentence is both a cause and a referral,
        so a sentence read as both is the one it is more clearly. Where the author is known and
        decides a pair (``authored``: "we claim the credit" from a customer is a request however
        much it reads like an offer), the author's category wins instead of the margin."""
        over = {c for c, p in probs.items() if p >= self.thresholds[c]}
        over -= {weaker for stronger, weaker in self.dominates if stronger in over}
        own = self.authored.get(author or "")
        ranked = sorted(over, key=lambda c: (c != own, -(_logit(probs[c]) - _logit(self.thresholds[c])), c))
        chosen: set[str] = set()
        for category in ranked:
            if not any(frozenset((category, other)) in self.exclusive for other in chosen):
                chosen.add(category)
        return chosen

    def probabilities(self, features: dict[str, list[str]]) -> dict[str, float]:
        return self.probabilities_many([features])[0]

    def probabilities_many(self, batch: list[dict[str, list[str]]]) -> list[dict[str, float]]:
        """Probabilities for many sentences, a few hundred per matrix product (memory stays small)."""
        out: list[dict[str, float]] = []
        for i in range(0, len(batch), 256):
            out += self._chunk(batch[i:i + 256])
        return out

    def _chunk(self, batch: list[dict[str, list[str]]]) -> list[dict[str, float]]:
        index = self.index
        rows: list[int] = []
        scale: list[float] = []
        starts: list[int] = []  # where each sentence's rows begin (rows are grouped by sentence)
        owners: list[int] = []
        for n, features in enumerate(batch):
            begin = len(rows)
            for block, names in features.items():
                if not names:
                    continue
                found = [i for i in map(index.get, names) if i is not None]
                factor = (1.0 / math.sqrt(len(names)) if block in self.normalised else 1.0) * self.block_scale.get(block, 1.0)
                rows += found
                scale += [factor] * len(found)
            if len(rows) > begin:
                starts.append(begin)
                owners.append(n)
        totals = np.tile(self._bias, (len(batch), 1))
        if rows:
            contrib = self.matrix[rows] * np.asarray(scale)[:, None]
            totals[owners] += np.add.reduceat(contrib, starts, axis=0)
        probs = 1.0 / (1.0 + np.exp(-np.clip(totals, -40.0, 40.0)))
        return [dict(zip(self.categories, row, strict=True)) for row in probs.tolist()]
