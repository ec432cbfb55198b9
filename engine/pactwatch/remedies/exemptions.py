"""Contract carve-outs: a finding the contract allows stays visible, with the clause that allows it.

A concept declares which carve-outs a contract may enable (``exemptions`` in
rules/concepts.yaml: a list parameter and the fact field it is matched against); the
contract enables them by listing values in that parameter. Listing the finding as
exempted, rather than dropping it, is what lets a reader check the carve-out was applied
to the right evidence.
"""

from __future__ import annotations

from typing import Any

from ..models.contract import Contract
from ..models.report import Exempted
from ..rules.concepts import Concept

__all__ = ["exemption_for"]


def exemption_for(concept: Concept | None, params: dict[str, Any], trigger: dict[str, Any],
                  contract: Contract) -> Exempted | None:
    """The first carve-out of ``concept`` the contract enables and the trigger falls under."""
    if concept is None:
        return None
    for ex in concept.exemptions:
        value = trigger.get(ex.field)
        if value is None or value not in (params.get(ex.param) or ()):
            continue
        clause = next((c for c in reversed(contract.clauses) if concept.name in c.covers and ex.param in c.params), None)
        return Exempted(clause=clause.id if clause else None, title=clause.title if clause else None,
                        param=ex.param, value=str(value))
    return None
