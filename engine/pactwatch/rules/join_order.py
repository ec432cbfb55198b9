"""The order of a pattern's terms that durable_rules 2.0.28 evaluates correctly and safely.

durable_rules compiles a pattern into alpha tests (a fact's field against a constant) and,
per pattern, one *beta expression sequence*: every ``$and`` / ``$or`` of the pattern becomes
an opening marker and an ``END``, and every test whose right side refers to another fact
(``{"service": {"t": "service"}}``, ``{"$lte": {"at": {"t": "at"}}}``) becomes a leaf
between them, in the order of the JSON (rete.c, ``createAlpha``). Alpha tests leave
nothing in the sequence, so a group of alpha tests alone is an empty group, which the
sequence reads as true (the alpha network has already checked it).

``reduceExpressionSequence`` (events.c) evaluates that sequence with a defect, reported
upstream as jruizgit/rules#381 (the fix, pull request #386, was never merged or released):

- When a group's outcome is settled early (a false term in an ``$and``, a true one in an
  ``$or``), it skips ahead to the next ``END`` but steps over the element right after the
  settling term without looking at it. If that term was the last of the outermost group,
  the skip runs past the sequence's last ``END`` and reads on through the rest of the
  ruleset's node pool and beyond it, until some byte happens to equal ``END``; when that
  read reaches unmapped memory, the process dies of SIGSEGV. That is the rare "crash inside
  durable_rules" of docs/reliability.md: AddressSanitizer reports it as a heap-buffer-
  overflow read at events.c:614 within the first tests of the suite, on every pattern whose
  last term is a join that fails.
- After a nested group is evaluated, its caller returns at once: terms after a nested group
  are never evaluated (a correlation placed after an ``$or`` was ignored, and the pattern
  matched any fact).

:func:`in_join_order` orders a pattern's terms so that neither can happen: alpha tests, then
joins, then the one group that holds joins, then groups of alpha tests only (empty in the
sequence); and when the sequence would end with a join, a final group of one alpha test the
pattern already makes (true whenever the pattern can match), so that no early settlement can
step over the last ``END``. A pattern with two groups that hold joins cannot be evaluated
correctly at all; the rule loader refuses such a rule (``rule-unsupported-join``).
tests/test_join_order.py replays the defective evaluation on every pattern the bundled
library compiles to, for every outcome of its joins.
"""

from __future__ import annotations

from typing import Any

__all__ = ["AND", "END", "GROUPS", "OR", "beta_sequence", "in_join_order"]

#: the operators that open a group in durable_rules' JSON form
GROUPS = ("$and", "$or")
#: markers of :func:`beta_sequence`; a join leaf is the term itself
AND, OR, END = "$and", "$or", "end"


def _is_group(term: dict[str, Any]) -> bool:
    return next(iter(term)) in GROUPS


def _is_join(term: dict[str, Any]) -> bool:
    """A test whose right side is another fact's field (or arithmetic on one): a beta leaf."""
    key, value = next(iter(term.items()))
    if key.startswith("$"):  # {"$lte": {"at": RIGHT}}, {"$ex": {"field": 1}}
        value = next(iter(value.values())) if isinstance(value, dict) and value else value
    return isinstance(value, dict)


def beta_sequence(term: dict[str, Any]) -> list[Any]:
    """The beta expression sequence durable_rules builds for ``term``: markers and join leaves."""
    key, value = next(iter(term.items()))
    if key in GROUPS:
        inner = [x for child in value for x in beta_sequence(child)]
        return [key, *inner, END]
    return [term] if _is_join(term) else []


def _holds_join(term: dict[str, Any]) -> bool:
    return any(isinstance(x, dict) for x in beta_sequence(term))


def in_join_order(terms: list[dict[str, Any]]) -> dict[str, Any]:
    """One pattern (an ``$and`` of ``terms``, or the single term) in the order described above."""
    alpha = [t for t in terms if not _is_group(t) and not _is_join(t)]
    joins = [t for t in terms if not _is_group(t) and _is_join(t)]
    joined = [t for t in terms if _is_group(t) and _holds_join(t)]
    alpha_groups = [t for t in terms if _is_group(t) and not _holds_join(t)]
    if len(joined) > 1:
        raise ValueError(f"durable_rules evaluates only the first of {len(joined)} groups with joins in one pattern")
    ordered = alpha + joins + joined + alpha_groups
    if len(ordered) == 1:
        return ordered[0]  # a single test: evaluated alone, never settled early
    if joins and not joined and not alpha_groups:
        if not alpha:
            raise ValueError("a pattern of joins alone has no alpha test to close its sequence with")
        ordered.append({"$and": [alpha[0]]})
    return {"$and": ordered}
