"""JSON Schemas for ``pactwatch schema``: generated from the pydantic models."""

from __future__ import annotations

from typing import Any

from ..models.contract import Contract
from ..models.events import DATA_MODELS, Event
from ..models.report import Report
from ..rules.concepts import ConceptRegistry

__all__ = ["event_schema", "contract_schema", "report_schema"]


def event_schema() -> dict[str, Any]:
    schema = Event.model_json_schema()
    schema["x-data-by-type"] = {name: model.model_json_schema() for name, model in DATA_MODELS.items()}
    return schema


def contract_schema(concepts: ConceptRegistry) -> dict[str, Any]:
    schema = Contract.model_json_schema()
    schema["x-concepts"] = {
        c.name: {"title": c.title, "description": c.description, "params": c.params_model.model_json_schema()}
        for c in concepts
    }
    return schema


def report_schema() -> dict[str, Any]:
    return Report.model_json_schema()
