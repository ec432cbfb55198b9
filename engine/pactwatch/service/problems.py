"""An HTTP error of the service, answered as RFC 9457 problem details (``app.py``)."""

from __future__ import annotations

from ..errors import Problem

__all__ = ["ApiProblem"]


class ApiProblem(Exception):
    """An HTTP error as RFC 9457 problem details."""

    def __init__(self, status: int, title: str, detail: str, problems: list[Problem] | None = None,
                 headers: dict[str, str] | None = None):
        self.status, self.title, self.detail = status, title, detail
        self.problems = problems or []
        self.headers = headers
