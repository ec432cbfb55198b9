"""The event envelope and the typed ``data`` of each event type (docs/events.md).

Events are what happened, in event time: every timestamp carries its UTC offset, and
the engine never consults the wall clock.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator, model_validator

__all__ = ["AUTHOR_OF_TYPE", "Event", "EVENT_TYPES", "DATA_MODELS", "INGEST_CONTEXT", "REASON_KINDS", "derive_id"]

#: Why a vendor switched a service off, as contracts carve such cases out (rules/concepts.yaml
#: ``exempt_reasons`` offers the same words; the lexicons' ``reasons`` recognise them in text).
REASON_KINDS = ("attack", "legal-order", "security-emergency", "abuse", "non-payment", "resource-overuse")
ReasonKind = Literal["attack", "legal-order", "security-emergency", "abuse", "non-payment", "resource-overuse"]

NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

#: The years an event may fall in (local year of its timestamp).
MIN_YEAR, MAX_YEAR = 1970, 2999


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoticeData(_Data):
    """The vendor warns the customer."""

    kind: Literal["warning", "suspension", "maintenance"] = Field(description="What the notice announces.")
    deadline: AwareDatetime | None = Field(None, description="Time by which the customer must act (cure deadline).")
    starts: AwareDatetime | None = Field(None, description="For kind maintenance: start of the announced window.")
    ends: AwareDatetime | None = Field(None, description="For kind maintenance: end of the announced window.")

    @model_validator(mode="after")
    def _window(self) -> NoticeData:
        if (self.starts is None) != (self.ends is None):
            raise ValueError("a maintenance window needs both starts and ends")
        if self.starts is not None and self.ends is not None and self.ends <= self.starts:
            raise ValueError("ends must be after starts")
        return self


class SuspendedData(_Data):
    """The vendor deliberately switches a service off."""

    reason: str | None = Field(None, description="The vendor's stated reason.")
    reason_kind: ReasonKind | None = Field(None, description=(
        "The kind of reason, when known: attack, legal-order, security-emergency, abuse, non-payment, resource-overuse. "
        "Without it, the stated reason and the text are read for one (lexicons' reasons)."))


class EmptyData(_Data):
    """No type-specific fields."""


class ChangeRequestedData(_Data):
    change: NonEmpty = Field(description="Change id, referenced by change.completed.")
    kind: Literal["upgrade", "migration", "other"] = "other"
    services: list[NonEmpty] = Field(default_factory=list, description="The services the change is for (its target).")


class HostTestedData(_Data):
    host: NonEmpty = Field(description="The host that was tested.")
    result: Literal["pass", "fail"]
    checks: list[str] = Field(default_factory=list, description="Names of the checks run.")


class ChangeCompletedData(_Data):
    change: NonEmpty
    host: NonEmpty = Field(description="The host the change was deployed onto.")
    services: list[NonEmpty] = Field(default_factory=list, description="Services moved onto the host.")


class HostFailedData(_Data):
    host: NonEmpty
    services: list[NonEmpty] = Field(default_factory=list, description="Services running on the host.")


class ProbeData(_Data):
    check: Literal["http", "https", "smtp", "imap", "pop3", "dns", "ftp", "db", "panel", "other"]
    up: bool
    detail: str | None = None
    state_change: bool | None = Field(None, description=(
        "true when the monitor records only changes of state: the state held until its next probe "
        "(UptimeRobot logs, --collapse); a resolution claim made while it showed the service down is "
        "false when it saw the service come back only later"))


#: A status page's words for an incident's state (Statuspage's four and its post-mortem), read as
#: pactwatch's three: an integrator who passes a status page's update on need not translate it, and
#: the status-page importer reads its exports with the same table.
STATUS_WORDS = {"resolved": "resolved", "postmortem": "resolved", "monitoring": "degraded", "degraded": "degraded",
                "identified": "investigating", "investigating": "investigating"}


class StatusClaimedData(_Data):
    status: Literal["resolved", "degraded", "investigating"] = Field(description=(
        "Also accepted as a status page writes them: monitoring (read as degraded: the fix is in, not yet "
        "confirmed), identified (investigating), postmortem (resolved)."))
    services: list[NonEmpty] = Field(default_factory=list)

    @field_validator("status", mode="before")
    @classmethod
    def _status_page_words(cls, value: Any) -> Any:
        return STATUS_WORDS.get(value, value) if isinstance(value, str) else value


class MessageData(_Data):
    kind: Literal["complaint", "reply", "update", "notice", "other"] = "other"
    in_reply_to: str | None = Field(None, description="Event id of the message this answers.")
    channel: Literal["email", "phone", "ticket", "chat", "status-page"] | None = None
    subject: str | None = Field(None, description="Subject line (imported mails).")
    attachments: list[str] = Field(default_factory=list, description="File names of attachments (listed, not inlined).")
    auto: bool | None = Field(None, description=(
        "An automatic message (an auto-acknowledgement, an out-of-office reply); mail imports set it from the "
        "Auto-Submitted header. Without it, the text is checked against the lexicons' auto-reply phrases."))


class ReferralData(_Data):
    to: NonEmpty = Field(description="Where the customer was sent, e.g. quality-management.")


class CompensationData(_Data):
    amount: float | None = Field(None, ge=0)
    currency: str | None = None
    kind: Literal["credit", "refund", "voucher", "other"] = "other"


DATA_MODELS: dict[str, type[_Data]] = {
    "notice.sent": NoticeData,
    "service.suspended": SuspendedData,
    "service.restored": EmptyData,
    "change.requested": ChangeRequestedData,
    "host.tested": HostTestedData,
    "change.completed": ChangeCompletedData,
    "host.failed": HostFailedData,
    "probe": ProbeData,
    "status.claimed": StatusClaimedData,
    "message.sent": MessageData,
    "referral": ReferralData,
    "compensation.offered": CompensationData,
    "incident.closed": EmptyData,
    "clock": EmptyData,
}

EVENT_TYPES: tuple[str, ...] = tuple(DATA_MODELS)

#: Who stands behind an event of a type when the event does not say: a status page, a notice, a
#: suspension or a deployment is the vendor's act, a probe the monitor's. A user who leaves
#: ``actor`` out of a status-page export still has a vendor's claim. Messages, change requests and
#: closings can come from either side and get no default.
AUTHOR_OF_TYPE: dict[str, str] = {
    "notice.sent": "vendor", "service.suspended": "vendor", "service.restored": "vendor", "host.tested": "vendor",
    "change.completed": "vendor", "host.failed": "vendor", "status.claimed": "vendor", "referral": "vendor",
    "compensation.offered": "vendor", "probe": "monitor",
}
#: validation context key: the caller (ingest) validates ``data`` itself
INGEST_CONTEXT = "data_checked_by_ingest"


class Event(BaseModel):
    """One observation in event time. ``data`` is validated against the model of ``type``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: NonEmpty | None = Field(None, description="Unique id; derived from the content when absent.")
    at: AwareDatetime = Field(description="RFC 3339 timestamp with UTC offset.")
    type: NonEmpty = Field(description=f"One of: {', '.join(EVENT_TYPES)}.")
    vendor: NonEmpty | None = Field(None, description="The vendor the event concerns (required except for clock).")
    service: NonEmpty | None = Field(None, description="The affected service, e.g. a domain.")
    incident: NonEmpty | None = Field(None, description="Case id; events of one vendor without it form one case.")
    actor: Literal["vendor", "customer", "monitor"] | None = Field(
        None, description="Who wrote or did it: vendor, customer or monitor. When absent, the author of the type "
                          "(vendor for notices, suspensions, restorations, tests, deployments, host failures, status "
                          "claims, referrals and offers; monitor for probes); none for messages, change requests and closings.")
    source: str | None = Field(None, description="Where the evidence comes from: email, phone, ticket, probe …")
    text: str | None = Field(None, description="Message text, any language.")
    lang: str | None = Field(None, description="ISO 639-1 language code of text, if known.")
    data: dict[str, Any] = Field(default_factory=dict, description="Type-specific fields (see docs/events.md).")

    @model_validator(mode="before")
    @classmethod
    def _derived_id(cls, raw: Any, info: ValidationInfo) -> Any:
        """Without an id, the id comes from the content, through the API as on ingest (which derives it itself)."""
        if not isinstance(raw, dict) or (info.context and info.context.get(INGEST_CONTEXT)):
            return raw  # ingest checks the text itself (JSON parsing already refuses lone surrogates)
        bad = lone_surrogate(raw)
        if bad is not None:
            raise ValueError(f"{bad}: text with a lone surrogate (e.g. \\ud800) is not valid Unicode")
        return {**raw, "id": derive_id(raw)} if raw.get("id") is None else raw

    @field_validator("at", mode="before")
    @classmethod
    def _at_is_text(cls, value: Any) -> Any:
        if isinstance(value, date) and not isinstance(value, datetime):
            raise ValueError(f"{value.isoformat()} is a date without a time: write date, time and UTC offset, "
                             f"e.g. {value.isoformat()}T09:00:00+01:00")
        if not isinstance(value, (str, datetime)):
            raise ValueError("must be an RFC 3339 string with UTC offset")
        return value

    @field_validator("at")
    @classmethod
    def _at_in_range(cls, value: datetime) -> datetime:
        # Deadlines and months are computed from it: years 1 and 9999 overflow that arithmetic.
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise ValueError(f"year {value.year} is outside {MIN_YEAR}-{MAX_YEAR}")
        return value

    @model_validator(mode="after")
    def _vendor_required(self) -> Event:
        if self.vendor is None and self.type != "clock":
            raise ValueError("vendor is required for every event type except clock")
        return self

    @model_validator(mode="after")
    def _author_of_type(self) -> Event:
        if self.actor is None and self.type in AUTHOR_OF_TYPE:
            object.__setattr__(self, "actor", AUTHOR_OF_TYPE[self.type])
        return self

    @model_validator(mode="after")
    def _data_fits_type(self, info: ValidationInfo) -> Event:
        """``Event(**json)`` through the API checks ``data`` as ingest does (which checks it itself, cached)."""
        if info.context and info.context.get(INGEST_CONTEXT):
            return self
        model = DATA_MODELS.get(self.type)
        if model is not None:
            object.__setattr__(self, "data", model.model_validate(self.data).model_dump(mode="json", exclude_none=True))
        return self

    @property
    def case_key(self) -> str:
        """Events of one vendor without an incident id form one case."""
        return f"{self.vendor or ''}\x1f{self.incident or ''}"

    def typed_data(self) -> _Data | None:
        model = DATA_MODELS.get(self.type)
        return model.model_validate(self.data) if model else None


_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(value: Any, path: str = "") -> str | None:
    """The field path of a string holding a lone surrogate (YAML's "\\ud800": not text, cannot be written out), or None."""
    if isinstance(value, str):
        return path or "(value)" if _SURROGATE.search(value) else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        where = lone_surrogate(item, f"{path}.{key}" if path else str(key))
        if where is not None:
            return where
    return None


def derive_id(raw: dict[str, Any]) -> str:
    """A stable id from the event's content, so re-ingesting the same event dedupes."""
    body = {k: v for k, v in raw.items() if k != "id"}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    return f"ev-{digest[:16]}"

