"""Train the sentence model from a labelled corpus (``pactwatch lexicon train``).

One binary logistic regression per category over the features of ``_features`` (the
lexicon's matches among them). Decision thresholds come from out-of-fold predictions on
the training samples themselves (folds by story), never from the test split. Weights are
stored as integers, the file is written with sorted keys and a fixed gzip header, so the
same corpus and lexicons give the same model bytes.

scikit-learn is imported here only: evaluating never needs it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
from collections import Counter
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from ._features import BLOCKS
from .corpus import author_of
from .messages import CATEGORIES
from .noise import noisy_copy
from .sentence_model import FORMAT

if TYPE_CHECKING:
    from .corpus import Sample
    from .messages import MessageAnalyzer

__all__ = ["TrainParams", "sample_features", "train", "dump_model"]

_NORMALISED = ("c", "w")
_SCALE = 10_000


@dataclass(frozen=True)
class TrainParams:
    """Hyper-parameters, chosen on the dev split (docs/message-analysis.md)."""

    #: Cross-validated (``pactwatch lexicon cv``) on the corpus of round 12: macro-F1 0.812 at c=8,
    #: 0.814 at 16 (symbol_scale 0.35); 16 read held-out sentences of the unit tests worse
    #: ("Our accounts department will contact you" as a referral), so the stronger prior stays.
    c: float = 8.0
    min_df: int = 2
    folds: int = 5
    min_threshold: float = 0.2
    #: OOF thresholds are optimistic: folds share the corpus's authors and style, so the F1-best
    #: threshold sits too high for unseen wording. Capped at 0.6 (chosen on dev with a model trained
    #: on train only: macro-F1 0.779 uncapped, 0.803 at 0.6, 0.804 at 0.55, 0.799 at 0.65).
    max_threshold: float = 0.6
    #: Of the thresholds whose out-of-fold F1 is within this of the best, the middle one is taken.
    #: The single F1-best threshold jumped with small corpus changes (12 sentences re-spelt moved
    #: compensation requests 0.52 → 0.32); resampled 30 times, its spread was 0.074 on average
    #: (0.117 at most), the middle of the 0.02 plateau's 0.044 (0.063). Cross-validated macro-F1
    #: 0.839 → 0.841 (assignment 0) and 0.841 → 0.843 (assignment 1); 0.01 and 0.005 gave less.
    threshold_tolerance: float = 0.02
    balanced: bool = True
    #: two categories no training sentence has together exclude each other when read (chosen on dev)
    exclusive: bool = True
    #: a positive reading below threshold + this is offered for review (``pactwatch review``)
    review_margin: float = 0.15
    #: Symbols (lexicon hits, cues, markers) count half: at full weight the model leaned on them and
    #: missed sentences told without the usual words. Chosen on dev with a model trained on train
    #: only: macro-F1 0.835 at 1.0, 0.832 at 0.7, 0.849 at 0.5, 0.843 at 0.4, 0.851 at 0.35, 0.846 at 0.25.
    #: Cross-validated on the corpus of round 12 (c=8): 0.806 at 0.5, 0.812 at 0.35.
    symbol_scale: float = 0.35
    blocks: tuple[str, ...] = BLOCKS
    #: train on a noisy copy of every sentence too (typos, umlauts spelt out, chat style: ``noise.py``)
    noisy_copies: bool = True
    #: Train each sentence whose author is known once more without it: a reader told no author (a
    #: flat corpus, an event without ``actor``) then still reads a customer's words from the words.
    #: Without the copies the request head leant on ``s:by:customer``; cross-validated with the held
    #: sentences' authors removed, macro-F1 0.822 / 0.825 → 0.840 / 0.844 (requests found 79 → 119 of
    #: 176), with them 0.860 / 0.862 → 0.858 / 0.863 (docs/message-analysis.md).
    unauthored_copies: bool = True
    #: Every line but apology's and regret's (``TONE``) raised by this after the plateau's middle is chosen
    #: (``shift_lines``). Out of fold the lines sit at the F1 best for the corpus's own wording; on unseen
    #: sentences precision fell short of recall in nearly every category. 0.06 raised the probes' precision and
    #: cross-validation but not its fresh round, so it stays 0.0 (docs/message-analysis.md, "Every line but
    #: apology's and regret's raised by 0.06").
    threshold_shift: float = 0.0


def sample_features(analyzer: MessageAnalyzer, text: str, lang: str | None,
                    author: str | None = None) -> dict[str, list[str]]:
    """The features of a whole sample, as the analyser would see its sentences together: in the language
    it reads them in (``units``: "de-CH" is German), not the tag as the corpus spells it."""
    lang, units = analyzer.units(text, lang)
    blocks: dict[str, set[str]] = {b: set() for b in BLOCKS}
    for unit, courtesy in zip(units, analyzer.courtesy(units, lang, all_forms=False), strict=True):
        if not unit.words.strip() or courtesy:
            continue
        for block, names in analyzer.features(unit, lang, author).blocks().items():
            blocks[block].update(names)
    return {b: sorted(v) for b, v in blocks.items()}


def _matrix(rows: list[dict[str, list[str]]], vocabulary: dict[str, int], scales: dict[str, float] | None = None) -> Any:
    from scipy.sparse import csr_matrix

    data, indices, indptr = [], [], [0]
    for row in rows:
        for block, names in row.items():
            if not names:
                continue
            value = (1.0 / math.sqrt(len(names)) if block in _NORMALISED else 1.0) * (scales or {}).get(block, 1.0)
            for name in names:
                j = vocabulary.get(name)
                if j is not None:
                    indices.append(j)
                    data.append(value)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), len(vocabulary)))


def _fit(x: Any, y: list[int], c: float, balanced: bool) -> tuple[list[float], float]:
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2:  # a category with no example: never fires
        return [0.0] * x.shape[1], -10.0
    model = LogisticRegression(C=c, solver="lbfgs", max_iter=5000, class_weight="balanced" if balanced else None)
    model.fit(x, y)
    return [float(w) for w in model.coef_[0]], float(model.intercept_[0])


def _best_threshold(probs: list[float], truth: list[int], params: TrainParams) -> float:
    """The middle of the thresholds whose out-of-fold F1 is near the best (``threshold_tolerance``):
    a plateau's middle moves little when a few sentences change, its edge or peak a lot."""
    grid = [step / 100 for step in range(round(params.min_threshold * 100), round(params.max_threshold * 100) + 1)]
    f1 = []
    for t in grid:
        tp = sum(1 for p, y in zip(probs, truth, strict=True) if p >= t and y)
        fp = sum(1 for p, y in zip(probs, truth, strict=True) if p >= t and not y)
        fn = sum(1 for p, y in zip(probs, truth, strict=True) if p < t and y)
        f1.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    best = max(f1)
    near = [t for t, v in zip(grid, f1, strict=True) if v >= best - params.threshold_tolerance]
    return near[len(near) // 2]


def _vocabulary(rows: list[dict[str, list[str]]], min_df: int) -> dict[str, int]:
    df = Counter(name for row in rows for names in row.values() for name in names)
    keep = sorted(name for name, n in df.items() if n >= min_df or name.startswith("s:"))
    return {name: i for i, name in enumerate(keep)}


def train(analyzer: MessageAnalyzer, samples: list[Sample], params: TrainParams = TrainParams()) -> dict[str, Any]:
    """A model document (see ``sentence_model``) trained on ``samples``."""
    import numpy as np
    from sklearn.model_selection import GroupKFold

    texts = [(s, s.text, s.unit or s.story or str(i), author_of(s)) for i, s in enumerate(samples)]
    if params.noisy_copies:  # each copy in its sentence's group: never scored against its own original
        texts += [(s, copy, group, author) for s, _, group, author in texts if (copy := noisy_copy(s.text))]
    if params.unauthored_copies:
        texts += [(s, text, group, None) for s, text, group, author in texts if author is not None]
    rows = [{b: v for b, v in sample_features(analyzer, text, s.lang, author).items() if b in params.blocks}
            for s, text, _, author in texts]
    groups = [group for _, _, group, _ in texts]
    labels = [s.labels for s, _, _, _ in texts]
    vocabulary = _vocabulary(rows, params.min_df)
    scales = {"s": params.symbol_scale}
    x = _matrix(rows, vocabulary, scales)
    heads = [(c, (c,)) for c in CATEGORIES] + list(MERGED.items())
    weights = np.zeros((len(vocabulary), len(heads)))
    bias, thresholds = [], []
    folds = GroupKFold(n_splits=params.folds)
    for k, (_, of) in enumerate(heads):
        y = [int(any(c in ls for c in of)) for ls in labels]
        oof = [0.0] * len(texts)
        for fit_idx, held_idx in folds.split(x, y, groups):
            w, b = _fit(x[fit_idx], [y[i] for i in fit_idx], params.c, params.balanced)
            scores = x[held_idx] @ np.array(w) + b
            for i, z in zip(held_idx, scores, strict=True):
                oof[i] = 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, float(z)))))
        # thresholds are chosen on the real sentences only: a copy scored beside its original would
        # count the same sentence twice and pull the line towards what the corpus spells alike
        thresholds.append(_best_threshold(oof[:len(samples)], y[:len(samples)], params))
        w, b = _fit(x, y, params.c, params.balanced)
        weights[:, k] = w
        bias.append(b)
    thresholds = shift_lines(thresholds, [name for name, _ in heads], params.threshold_shift)
    n = len(CATEGORIES)
    names = sorted(vocabulary)
    table = {}
    for name in names:
        ints = [round(v * _SCALE) for v in weights[vocabulary[name]]]
        if any(ints):
            table[name] = ints
    digest = hashlib.sha256("\n".join(f"{s.lang}\t{sorted(s.labels)}\t{s.text}" for s in samples).encode()).hexdigest()
    return {
        "format": FORMAT,
        "categories": list(CATEGORIES),
        "scale": _SCALE,
        "normalised_blocks": list(_NORMALISED),
        "block_scale": scales,
        "bias": [round(b * _SCALE) for b in bias[:n]],
        "thresholds": thresholds[:n],
        "merged": {name: {"of": list(of), "bias": round(bias[n + i] * _SCALE), "threshold": thresholds[n + i]}
                   for i, (name, of) in enumerate(MERGED.items())},
        "author_heads": AUTHOR_HEADS,
        "review_margin": params.review_margin,
        "weights": table,
        "exclusive": _exclusive(samples) if params.exclusive else [],
        "dominates": [list(pair) for pair in DOMINATES],
        "authored": AUTHORED,
        "meta": {"samples": len(samples), "corpus_sha256": digest[:32], "params": asdict(params),
                 "features": len(table)},
    }


#: Who writes decides between these where the author is known: an offer is the vendor's, a
#: request the customer's. They exclude each other like any pair no sentence has together, but
#: the engine, which knows the actor, lets the author's category win instead of the margin (a
#: customer's "we claim the service credit" read more as an offer is still a claim, which is what
#: ``no-compensation`` starts from). Chosen on dev: macro-F1 0.807 with the pair left open, 0.811
#: exclusive (text only, as the corpus is scored).
AUTHORED = {"vendor": "compensation_offer", "customer": "compensation_request"}


#: Heads trained on the union of categories, after the categories' own columns. Where the author
#: says which of a pair is meant (``AUTHOR_HEADS``), the model need only say whether the sentence is
#: about compensation at all, and the union has twice the examples: a customer's "Bitte schreiben Sie
#: uns die laut SLA vorgesehenen 15 % gut" read 0.10 as a request, its words being those of offers.
#: Cross-validated (``lexicon cv``, the complaint register read as the customer's): request F1 0.762 →
#: 0.793 (assignment 0), 0.769 → 0.802 (assignment 1); no other category moved.
MERGED = {"compensation": ("compensation_offer", "compensation_request")}

#: author -> the merged head that decides the author's category of its pair. Only the customer:
#: the corpus knows the customer's sentences (the complaint register), so only there is it measured.
AUTHOR_HEADS = {"customer": "compensation"}


#: The label guide settles these pairs: "a sentence with an apology is not also labelled regret".
#: Left to the margins, "Es tut uns leid, … und wir entschuldigen uns …" was read as regret only.
DOMINATES = (("apology", "regret"),)


#: An apology or regret goes with any answer ("Sorry for the confusion – invoices are handled by our
#: finance team, please email …"): that no training sentence has a pair with one of them says nothing,
#: and an exclusive pair would drop the apology. Chosen on dev with a model trained on train only:
#: macro-F1 0.857 with and without these pairs.
TONE = frozenset({"apology", "regret"})


def shift_lines(thresholds: list[float], heads: list[str], shift: float) -> list[float]:
    """Each head's line raised by ``shift``, apology's and regret's left where they are: an apology or regret
    read weakly is still the author's ("Leider kam es zu einer Störung …" read 0.53 as regret), and a
    missing one is what ``no-apology`` accuses the vendor of. Rounded to the grid the lines are chosen on."""
    return [t if head in TONE else round(t + shift, 2) for t, head in zip(thresholds, heads, strict=True)]


def _exclusive(samples: list[Sample], support: int = 10) -> list[list[str]]:
    """Pairs of categories (each with enough examples) that no sample carries together, tone aside."""
    counts = Counter(c for s in samples for c in set(s.labels))
    together = Counter(frozenset((a, b)) for s in samples for a in set(s.labels) for b in set(s.labels) if a < b)
    known = [c for c in CATEGORIES if counts[c] >= support]
    return [[a, b] for i, a in enumerate(known) for b in known[i + 1:]
            if not together[frozenset((a, b))] and not TONE & {a, b}]


def dump_model(doc: dict[str, Any]) -> bytes:
    """Deterministic bytes: sorted keys, no timestamp in the gzip header."""
    raw = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return gzip.compress(raw, compresslevel=9, mtime=0)
