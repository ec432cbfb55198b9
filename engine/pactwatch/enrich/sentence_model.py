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
from ._features import Features, char_grams

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
        #: heads trained on the union of categories (name -> the categories), read after the
        #: categories' own; their probabilities sit in a sentence's verdict beside the categories'
        merged: dict[str, dict[str, Any]] = doc.get("merged", {})
        self.merged: dict[str, tuple[str, ...]] = {name: tuple(h["of"]) for name, h in sorted(merged.items())}
        self.heads: tuple[str, ...] = self.categories + tuple(self.merged)
        scale = float(doc["scale"])
        self.bias = [b / scale for b in doc["bias"]] + [merged[name]["bias"] / scale for name in self.merged]
        self.thresholds = dict(zip(self.heads, list(doc["thresholds"]) + [merged[n]["threshold"] for n in self.merged],
                                   strict=True))
        #: author -> the merged head that decides which of its categories the author's words are
        #: (a customer's words about compensation claim it, so the model need only see compensation)
        self.author_heads: dict[str, str] = {a: h for a, h in doc.get("author_heads", {}).items() if h in self.merged}
        #: a positive reading below threshold + margin is offered for human review
        self.review_margin = float(doc["review_margin"])
        self.normalised = frozenset(doc["normalised_blocks"])
        #: a block's features count this much (symbols half: see training); 1 where not named
        self.block_scale: dict[str, float] = {str(k): float(v) for k, v in doc.get("block_scale", {}).items()}
        names = sorted(doc["weights"])
        self.index = {name: i for i, name in enumerate(names)}
        #: the weights as stored, integers: a block's sum is exact in any order, so the rows of a
        #: sentence need no sorting and every machine adds up the same number
        self.weights = np.array([doc["weights"][n] for n in names], dtype=np.int64).reshape(len(names), -1)
        self.scale = scale
        self._bias = np.array(self.bias)
        #: word -> (rows of its character n-grams the model knows, the n-grams it does not)
        self._spelled: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {}
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
        much it reads like an offer), the author's category wins instead of the margin; where a merged
        head decides for that author (``author_heads``), it alone says whether the pair is present."""
        deciding = self.deciding(probs, author)
        over = {c for c, (p, line) in deciding.items() if p >= line}
        over -= {weaker for stronger, weaker in self.dominates if stronger in over}
        own = self.authored.get(author or "")
        ranked = sorted(over, key=lambda c: (c != own, -(_logit(deciding[c][0]) - _logit(deciding[c][1])), c))
        chosen: set[str] = set()
        for category in ranked:
            if not any(frozenset((category, other)) in self.exclusive for other in chosen):
                chosen.add(category)
        return chosen

    def deciding(self, probs: dict[str, float], author: str | None = None) -> dict[str, tuple[float, float]]:
        """Per category, the probability and the line that decide it for this author. For a customer's words
        the compensation head decides the request (the author says which of the pair it is, the head whether
        it is either) and an offer is not the customer's to make; the review queue asks the same question."""
        out = {c: (probs[c], self.thresholds[c]) for c in self.categories}
        head = self.author_heads.get(author or "")
        own = self.authored.get(author or "")
        if head is not None and own in self.merged[head] and head in probs:
            for category in self.merged[head]:
                del out[category]
            out[own] = (probs[head], self.thresholds[head])
        return out

    def probabilities(self, features: Features) -> dict[str, float]:
        return self.probabilities_many([features])[0]

    def probabilities_many(self, batch: list[Features]) -> list[dict[str, float]]:
        """Probabilities for many sentences, a few hundred per matrix product (memory stays small)."""
        out: list[dict[str, float]] = []
        for i in range(0, len(batch), 256):
            out += self._chunk(batch[i:i + 256])
        return out

    def _grams(self, word: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """A word's character n-grams as rows (known) and names (unknown: they count for the
        block's length all the same); looked up once per word, not once per sentence."""
        cached = self._spelled.get(word)
        if cached is None:
            known: list[int] = []
            unknown: list[str] = []
            for gram in char_grams(word):
                row = self.index.get(gram)
                if row is None:
                    unknown.append(gram)
                else:
                    known.append(row)
            cached = (tuple(known), tuple(unknown))
            if len(self._spelled) >= 200_000:
                self._spelled.clear()
            self._spelled[word] = cached
        return cached

    def _rows(self, features: Features) -> list[tuple[list[int], int, str]]:
        """Per block: the model's rows of the features present, how many features there are, the block."""
        known: set[int] = set()
        unknown: set[str] = set()
        spelled = self._spelled
        for word in features.spelled:
            rows, names = spelled.get(word) or self._grams(word)
            known.update(rows)
            unknown.update(names)
        index = self.index
        return [(list(known), len(known) + len(unknown), "c"),
                ([i for i in map(index.get, features.w) if i is not None], len(features.w), "w"),
                ([i for i in map(index.get, features.s) if i is not None], len(features.s), "s")]

    def _chunk(self, batch: list[Features]) -> list[dict[str, float]]:
        """Each block's integer weights summed exactly, then scaled by the block's factor; a
        sentence's total is its bias plus its blocks in the order c, w, s."""
        rows: list[int] = []
        starts: list[int] = []  # where each (sentence, block) group of rows begins
        factors: list[float] = []
        owners: list[int] = []
        for n, features in enumerate(batch):
            for found, count, block in self._rows(features):
                if not found:
                    continue
                starts.append(len(rows))
                rows += found
                factors.append((1.0 / math.sqrt(count) if block in self.normalised else 1.0)
                               * self.block_scale.get(block, 1.0) / self.scale)
                owners.append(n)
        totals = np.tile(self._bias, (len(batch), 1))
        if rows:
            sums = np.add.reduceat(self.weights[rows], starts, axis=0) * np.asarray(factors)[:, None]
            np.add.at(totals, owners, sums)
        probs = 1.0 / (1.0 + np.exp(-np.clip(totals, -40.0, 40.0)))
        return [dict(zip(self.heads, row, strict=True)) for row in probs.tolist()]
