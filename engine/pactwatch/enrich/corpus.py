"""Labelled sentences for message analysis, and the split that keeps the test set honest.

A corpus file is either a flat list of samples (``{lang, labels, text}``, the format
``pactwatch lexicon score`` has always read) or a list of *stories*: one incident told
in several registers, ``{story, lang, register?, collection?, items: [{labels, text,
register?}]}``. Stories are the unit of the split, so the same incident never serves
both for training and for measuring; a ``collection`` is a list of unrelated sentences,
each its own unit. The split follows from a hash of the unit's id: nobody picks where a
sentence lands, and adding stories never moves the existing ones.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .._validation import problems_from_validation
from .._yaml import load_yaml
from ..errors import PactwatchError, Problem
from .categories import label_of

__all__ = ["AUTHOR_OF_REGISTER", "SPLITS", "Sample", "Split", "author_of", "load_corpus", "split_of", "without_authors"]

Split = Literal["train", "dev", "test"]
#: a label as written, in the categories' spelling once read ("Regret" is regret; "sarcasm" an error)
Label = Annotated[str, AfterValidator(label_of)]
SPLITS: tuple[Split, ...] = ("train", "dev", "test")

#: Of every 20 units: 11 train, 4 dev, 5 test.
_CUTS: tuple[tuple[int, Split], ...] = ((11, "train"), (15, "dev"), (20, "test"))


class Sample(BaseModel):
    """One labelled text. Unknown keys are ignored, so other people's corpora load as they are."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    lang: str
    text: str
    labels: list[Label]
    story: str | None = None
    register_: str | None = Field(default=None, alias="register")
    unit: str | None = None
    fixed_split: Split | None = None


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    labels: list[Label]
    text: str
    register_: str | None = Field(default=None, alias="register")


class _Story(BaseModel):
    """A story (or, with ``collection``, a list of unrelated sentences) in one language."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    story: str
    lang: str
    register_: str | None = Field(default=None, alias="register")
    collection: bool = False
    #: only "train": material that tuned the lexicons may train the model, never measure it
    split: Literal["train"] | None = None
    items: list[_Item]


#: who writes in a register: a complaint is the customer's (the corpus format's way of saying what an
#: event's ``actor`` says in a case); other registers are written by either side
AUTHOR_OF_REGISTER = {"complaint": "customer"}


def author_of(sample: Sample) -> str | None:
    return AUTHOR_OF_REGISTER.get(sample.register_ or "")


def without_authors(samples: list[Sample]) -> list[Sample]:
    """The samples as a flat corpus gives them, with no register to say who writes."""
    return [s.model_copy(update={"register_": None}) for s in samples]


def split_of(unit: str) -> Split:
    """The split of a story (or of one sentence of a collection), from its id alone."""
    bucket = int(hashlib.sha256(unit.encode("utf-8")).hexdigest()[:8], 16) % 20
    for cut, name in _CUTS:
        if bucket < cut:
            return name
    raise AssertionError(bucket)


def _from_stories(stories: list[_Story]) -> list[Sample]:
    out = []
    for story in stories:
        for i, item in enumerate(story.items, 1):
            unit = f"{story.story}#{i}" if story.collection else story.story
            out.append(Sample(lang=story.lang, text=item.text, labels=item.labels, story=story.story,
                              register=item.register_ or story.register_, unit=unit, fixed_split=story.split))
    return out


def _load_file(path: Path) -> list[Sample]:
    doc = load_yaml(path)
    data: Any = doc.data
    if not isinstance(data, list):
        raise PactwatchError(Problem("corpus-invalid", "a corpus file holds a list of samples or stories", file=doc.file))
    grouped = bool(data) and isinstance(data[0], dict) and "items" in data[0]
    try:
        if grouped:
            return _from_stories(TypeAdapter(list[_Story]).validate_python(data))
        return TypeAdapter(list[Sample]).validate_python(data)
    except ValidationError as exc:
        raise PactwatchError(problems_from_validation(exc, code="corpus-invalid", file=doc.file,
                                                      line_of=doc.line_of)) from None


def load_corpus(path: str | Path, split: Split | None = None) -> list[Sample]:
    """Samples of a corpus file or folder (its ``*.yaml``, sorted), optionally of one split.

    Only samples that belong to a story or collection have a split; asking for a split of
    a flat corpus is an error rather than an empty result.
    """
    root = Path(path)
    files = sorted(root.glob("*.yaml")) if root.is_dir() else [root]
    if not files:
        raise PactwatchError(Problem("corpus-invalid", "no *.yaml corpus files in this folder", file=str(root)))
    samples = [s for f in files for s in _load_file(f)]
    if split is None:
        return samples
    if any(s.unit is None for s in samples):
        raise PactwatchError(Problem("corpus-invalid", "--split needs a corpus of stories (samples without a story have no split)",
                                     file=str(root)))
    return [s for s in samples if (s.fixed_split or split_of(s.unit or "")) == split]
