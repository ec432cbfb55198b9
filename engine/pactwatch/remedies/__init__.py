"""Remedies and clauses: what the contract says the customer can claim for a finding."""

from __future__ import annotations

from collections.abc import Mapping

from .._template import fill
from ..models.contract import Contract
from ..models.report import Clause, Remedy
from ..rules.schema import RuleSpec

__all__ = ["clauses_for", "remedies_for"]


def clauses_for(contract: Contract, concept: str) -> list[Clause]:
    """Every clause covering the concept; empty means the finding is unmapped."""
    return [Clause(id=c.id, title=c.title) for c in contract.clauses_for(concept)]


def remedies_for(rule: RuleSpec, values: Mapping[str, object]) -> list[Remedy]:
    """The rule's remedy templates filled with the contract's parameters and the evidence."""
    return [Remedy(kind=r.kind, text=fill(r.text, values)) for r in rule.remedies]
