"""Contract templates shipped with the rule library (``rules/contract-templates/``)."""

from __future__ import annotations

from pathlib import Path

from .._data import data_dir
from ..contracts import load_contract
from ..errors import PactwatchError, Problem
from ..models.contract import Contract
from ..rules.concepts import ConceptRegistry

__all__ = ["template_names", "template_path", "load_template"]


def _dir() -> Path:
    return data_dir() / "contract-templates"


def template_names() -> list[str]:
    return sorted(p.stem for p in _dir().glob("*.yaml"))


def template_path(name: str) -> Path:
    path = _dir() / f"{name}.yaml"
    if not path.is_file():
        raise PactwatchError(Problem("template-not-found", f"no contract template {name!r}; known: {', '.join(template_names())}"))
    return path


def load_template(name: str, concepts: ConceptRegistry) -> Contract:
    return load_contract(template_path(name), concepts)
