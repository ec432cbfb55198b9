"""What an import did: events written, and every skipped item with where and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..errors import PactwatchError, Problem
from ..models.events import MAX_YEAR, MIN_YEAR

__all__ = ["ImportResult", "out_of_range"]


def out_of_range(moment: datetime) -> str | None:
    """Why a time cannot become an event (outside the engine's years), or None.

    Checked in UTC too: 2999-12-31 23:00 −12:00 is already 3000 in UTC.
    """
    try:
        years = {moment.year, moment.astimezone(UTC).year if moment.tzinfo else moment.year}
    except OverflowError:
        return f"{moment.isoformat()} is outside the years {MIN_YEAR}-{MAX_YEAR} in UTC"
    wrong = sorted(y for y in years if not MIN_YEAR <= y <= MAX_YEAR)
    return f"year {wrong[0]} is outside {MIN_YEAR}-{MAX_YEAR}" if wrong else None


@dataclass
class ImportResult:
    strict: bool = False
    imported: int = 0
    duplicates: int = 0
    skipped: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    def skip(self, problem: Problem) -> None:
        """Record an item that could not be imported; with --strict, stop here."""
        if self.strict:
            raise PactwatchError(problem)
        self.skipped.append(problem)

    def note(self, problem: Problem) -> None:
        """Imported, but the user should know (e.g. a Date header replaced by Received)."""
        self.notes.append(problem)

    def line(self) -> str:
        return (f"imported {self.imported}, skipped {len(self.skipped)} with reasons"
                + (f", {self.duplicates} already in the case" if self.duplicates else ""))
