"""The direct driver of durable_rules' C engine: codes, actions, recycled sessions."""

from __future__ import annotations

import json

import durable_rules_engine
import pytest

from pactwatch.evaluation.sessions import EngineFault, SessionPool

#: one join rule: an "a" fact and a "b" fact of the same service
JOIN = {"pair": {"all": [
    {"t": {"$and": [{"pw": "ev"}, {"type": "a"}]}},
    {"p": {"$and": [{"pw": "ev"}, {"type": "b"}, {"service": {"t": "service"}}]}},
]}}


def fact(ident: str, kind: str, service: str = "x.de") -> dict:
    return {"id": ident, "ref": ident, "pw": "ev", "type": kind, "service": service}


@pytest.fixture
def fired():
    return []


@pytest.fixture
def pool(fired):
    pool = SessionPool(JOIN, lambda name, sid, matched: fired.append((name, sid, sorted(matched), matched["p"]["id"])))
    yield pool
    pool.shutdown()


def test_a_join_fires_once_with_the_session_and_the_matched_facts(pool, fired):
    session = pool.open()
    assert session.assert_fact(fact("a1", "a"))
    assert session.assert_fact(fact("b1", "b", "other.de")) and fired == []  # another service: no pair
    assert session.assert_fact(fact("b2", "b"))
    assert fired == [("pair", session.sid, ["p", "t"], "b2")]


def test_a_fact_no_rule_reads_is_refused_and_not_kept(pool):
    session = pool.open()
    assert not session.assert_fact(fact("c1", "c"))
    assert session._facts == {}


def test_asserting_a_held_fact_again_is_an_engine_fault(pool):
    session = pool.open()
    session.assert_fact(fact("a1", "a"))
    with pytest.raises(EngineFault, match="already observed"):
        session._driver.post(durable_rules_engine.assert_fact, session.sid, fact("a1", "a") | {"sid": session.sid})


def test_a_failing_action_is_abandoned_and_the_session_stays_usable():
    calls = []

    def action(name, sid, matched):
        calls.append(matched["p"]["id"])
        if len(calls) == 1:
            raise RuntimeError("boom")

    pool = SessionPool(JOIN, action)
    try:
        session = pool.open()
        session.assert_fact(fact("a1", "a"))
        with pytest.raises(RuntimeError, match="boom"):
            session.assert_fact(fact("b1", "b"))
        # the session is not left locked by the failed action: later facts still fire, and
        # the abandoned action is handed out again (as durable.engine's wrapper does)
        session.assert_fact(fact("b2", "b"))
        assert sorted(calls[1:]) == ["b1", "b2"]
    finally:
        pool.shutdown()


def test_a_recycled_session_starts_empty(pool, fired):
    first = pool.open()
    first.assert_fact(fact("a1", "a"))
    first.close()
    again = pool.open()
    assert again is first
    again.assert_fact(fact("b1", "b"))  # the closed case's "a" is gone: no pair
    assert fired == []


def test_fact_text_is_json_even_beyond_what_orjson_writes():
    from pactwatch.evaluation.sessions import _json

    assert json.loads(_json({"id": "f", "at": 1767222000.5, "up": False, "text": "Grüße"})) == \
        {"id": "f", "at": 1767222000.5, "up": False, "text": "Grüße"}
    assert json.loads(_json({"n": 2**70})) == {"n": 2**70}  # orjson stops at 64 bits; json.dumps takes over


def test_evaluators_of_the_same_rules_reuse_the_c_rulesets_instead_of_churning_them(library):
    """Each new Evaluator used to compile new C rulesets and delete the old ones when it was
    collected; now an evaluator's idle pools go to a process-wide registry, and the next
    evaluator of the same rules and parameters takes them. A failed run's pool is freed."""
    from conftest import EXAMPLES

    from pactwatch import Evaluator, load_contract, load_events
    from pactwatch.evaluation import sessions

    terms = load_contract(EXAMPLES / "hosting-2026" / "contract.yaml", library.concepts, [r.id for r in library.rules])
    events = load_events(EXAMPLES / "hosting-2026" / "events.jsonl")
    first = Evaluator(library, terms)
    first.run_events(events.events)
    key = first._keys["first"]
    [pool] = [p for p in sessions._IDLE[key]][-1:]
    names = next(sessions._NAMES)
    report = Evaluator(library, terms).run_events(events.events)
    assert report.violations and pool in sessions._IDLE[key]  # taken, used and given back
    assert next(sessions._NAMES) == names + 1  # no ruleset or session was created in between
    with pytest.raises(Exception, match="events-out-of-order"):
        Evaluator(library, terms).run(iter([(e.at.timestamp(), e.id, e) for e in reversed(events.events)]),
                                      events.summary)
    assert pool not in sessions._IDLE[key]  # the failed run's pool (facts left in it) was freed
