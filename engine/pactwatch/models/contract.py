"""The contract: clauses that cover concepts, with the parameters rules read."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from ..money import is_currency
from .events import NonEmpty

__all__ = ["Calendar", "Clause", "Contract", "Waiver", "WorkingHours"]


class Clause(BaseModel):
    """A clause of the contract. ``covers`` names the concepts it governs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: NonEmpty = Field(description='Clause number as the contract writes it, e.g. "§4.2".')
    title: NonEmpty
    text: str = Field("", description="The clause wording, quoted in reports and letters.")
    covers: list[NonEmpty] = Field(min_length=1, description="Concepts this clause governs (see docs/contracts.md).")
    params: dict[str, Any] = Field(default_factory=dict, description="Parameters of the covered concepts.")


class Waiver(BaseModel):
    """The contract's decision to switch a rule off or change its severity, with a reason."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: NonEmpty = Field(description="Rule id the waiver applies to.")
    severity: Literal["off", "low", "medium", "high", "critical"] = Field(
        description="'off' marks findings as waived; a level replaces the rule's severity.")
    justification: NonEmpty = Field(description="Why: shown with every finding it touches.")
    expires: date | None = Field(None, description="Last day (contract timezone) the waiver applies; later findings are not waived.")


Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_WEEKDAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri")


class WorkingHours(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    opens: time = Field(time(9, 0), alias="from", description="Start of the working day, e.g. 09:00.")
    closes: time = Field(time(17, 0), alias="to", description="End of the working day, e.g. 17:00.")

    @model_validator(mode="after")
    def _order(self) -> WorkingHours:
        if self.closes <= self.opens:
            raise ValueError("'to' must be after 'from'")
        return self


class Calendar(BaseModel):
    """The business calendar business-time durations ("4 business hours", "2 Werktage") are counted on."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    working_days: list[Day] = Field(default_factory=lambda: list(_WEEKDAYS), min_length=1)
    hours: WorkingHours = Field(default_factory=WorkingHours)
    country: str | None = Field(None, description="ISO 3166 country for public holidays (holidays package), e.g. DE.")
    subdivision: str | None = Field(None, description="Region for public holidays, e.g. BY (Bavaria).")
    extra_holidays: list[date] = Field(default_factory=list, description="Further non-working days, e.g. 2026-12-24.")

    @model_validator(mode="after")
    def _known_region(self) -> Calendar:
        if self.country is None:
            if self.subdivision is not None:
                raise ValueError("subdivision needs a country")
            return self
        try:
            holidays.country_holidays(self.country)
        except NotImplementedError:
            raise ValueError(f"no public holidays known for country {self.country!r} (ISO 3166 code, e.g. DE)") from None
        try:
            holidays.country_holidays(self.country, subdiv=self.subdivision)
        except (NotImplementedError, ValueError):
            raise ValueError(f"{self.subdivision!r} is not a region of {self.country} the holidays package knows") from None
        return self


def _money(value: Any) -> Any:
    """A number as written (49.90 stays 49.90, not 49.899999…); never true or "49.90"."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError("must be a number")
    return Decimal(str(value)) if isinstance(value, float) else value


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: NonEmpty
    vendor: NonEmpty
    customer: NonEmpty
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. EUR.")
    monthly_fee: Annotated[Decimal, BeforeValidator(_money)] = Field(
        ge=0, allow_inf_nan=False, description="Fee per month in the contract currency (basis of service credits).")
    timezone: str = Field(description="IANA zone for calendar months and human times, e.g. Europe/Berlin.")
    language: Literal["de", "en"] = Field("en", description="Language of reports and letters for this contract.")
    services: list[NonEmpty] = Field(default_factory=list)
    clauses: list[Clause] = Field(default_factory=list)
    waivers: list[Waiver] = Field(default_factory=list)
    calendar: Calendar | None = Field(None, description=(
        "Working days, hours and public holidays for business-time durations; default Mon-Fri 09:00-17:00, no holidays."))

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        if not is_currency(value):
            raise ValueError(f"{value!r} is not an ISO 4217 currency code")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            # OSError: with the tzdata package installed (pandas brings it) a name is looked up as a
            # file in it, and a long one is "File name too long" (found by the fuzz pass)
            raise ValueError(f"unknown IANA timezone {value!r}") from None
        return value

    def clauses_for(self, concept: str) -> list[Clause]:
        return [c for c in self.clauses if concept in c.covers]
