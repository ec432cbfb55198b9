"""Texts read a batch ahead of evaluation.

Reading a message is pure: its analysis depends on its text, language, author and the
reviewer's annotations, never on what the case has seen. So the texts of the next events can
be read together before those events are evaluated one by one, in event time, as before.
Read together, a batch costs about two thirds of reading its messages one at a time
(``MessageAnalyzer.analyze_many``), and reading is most of what an event with text costs.

The batch is a fixed number of events, not a time span: the report does not depend on where
a batch ends, since each event gets the analysis it would have got alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from ..enrich.messages import Text
from ..models.events import DATA_MODELS, Event

if TYPE_CHECKING:
    from ..enrich.messages import Analysis, MessageAnalyzer
    from ..enrich.review import Annotation

__all__ = ["BATCH", "read_ahead"]

#: events whose texts are read together: beyond a few hundred the gain is gone (docs/performance.md)
BATCH = 256

T = TypeVar("T")


def read_ahead(items: Iterable[T], event_of: Callable[[T], Event], analyzer: MessageAnalyzer,
               annotations: Mapping[str, Sequence[Annotation]]) -> Iterator[tuple[T, Analysis | None]]:
    """Each item with the analysis of its event's text (None: the event is not read, or is read when evaluated)."""
    it = iter(items)
    while chunk := list(itertools.islice(it, BATCH)):
        yield from zip(chunk, _analyses([event_of(x) for x in chunk], analyzer, annotations), strict=True)


def _analyses(events: list[Event], analyzer: MessageAnalyzer,
              annotations: Mapping[str, Sequence[Annotation]]) -> list[Analysis | None]:
    # the events build_facts reads: those with text, of a type the rules know (a clock has none to read)
    wanted = [i for i, e in enumerate(events) if e.text and e.type in DATA_MODELS and e.type != "clock"]
    texts = [Text(events[i].text, events[i].lang, events[i].actor, tuple(annotations.get(events[i].id or "", ())))
             for i in wanted]
    out: list[Analysis | None] = [None] * len(events)
    try:
        read = analyzer.analyze_many(texts)
    except Exception:  # noqa: BLE001 - read again at each event, so that a fault is raised at the event (and case) it belongs to
        return out
    for i, analysis in zip(wanted, read, strict=True):
        out[i] = analysis
    return out
