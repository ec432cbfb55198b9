"""The rule file format (docs/rule-authoring.md): declarative, validated, no code.

A rule is one or more *alternatives*. Each alternative names a ``trigger`` (an event
matching field conditions) and conditions relative to it:

- ``absent``: no matching event may exist in a time window around the trigger; the
  decision waits until event time has passed the window's end (or the case ended);
- ``present``: a matching event must exist in the window (a contradiction, a follow-up).

Windows are offsets from the trigger in hours, taken from the contract's parameters.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["Hours", "Bound", "Window", "Pattern", "Alternative", "RemedySpec", "RuleExample", "RuleSpec", "OPERATORS"]

Scalar = str | int | float | bool
#: A number of hours, a concept parameter name, or a list of those (the largest applies).
Hours = float | str | list[float | str]

OPERATORS = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in", "exists")
TRIGGER_REF = re.compile(r"^\$trigger\.([a-z_]+)$")


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HoursBefore(_Spec):
    hours_before: Hours


class HoursAfter(_Spec):
    hours_after: Hours


Bound = Literal["case_start", "case_end", "trigger"] | HoursBefore | HoursAfter


class Window(_Spec):
    """Inclusive time window relative to the trigger."""

    from_: Bound = Field("case_start", alias="from")
    to: Bound = "trigger"


Match = dict[str, Any]


class Pattern(_Spec):
    """An event pattern correlated with the trigger."""

    role: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")] = Field(description="Name used in evidence and templates.")
    match: Match
    same: list[str] = Field(default_factory=list, description="Fields that must equal the trigger's.")
    window: Window = Window()


class Alternative(_Spec):
    trigger: Match
    summary: str | None = Field(None, description="Overrides the rule's summary for findings of this alternative.")
    absent: list[Pattern] = Field(default_factory=list)
    present: list[Pattern] = Field(default_factory=list)

    @model_validator(mode="after")
    def _roles_unique(self) -> Alternative:
        roles = [p.role for p in (*self.absent, *self.present)]
        if len(roles) != len(set(roles)) or "trigger" in roles:
            raise ValueError("condition roles must be unique and not 'trigger'")
        return self


class RemedySpec(_Spec):
    kind: Literal[
        "reinstatement", "cure_period", "notice", "service_credit", "apology", "verified_fix",
        "root_cause_analysis", "compensation", "testing", "availability", "response",
    ]
    text: str


class RuleExample(_Spec):
    """Two small timelines for the docs: one that fires, one that does not.

    Events take the envelope of docs/events.md; ``vendor`` defaults to the example
    vendor. The docs generator runs both through the engine, so the documented finding
    is always the real one.
    """

    fires: list[dict[str, Any]] = Field(min_length=1)
    passes: list[dict[str, Any]] = Field(min_length=1)


class RuleSpec(_Spec):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    title: str
    severity: Literal["low", "medium", "high", "critical"]
    concept: str
    description: str
    when: list[Alternative] = Field(min_length=1)
    once_per: Literal["trigger", "case"] = Field(
        "trigger", description="One violation per triggering event, or at most one per case."
    )
    summary: str = Field(description="One sentence explaining a finding; {placeholders} filled from the evidence.")
    remedies: list[RemedySpec] = Field(min_length=1)
    example: RuleExample = Field(description="Timelines shown (and checked) in the rule's docs page.")

    @field_validator("when", mode="before")
    @classmethod
    def _single_alternative(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value
