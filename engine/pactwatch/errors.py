"""One error type for everything a user can get wrong.

A :class:`Problem` carries a code, a location (file, line, field) and a sentence the
user can act on; :class:`PactwatchError` carries one or more of them so that loaders
can collect every problem in a file and fail once (OPA's ``ast/errors.go`` habit).
Codes are documented in ``docs/errors.md``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

__all__ = ["Problem", "PactwatchError", "MAX_PROBLEMS", "reason_of"]

#: Loaders stop collecting after this many problems in one file.
MAX_PROBLEMS = 50


@dataclass(frozen=True, slots=True)
class Problem:
    """A single, located complaint about user input."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    details: tuple[str, ...] = dataclasses.field(default_factory=tuple)

    def location(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        subject = f"{self.field}: " if self.field else ""
        text = f"{where}: {self.code}: {subject}{self.message}"
        for detail in self.details:
            text += f"\n    {detail}"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


def reason_of(problems: list[Problem]) -> str:
    """The problems of one rejected record as one sentence (a rejection's ``reason``)."""
    return "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in problems)


class PactwatchError(Exception):
    """Raised for user errors; the CLI prints the problems and exits with 2."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
