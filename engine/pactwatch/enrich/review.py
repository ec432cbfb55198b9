"""Human review of the readings a finding rests on: annotations as data in the case folder.

The reader is a model; where it is unsure, a person decides. ``annotations.yaml`` records
each decision — which event, which sentence (span and text), which categories, who, when —
and the next evaluation reads that sentence as the reviewer said (reader ``reviewer``).
The file is plain data, reviewed like any other evidence; pactwatch never writes into it
except through ``pactwatch review``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, TypeAdapter, ValidationError, field_validator

from .._files import write_atomically
from .._validation import problems_from_validation
from .._yaml import LocatedYaml, load_yaml
from ..errors import PactwatchError, Problem
from ..models._base import Frozen
from .messages import CATEGORIES

__all__ = ["ANNOTATIONS_FILE", "Annotation", "Annotations", "load_annotations", "dump_annotations", "parse_annotations", "save_annotations"]

ANNOTATIONS_FILE = "annotations.yaml"

#: event id → its reviewed sentences
Annotations = Mapping[str, Sequence["Annotation"]]


class Annotation(Frozen):
    """A reviewer's reading of one sentence of one event's text."""

    event: str = Field(description="Event id.")
    start: int = Field(ge=0, description="Start of the sentence in the event's text (characters).")
    end: int = Field(gt=0, description="End of the sentence (exclusive).")
    sentence: str = Field(description="The sentence as reviewed; if the text changed, the annotation no longer applies.")
    labels: list[str] = Field(description="The categories the sentence has (empty: none).")
    reviewer: str = Field(min_length=1)
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD.")
    note: str | None = None

    @field_validator("labels")
    @classmethod
    def _known(cls, labels: list[str]) -> list[str]:
        unknown = sorted(set(labels) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"unknown categories {unknown}; known: {', '.join(CATEGORIES)}")
        return sorted(set(labels))


def load_annotations(path: Path) -> dict[str, list[Annotation]]:
    """The annotations of a case folder by event id (none when the file does not exist)."""
    if not path.is_file():
        return {}
    return _by_event(load_yaml(path))


def parse_annotations(text: str, name: str) -> dict[str, list[Annotation]]:
    """Annotations sent as text (YAML or JSON, the file's format); ``name`` locates problems."""
    return _by_event(load_yaml(name, text))


def _by_event(doc: LocatedYaml) -> dict[str, list[Annotation]]:
    if doc.data is None:
        return {}
    try:
        items = TypeAdapter(list[Annotation]).validate_python(doc.data)
    except ValidationError as exc:
        raise PactwatchError(problems_from_validation(exc, code="annotations-invalid", file=doc.file,
                                                      line_of=doc.line_of)) from None
    out: dict[str, list[Annotation]] = {}
    for i, a in enumerate(items):
        if a.end <= a.start:
            raise PactwatchError(Problem("annotations-invalid", "end must be after start", file=doc.file,
                                         line=doc.line_of((i, "end")), field=f"[{i}].end"))
        out.setdefault(a.event, []).append(a)
    return out


def dump_annotations(annotations: Mapping[str, Sequence[Annotation]]) -> str:
    """The annotations file's text, sorted by event and position, so a review shows as a small diff."""
    rows: list[dict[str, Any]] = [a.model_dump(exclude_none=True) for event in sorted(annotations)
                                  for a in sorted(annotations[event], key=lambda a: (a.start, a.end))]
    header = "# Sentences a reviewer read (pactwatch review); `pactwatch check` reads them this way.\n"
    return header + yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, width=100)


def save_annotations(path: Path, annotations: Mapping[str, Sequence[Annotation]]) -> None:
    """Write the case folder's annotations file (atomically)."""
    write_atomically(path, dump_annotations(annotations).encode("utf-8"))
