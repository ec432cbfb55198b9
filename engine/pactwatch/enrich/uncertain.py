"""The sentences a reviewer should read: uncertain readings, and the findings they decide.

One list for every front end (``pactwatch review``, the web page): a sentence is listed when a
category is within the model's review margin of its threshold; by default only when its event
is evidence of a finding, since only then does the reading change an outcome. Sentences a
reviewer has already decided are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..models.events import Event
from ..models.report import Report
from .messages import CATEGORIES, MessageAnalyzer
from .review import Annotation, Annotations

__all__ = ["Sentence", "annotation_for", "review_queue", "sentences", "with_decisions"]


@dataclass(frozen=True)
class Sentence:
    key: str  # EVENT#N: the N-th sentence of the event's text
    event: Event
    start: int
    end: int
    text: str
    reading: list[str]  # categories read as present
    close: dict[str, float]  # categories within the review margin of their threshold → probability
    decides: tuple[str, ...] = ()  # rules whose findings cite the event


def sentences(analyzer: MessageAnalyzer, event: Event) -> list[Sentence]:
    """Every sentence of the event's text the model read, with its reading."""
    text = event.text or ""
    _, units, verdicts = analyzer.readings(text, event.lang, event.actor)
    out = []
    model = analyzer.model
    for n, (unit, probs) in enumerate(zip(units, verdicts, strict=True), 1):
        if probs is None or model is None:
            continue
        deciding = model.deciding(probs, event.actor)
        reading = [c for c in CATEGORIES if c in deciding and deciding[c][0] >= deciding[c][1]]
        close = {c: p for c, (p, line) in deciding.items() if abs(p - line) < model.review_margin}
        out.append(Sentence(f"{event.id}#{n}", event, unit.start, unit.end, text[unit.start:unit.end], reading, close))
    return out


def review_queue(analyzer: MessageAnalyzer, events: Iterable[Event], report: Report, annotations: Annotations,
                 show_all: bool = False) -> list[Sentence]:
    """The uncertain sentences not yet reviewed, each with the rules it decides (``show_all``: also
    those no finding rests on), in the order of the events."""
    deciding: dict[str, set[str]] = {}
    for v in report.violations:
        for ev in v.evidence:
            deciding.setdefault(ev.event, set()).add(v.rule)
    reviewed = {(a.event, a.start, a.end) for items in annotations.values() for a in items}
    out = []
    for event in events:
        if not event.text:
            continue
        for s in sentences(analyzer, event):
            if not s.close or (event.id, s.start, s.end) in reviewed:
                continue
            rules = tuple(sorted(deciding.get(event.id or "", ())))
            if rules or show_all:
                out.append(Sentence(s.key, s.event, s.start, s.end, s.text, s.reading, s.close, rules))
    return out


def annotation_for(sentence: Sentence, labels: list[str] | None, reviewer: str, on: date) -> Annotation:
    """A reviewer's reading of one sentence (``labels`` None: the reading shown is right).
    Raises ValueError for an unknown category or an empty reviewer."""
    chosen = list(sentence.reading) if labels is None else labels
    return Annotation(event=sentence.event.id or "", start=sentence.start, end=sentence.end, sentence=sentence.text,
                      labels=chosen, reviewer=reviewer, date=on.isoformat())


def with_decisions(annotations: Annotations, notes: Iterable[Annotation]) -> dict[str, list[Annotation]]:
    """The annotations with these decisions, each replacing an earlier one on the same span."""
    out = {k: list(v) for k, v in annotations.items()}
    for a in notes:
        kept = [b for b in out.get(a.event, []) if (b.start, b.end) != (a.start, a.end)]
        out[a.event] = [*kept, a]
    return out
