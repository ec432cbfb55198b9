"""Compiled patterns never meet durable_rules 2.0.28's defective expression-sequence evaluation.

``durable_evaluation`` replays ``reduceExpressionSequence`` (src/rules/events.c of the 2.0.28
sdist) on the beta expression sequence of a pattern, step for step, and says where it would
read past the sequence; ``intended`` evaluates the same sequence as nested ``$and``/``$or``.
Every pattern the bundled library compiles to must give both the same answer, for every
outcome of its joins, without an overrun (join_order.py explains the defect).
"""

from __future__ import annotations

import itertools
import shutil
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES, ROOT

from pactwatch.contracts import effective_params, load_contract
from pactwatch.errors import PactwatchError
from pactwatch.rules.compiler import compile_rules
from pactwatch.rules.join_order import AND, END, OR, beta_sequence, in_join_order
from pactwatch.rules.loader import load_rules


def durable_evaluation(seq: list[Any], outcome: dict[int, bool]) -> tuple[bool, bool]:
    """(result, read past the sequence) as events.c computes it; ``outcome`` by position of a leaf."""
    overrun = False

    def reduce(operator: str, i: list[int]) -> bool:
        nonlocal overrun
        result = True
        while i[0] < len(seq):
            current = seq[i[0]]
            if current == END:
                return result
            if current in (AND, OR):
                i[0] += 1
                result = reduce(current, i)
            else:
                result = outcome[i[0]]
                i[0] += 1
            if (operator == AND and not result) or (operator == OR and result):
                while current != END:  # the defect: the element at i is stepped over unread
                    i[0] += 1
                    if i[0] >= len(seq):
                        overrun = True
                        return result
                    current = seq[i[0]]
                return result
        return result

    return reduce("nop", [0]), overrun


def intended(seq: list[Any], outcome: dict[int, bool]) -> bool:
    def group(at: int) -> tuple[bool, int]:
        operator, values, at = seq[at], [], at + 1
        while seq[at] != END:
            if seq[at] in (AND, OR):
                value, at = group(at)
            else:
                value, at = outcome[at], at + 1
            values.append(value)
        return (all(values) if operator == AND else any(values) if values else True), at + 1

    return group(0)[0] if seq[0] in (AND, OR) else outcome[0]


def evaluations(pattern: dict[str, Any]) -> list[tuple[dict[int, bool], bool, tuple[bool, bool]]]:
    seq = beta_sequence(pattern)
    leaves = [i for i, x in enumerate(seq) if isinstance(x, dict)]
    out = []
    for values in itertools.product((False, True), repeat=len(leaves)):
        outcome = dict(zip(leaves, values, strict=True))
        out.append((outcome, intended(seq, outcome), durable_evaluation(seq, outcome)))
    return out


def test_the_replay_shows_the_defect_on_the_order_compiled_before():
    """The replay is not vacuous: a join last (the form every window took) overruns when it fails,
    and a correlation after an $or (the form the first workaround avoided) is not evaluated."""
    join = {"$lte": {"at": {"t": "at"}}}
    last = {"$and": [{"pw": "ev"}, {"type": "notice"}, join]}
    assert [(o, r) for o, r, (_, overrun) in evaluations(last) if overrun] == [({1: False}, False)]
    after_or = {"$and": [{"pw": "ev"}, {"$or": [{"kind": "a"}, {"kind": "b"}]}, {"service": {"t": "service"}}]}
    assert any(got != want for _, want, (got, _) in evaluations(after_or))


def _patterns(definition: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [(f"{name} {alias}", pattern) for name, rule in definition.items()
            for term in rule["all"] for alias, pattern in term.items()]


def _all_compiled() -> list[tuple[str, dict[str, Any]]]:
    """Every rule of the library: with its concepts' defaults, with each alternative's ``requires``
    met, and with the parameters of every bundled contract; witness rules included."""
    library = load_rules()
    ids = frozenset(r.id for r in library.rules)
    defaults = {c.name: c.defaults() for c in library.concepts}
    settings = [defaults]
    for rule in library.rules:
        for alt in rule.when:
            if alt.requires:
                settings.append({**defaults, rule.concept: {**defaults[rule.concept], **alt.requires}})
    contracts = [*EXAMPLES.glob("*/contract.yaml"), *(ROOT / "rules" / "contract-templates").glob("*.yaml")]
    for path in contracts:
        settings.append(effective_params(load_contract(path, library.concepts, sorted(ids)), library.concepts))
    out = []
    for params in settings:
        out += _patterns(compile_rules(library.rules, params, explain=ids).definition)
    return out


def test_every_compiled_pattern_is_evaluated_as_intended_without_reading_past_its_sequence():
    checked = 0
    problems = []
    for where, pattern in _all_compiled():
        for outcome, want, (got, overrun) in evaluations(pattern):
            checked += 1
            if overrun or got != want:
                problems.append(f"{where}: {beta_sequence(pattern)} {outcome} -> {got} (want {want}, overrun {overrun})")
    assert checked > 500 and not problems, "\n".join(problems[:5])


@pytest.mark.parametrize("terms", [
    [{"pw": "ev"}, {"service": {"t": "service"}}],
    [{"pw": "ev"}, {"$or": [{"kind": "a"}, {"kind": "b"}]}, {"service": {"t": "service"}}, {"$lte": {"at": {"t": "at"}}}],
    [{"pw": "ev"}, {"$and": [{"$ex": {"k": 1}}, {"$nex": {"k": 1}}]}, {"$or": [{"$nex": {"s": 1}}, {"$neq": {"s": {"t": "s"}}}]},
     {"$gte": {"at": {"$add": {"$l": {"t": "at"}, "$r": 60}}}}],
    [{"pw": "ev"}, {"$or": [{"s": {"t": "s"}}, {"s": {"t": "c"}}]}, {"type": "x"}],
])
def test_any_order_of_terms_is_put_in_one_durable_rules_evaluates_as_intended(terms):
    for order in itertools.permutations(terms):
        pattern = in_join_order(list(order))
        assert all(got == want and not overrun for _, want, (got, overrun) in evaluations(pattern)), pattern


def test_two_groups_with_joins_in_one_pattern_are_refused():
    with pytest.raises(ValueError, match="only the first of 2 groups"):
        in_join_order([{"pw": "ev"}, {"$or": [{"s": {"t": "s"}}, {"s": "x"}]}, {"$or": [{"c": {"t": "c"}}, {"c": "y"}]}])


def test_the_loader_refuses_a_pattern_with_two_lists_of_trigger_references(tmp_path):
    library = load_rules()
    root = tmp_path / "rules"
    shutil.copytree(library.directory, root)
    path = root / "collateral-outage.yaml"
    rule = yaml.safe_load(path.read_text(encoding="utf-8"))
    alternatives = rule["when"] if isinstance(rule["when"], list) else [rule["when"]]
    pattern = next(p for alt in alternatives for p in [*alt.get("present", []), *alt.get("absent", [])])
    pattern["match"]["service"] = ["$trigger.service", "mail"]
    pattern["match"]["host"] = {"not_in": ["$trigger.host"]}
    path.write_text(yaml.safe_dump(rule, sort_keys=False), encoding="utf-8")
    with pytest.raises(PactwatchError, match="rule-unsupported-join") as caught:
        load_rules(root)
    assert "2 lists with $trigger references in one pattern (service, host)" in str(caught.value)

