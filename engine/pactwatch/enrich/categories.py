"""What a sentence can be read as: the categories of the lexicons, the model and the corpus's labels.

In a module of its own because the corpus format (``corpus.py``) checks its labels against them
and the reader (``messages.py``) reads them, and the reader already imports the corpus's notion of
who writes.
"""

from __future__ import annotations

__all__ = ["CATEGORIES", "label_of"]

#: The categories a lexicon may define (docs/message-analysis.md).
CATEGORIES = ("apology", "regret", "resolution_claim", "boilerplate", "referral", "compensation_offer",
              "compensation_request", "commitment", "admission", "cause", "measure")


def label_of(written: str) -> str:
    """A label as a corpus may spell it ("Regret", "resolution claim", "compensation-offer") in the
    categories' own spelling; a label that is none of them is an error, not a label nobody scores."""
    label = "_".join(written.strip().lower().replace("-", " ").split())
    if label not in CATEGORIES:
        raise ValueError(f"unknown label {written!r}: a label is one of {', '.join(CATEGORIES)}")
    return label
