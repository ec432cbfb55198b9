"""The one base of pactwatch's data models: unknown fields are errors, instances are immutable."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Frozen"]


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
