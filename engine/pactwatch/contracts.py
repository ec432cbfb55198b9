"""Load a contract and work out the parameters each concept runs with.

A concept's parameters are its defaults (``rules/concepts.yaml``) overlaid with the
params of every clause that covers it, in clause order. A concept no clause covers
still runs on its defaults, and its findings say "unmapped" instead of inventing a
clause.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ._validation import problems_from_validation
from ._yaml import load_yaml
from .errors import PactwatchError, Problem
from .models.contract import Contract
from .rules.concepts import ConceptRegistry

__all__ = ["load_contract", "check_contract", "effective_params"]


def check_contract(contract: Contract, concepts: ConceptRegistry, file: str | None = None,
                   line_of: Any = None, rule_ids: list[str] | None = None) -> list[Problem]:
    """Concept names and clause params are checked against the registry, waivers against the rules."""
    problems: list[Problem] = []
    where = line_of or (lambda _path: None)
    for i, waiver in enumerate(contract.waivers):
        if rule_ids is not None and waiver.rule not in rule_ids:
            problems.append(Problem("contract-unknown-rule", f"waiver for unknown rule {waiver.rule!r}",
                                    file=file, line=where(("waivers", i, "rule")), field=f"waivers[{i}].rule"))
    seen: dict[str, int] = {}
    for i, clause in enumerate(contract.clauses):
        if clause.id in seen:
            problems.append(Problem("contract-duplicate-clause", f"clause id {clause.id!r} is used twice (also clauses[{seen[clause.id]}]); "
                                    "a finding would cite the wrong one", file=file, line=where(("clauses", i, "id")),
                                    field=f"clauses[{i}].id"))
        seen.setdefault(clause.id, i)
        for j, concept in enumerate(clause.covers):
            if concept not in concepts:
                problems.append(Problem("contract-unknown-concept",
                                        f"unknown concept {concept!r}; known: {', '.join(concepts.names())}",
                                        file=file, line=where(("clauses", i, "covers", j)), field=f"clauses[{i}].covers"))
        covered = [concepts[c] for c in clause.covers if c in concepts]
        known = {name for c in covered for name in c.params_model.model_fields}
        for name in clause.params:
            if name not in known:
                problems.append(Problem("contract-unknown-param",
                                        f"{name!r} is not a parameter of {', '.join(clause.covers)}"
                                        + (f"; known: {', '.join(sorted(known))}" if known else ""),
                                        file=file, line=where(("clauses", i, "params", name)), field=f"clauses[{i}].params.{name}"))
        for covered_concept in covered:
            own = {k: v for k, v in clause.params.items() if k in covered_concept.params_model.model_fields}
            try:
                covered_concept.params_model.model_validate(own)
            except ValidationError as exc:
                problems += problems_from_validation(exc, code="contract-bad-param", file=file,
                                                     prefix=("clauses", i, "params"), line_of=line_of)
    return problems


def load_contract(path: str | Path, concepts: ConceptRegistry | None = None,
                  rule_ids: list[str] | None = None, *, text: str | None = None) -> Contract:
    """Read and validate a contract YAML file; every problem names its YAML path and line.

    With ``text``, the contract is that text and ``path`` only names it in problems (an upload).
    """
    doc = load_yaml(path, text)
    if not isinstance(doc.data, dict):
        raise PactwatchError(Problem("contract-invalid", "a contract is a YAML mapping", file=doc.file, line=1))
    try:
        contract = Contract.model_validate(doc.data)
    except ValidationError as exc:
        raise PactwatchError(problems_from_validation(exc, code="contract-invalid", file=doc.file, line_of=doc.line_of)) from None
    if concepts is None:
        from .rules.loader import load_rules

        library = load_rules()
        concepts, rule_ids = library.concepts, [r.id for r in library.rules]
    problems = check_contract(contract, concepts, doc.file, doc.line_of, rule_ids)
    if problems:
        raise PactwatchError(problems)
    return contract


def effective_params(contract: Contract, concepts: ConceptRegistry) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for concept in concepts:
        merged = concept.defaults()
        for clause in contract.clauses_for(concept.name):
            merged.update({k: v for k, v in clause.params.items() if k in concept.params_model.model_fields})
        result[concept.name] = concept.params_model.model_validate(merged).model_dump(mode="json")
    return result
