"""What an import did: events written, and every skipped item with where and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import PactwatchError, Problem

__all__ = ["ImportResult"]


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
