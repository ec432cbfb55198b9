"""The pydantic models that form pactwatch's public data contract."""

from .contract import Clause, Contract
from .events import EVENT_TYPES, Event
from .report import Clause as ClauseRef
from .report import Evidence, InputSummary, Pending, Rejection, Remedy, Report, Violation

__all__ = [
    "EVENT_TYPES",
    "Clause",
    "ClauseRef",
    "Contract",
    "Event",
    "Evidence",
    "InputSummary",
    "Pending",
    "Rejection",
    "Remedy",
    "Report",
    "Violation",
]
