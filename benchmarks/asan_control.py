"""The positive control of ``benchmarks/asan.sh``: memory errors inside durable_rules' C code, made
through its own Python module, that an AddressSanitizer build must report.

A run of asan.sh that finds nothing means something only if the same harness reports an error
that is there. Each mode runs in a process of its own:

- ``stale-state``: a fact leaves an action pending in a session, the session is deleted
  (``delete_state``), and the action is then started with the state handle the assert returned.
  The handle points into the freed session: without ASan the process died of SIGSEGV in 5 of 5
  runs here; with ASan it is reported where it happens (``getNextResultInState`` reading what
  ``deleteStateNode`` freed). pactwatch never
  does this: it drains every action right after the call that queued it and never deletes a session
  (docs/operations.md, "durable_rules, pinned").
- ``delete-state``: ``delete_state`` on sessions that still hold facts a join rule has matched,
  the crash path pactwatch avoids by emptying and reusing sessions. Whether ASan reports it is what
  this mode asks; outside the engine of that time it has not crashed on this machine.
- ``join-last``: a pattern whose last term is a join (``at`` before the trigger's), and a fact for
  which that join fails. durable_rules' ``reduceExpressionSequence`` then reads past the pattern's
  expression sequence (jruizgit/rules#381): the rare SIGSEGV of the test suite, and the order the
  compiler used to give every window. ``join-closed`` is the same pattern in the order pactwatch
  compiles now (``rules/join_order.py``): it must not be reported.

    python benchmarks/asan_control.py stale-state|delete-state|join-last|join-closed
"""

from __future__ import annotations

import json
import sys

import durable_rules_engine as engine

#: a join and a single-fact rule, in durable_rules' JSON form (no ``run``: no action is taken here)
RULES = {"joined": {"all": [{"a": {"t": "a"}}, {"b": {"$and": [{"t": "b"}, {"k": {"a": "k"}}]}}]},
         "alone": {"all": [{"m": {"t": "c"}}]}}


def stale_state() -> None:
    handle = engine.create_ruleset("control-stale-state", json.dumps(RULES))
    _, state = engine.assert_fact(handle, json.dumps({"id": "1", "sid": "1", "t": "c"}))
    engine.delete_state(handle, "1")
    engine.start_action_for_state(handle, state)


def delete_state(sessions: int = 5000) -> None:
    handle = engine.create_ruleset("control-delete-state", json.dumps(RULES))
    for s in range(sessions):
        sid = str(s)
        state = 0
        for n, fact in enumerate(({"t": "a", "k": 1}, {"t": "b", "k": 1}, {"t": "a", "k": 2}, {"t": "b", "k": 3})):
            _, state = engine.assert_fact(handle, json.dumps({"id": f"{s}-{n}", "sid": sid, **fact}))
        engine.start_action_for_state(handle, state)  # the join's action taken, its facts still stored
        engine.delete_state(handle, sid)


def _join(pattern: dict[str, object], facts: int = 200) -> None:
    rules = {"window": {"all": [{"t": {"pw": "trigger"}}, {"p": pattern}]}}
    handle = engine.create_ruleset("control-join", json.dumps(rules))
    engine.assert_fact(handle, json.dumps({"id": "t", "sid": "1", "pw": "trigger", "at": 100}))
    for n in range(facts):  # every one after the trigger: the join fails for each
        engine.assert_fact(handle, json.dumps({"id": f"p{n}", "sid": "1", "pw": "ev", "at": 200 + n}))


def join_last() -> None:
    _join({"$and": [{"pw": "ev"}, {"$lte": {"at": {"t": "at"}}}]})


def join_closed() -> None:
    from pactwatch.rules.join_order import in_join_order
    _join(in_join_order([{"pw": "ev"}, {"$lte": {"at": {"t": "at"}}}]))


if __name__ == "__main__":
    {"stale-state": stale_state, "delete-state": delete_state, "join-last": join_last,
     "join-closed": join_closed}[sys.argv[1]]()
    print("no memory error seen by the process itself")
