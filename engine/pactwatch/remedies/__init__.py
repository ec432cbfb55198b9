"""Remedies and clauses: what the contract says the customer can claim for a finding."""

from __future__ import annotations

from collections.abc import Mapping

from .._template import fill
from ..models.contract import Contract
from ..models.report import Clause, Remedy
from ..rules.schema import RuleSpec

__all__ = ["clauses_for", "remedies_for"]


def clauses_for(contract: Contract, *concepts: str) -> list[Clause]:
    """Every clause covering the concepts (in contract order); empty means the finding is unmapped."""
    return [Clause(id=c.id, title=c.title) for c in contract.clauses if any(k in c.covers for k in concepts)]


def remedies_for(rule: RuleSpec, values: Mapping[str, object], texts: tuple[str, ...] | None = None,
                 language: str = "en") -> list[Remedy]:
    """The rule's remedy templates filled with the contract's parameters and the evidence.

    A computed remedy (``compute: service_credit``) also carries its amount.
    """
    out = []
    for i, r in enumerate(rule.remedies):
        amount = values.get("_amount") if r.compute == "service_credit" else None
        text = texts[i] if texts else r.text
        claim_by = values.get("_claim_by") if amount is not None else None
        out.append(Remedy(kind=r.kind, text=fill(text, values, language), amount=amount,
                          currency=str(values["currency"]) if amount is not None else None,
                          claim_by=str(claim_by) if claim_by else None))
    return out
