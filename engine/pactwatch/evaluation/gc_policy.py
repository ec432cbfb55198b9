"""Garbage collection during a run: paused, because a run makes no cyclic garbage.

A run keeps every open case's events and facts alive (a few hundred thousand small
objects) and allocates some forty short-lived containers per event. Every one of them
is freed by reference counting: pactwatch's own structures hold no cycles, and since
the engine drives durable_rules' C module directly there are no per-firing closures
either (durable.engine's wrapper made a few cycles per firing). The cycle collector
then only walks live objects and finds nothing, which cost 7 % of a run at 100,000
events; peak RSS with it paused was the same at 1,000,000 events (docs/performance.md).
``tests/test_gc_policy.py`` keeps this honest: it fails if a run leaves cycles behind.

The setting is process-wide; it is restored when the run ends, also on error.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause CPython's cycle collector while the block runs (reference counting goes on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
