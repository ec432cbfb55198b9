"""Event time for a stream that arrives out of order: a watermark and the events held back by it.

Feeds deliver events late and out of order (a mail imported an hour after a probe, two
monitors with skewed clocks). An event is held until the watermark — the latest event time
seen, less the allowed lateness — has passed it, then released in canonical order (time,
id, content), the order ``check`` evaluates a file in. An event older than what was
already released arrives too late to be put in its place: it is reported as late, never
merged silently out of order.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Generic, TypeVar

__all__ = ["Reorder"]

T = TypeVar("T")


@dataclass
class Reorder(Generic[T]):
    """Hold items until the watermark passes them; release them in (time, id, content) order."""

    lateness: float
    #: the latest event time seen
    latest: float = float("-inf")
    #: everything before this has been released; an item before it is late
    released: float = float("-inf")
    heap: list[tuple[float, str, str, int, T]] = field(default_factory=list)

    def offer(self, at: float, ident: str, content: str, serial: int, item: T) -> bool:
        """Hold an item; False if it is late (earlier than what was already released)."""
        if at < self.released:
            return False
        heapq.heappush(self.heap, (at, ident, content, serial, item))
        self.latest = max(self.latest, at)
        return True

    @property
    def watermark(self) -> float:
        return self.latest - self.lateness

    def release(self, everything: bool = False) -> list[tuple[float, int, T]]:
        """(time, serial, item) of every held item before the watermark (all of them: ``everything``)."""
        bound = float("inf") if everything else self.watermark
        out = []
        while self.heap and self.heap[0][0] < bound:
            at, _, _, serial, item = heapq.heappop(self.heap)
            out.append((at, serial, item))
        if bound > self.released and bound != float("inf"):
            self.released = bound
        elif everything and out:
            self.released = max(self.released, out[-1][0])
        return out

    def __len__(self) -> int:
        return len(self.heap)
