"""Garbage-collector settings for a run: no full collections while events stream.

A run keeps every open case's events and facts alive (a few hundred thousand small
objects) and allocates some forty short-lived containers per event. With CPython's
default thresholds the oldest generation is collected each time the survivors grow by a
quarter, so every full collection walks all open cases again: measured at 300,000
events, 17 full collections took 2.4 s of a 14 s run (docs/performance.md). The
garbage a run makes in cycles (durable_rules' per-firing action closures) dies young
and is still collected by the young generations, so postponing full collections does
not grow memory (peak RSS unchanged in the same measurement).

The setting is process-wide; it is restored when the run ends, also on error.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["young_collections_only"]

#: young-generation collections between two full collections (CPython's default: 10)
FULL_COLLECTION_EVERY = 1000


@contextmanager
def young_collections_only() -> Iterator[None]:
    """Keep CPython's young-generation collections; postpone full ones while the block runs."""
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], max(before[2], FULL_COLLECTION_EVERY))
    try:
        yield
    finally:
        gc.set_threshold(*before)
