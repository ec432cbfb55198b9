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
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["Hours", "Bound", "FieldBound", "PARAM_REF", "DaysBefore", "DaysAfter", "Window", "Pattern", "Alternative", "RemedySpec", "RuleExample", "RuleSpec", "OPERATORS"]

Scalar = str | int | float | bool
#: A number of hours, a concept parameter name, or a list of those (the largest applies).
Hours = float | str | list[float | str]

OPERATORS = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in", "exists")
TRIGGER_REF = re.compile(r"^\$trigger\.([a-z_]+)$")
PARAM_REF = re.compile(r"^\$params\.([a-z_]+)$")


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HoursBefore(_Spec):
    hours_before: Hours


class HoursAfter(_Spec):
    hours_after: Hours


class DaysBefore(_Spec):
    days_before: Hours


class DaysAfter(_Spec):
    days_after: Hours


class FieldBound(_Spec):
    """A time held in a field of the trigger (e.g. a promised time), optionally plus days/hours/minutes."""

    field: str
    days_after: Hours = 0
    hours_after: Hours = 0
    minutes_after: Hours = 0


Bound = Literal["case_start", "case_end", "trigger"] | HoursBefore | HoursAfter | DaysBefore | DaysAfter | FieldBound


class Window(_Spec):
    """Inclusive time window relative to the trigger."""

    from_: Bound = Field("case_start", alias="from")
    to: Bound = "trigger"


Match = dict[str, Any]


class Pattern(_Spec):
    """An event pattern correlated with the trigger."""

    note: str | None = Field(None, description="context patterns only: a sentence added to the summary when found.")
    letter: dict[Literal["de", "en"], str] = Field(default_factory=dict, description=(
        "context patterns only: a sentence added to the finding's letter statement when found, per language."))
    satisfies: list[str] = Field(default_factory=list, description=(
        "context patterns only: remedy kinds the event already gave (a late apology): not claimed again."))

    role: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")] = Field(description="Name used in evidence and templates.")
    match: Match
    same: list[str] = Field(default_factory=list, description="Fields that must equal the trigger's.")
    window: Window = Window()


class Alternative(_Spec):
    for_each: str | None = Field(None, description=(
        "Name of a list parameter: the alternative is compiled once per element, with $each standing for it."))
    trigger: Match
    requires: dict[str, Any] = Field(default_factory=dict,
                                     description="Compile this alternative only when the contract's params have these values.")
    summary: str | None = Field(None, description="Overrides the rule's summary for findings of this alternative.")
    letter: dict[Literal["de", "en"], str] = Field(default_factory=dict, description=(
        "Overrides the rule's letter sentence for findings of this alternative, per language."))
    absent: list[Pattern] = Field(default_factory=list)
    present: list[Pattern] = Field(default_factory=list)

    @model_validator(mode="after")
    def _roles_unique(self) -> Alternative:
        roles = [p.role for p in (*self.absent, *self.present)]
        if len(roles) != len(set(roles)) or "trigger" in roles:
            raise ValueError("condition roles must be unique and not 'trigger'")
        return self


class RemedySpec(_Spec):
    compute: Literal["service_credit"] | None = Field(
        None, description="A computed remedy: fills {credit_percent}, {credit_amount}, {currency}, {claim_deadline}.")
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


class Need(_Spec):
    """Evidence without which a rule that applied cannot be judged met (the outcome is then not_assessable)."""

    type: str = Field(description="An event of this type for the same service ...")
    after: str = Field("at", description="... later than this time field of the event the rule applied to.")
    missing: dict[Literal["de", "en"], str] = Field(description="What is missing, said for a reader, per language.")


class Translation(_Spec):
    """A rule's texts in another language; anything left out falls back to English."""

    title: str | None = None
    summary: str | None = None
    when: list[str | None] = Field(default_factory=list, description="Alternative summaries, by position.")
    remedies: dict[str, str] | list[str | None] = Field(default_factory=dict, description=(
        "Remedy texts by remedy kind ({verified_fix: ...}); a list (in the rule's order) is still read."))
    context: list[str | None] = Field(default_factory=list, description="Context notes, by position.")


@dataclass(frozen=True)
class RuleTexts:
    """The texts of a rule in one language (with English where no translation exists)."""

    title: str
    summary: str
    when: tuple[str | None, ...]
    remedies: tuple[str, ...]
    notes: tuple[str | None, ...]


class RuleSpec(_Spec):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    title: str
    severity: Literal["low", "medium", "high", "critical"]
    concept: str
    also: list[str] = Field(default_factory=list, description="Further concepts whose params apply (and clauses are cited).")
    cite_also: bool = Field(True, description="Cite the clauses of the `also` concepts too (false: params only).")
    description: str
    when: list[Alternative] = Field(min_length=1)
    context: list[Pattern] = Field(default_factory=list, description=(
        "Events shown as evidence when present (literal field tests only); they never decide a finding."))
    applies: list[Match] | None = Field(None, description=(
        "When the obligation arises (for outcomes): facts matching any of these. Default: the triggers' conditions."))
    needs: list[Need] = Field(default_factory=list, description=(
        "Evidence a 'met' outcome needs; without it the outcome is not_assessable with the missing text."))
    once_per: Literal["trigger", "case"] | list[str] = Field(
        "trigger", description="One violation per triggering event, at most one per case, or one per value of these "
                               "trigger fields (e.g. [month]: one finding per month, listing every service).")
    summary: str = Field(description="One sentence explaining a finding; {placeholders} filled from the evidence.")
    remedies: list[RemedySpec] = Field(min_length=1)
    letter: dict[Literal["de", "en"], str] = Field(default_factory=dict, description=(
        "How a demand letter states the breach, per language: the summary's placeholders, plus {first} "
        "(the trigger's time) and {figures} (availability and downtime per service)."))
    example: RuleExample = Field(description="Timelines shown (and checked) in the rule's docs page.")
    translations: dict[Literal["de"], Translation] = Field(default_factory=dict, description=(
        "Summary, remedy and note texts in other languages, used for contracts with that `language`."))

    def letter_text(self, alternative: int, language: str) -> str | None:
        """The letter sentence for a finding of that alternative: its own, else the rule's."""
        own: dict[str, str] = {str(k): v for k, v in self.when[alternative].letter.items()} if alternative < len(self.when) else {}
        rule = {str(k): v for k, v in self.letter.items()}
        return own.get(language) or rule.get(language)

    def texts(self, language: str = "en") -> RuleTexts:
        t = self.translations.get(language)  # type: ignore[call-overload]

        def at(items: list[str | None] | None, i: int) -> str | None:
            return items[i] if items is not None and i < len(items) else None

        return RuleTexts(
            title=(t.title if t and t.title else self.title),
            summary=(t.summary if t and t.summary else self.summary),
            when=tuple((at(t.when, i) if t else None) or alt.summary for i, alt in enumerate(self.when)),
            remedies=tuple(((t.remedies.get(r.kind) if isinstance(t.remedies, dict) else at(t.remedies, i)) if t else None)
                           or r.text for i, r in enumerate(self.remedies)),
            notes=tuple((at(t.context, i) if t else None) or p.note for i, p in enumerate(self.context)),
        )

    @field_validator("when", mode="before")
    @classmethod
    def _single_alternative(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value
