"""durable_rules hosts and sessions, within the engine's measured limits.

- A ruleset holds at most 1024 live sessions (``sid``); cases are spread over as many
  hosts as needed, each with its own copy of the compiled ruleset.
- Hosts here start no wall-clock timer threads: pactwatch drives time itself. A host
  only compiles and registers a ruleset; facts and actions go through the C module
  directly (:class:`_Driver`), which halves what a firing costs and reads no clock.
- ``delete_state`` crashes the process in 2.0.28 (SIGSEGV / ``free(): invalid
  pointer``) once a join rule has seen a fact of the session, even after every fact
  was retracted (reproduced here with one join rule and one fact). So sessions are
  never deleted: a closed case's session is emptied (every fact retracted) and its
  ``sid`` is handed to the next case. The number of sessions is then bounded by the
  most cases ever open at once, not by the history. ``shutdown`` frees the rulesets.
- ``delete_ruleset`` does not give back what the sessions of a ruleset held (about 1 MB
  per run of the bundled example, measured): a program that evaluates again and again
  grew without bound. Idle pools are therefore kept for the next run, and not per
  evaluator but per process, keyed by the compiled definition (:func:`borrow_pool`,
  :func:`return_pool`): a new evaluator of the same rules and contract parameters takes
  them, so rulesets are not created and deleted again and again, and a process holds the
  sessions of its largest run once per definition.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import threading
from collections.abc import Callable
from typing import Any

import durable_rules_engine
import orjson
from durable.engine import Host

__all__ = ["SessionPool", "Session", "MAX_LIVE_SESSIONS", "EngineFault", "closed_pool", "borrow_pool", "return_pool"]

#: Below durable_rules' hard limit of 1024 live sessions per ruleset.
MAX_LIVE_SESSIONS = 1000
RULESET = "pactwatch"
_NAMES = itertools.count(1)

Action = Callable[[str, str, dict[str, Any]], None]


class EngineFault(RuntimeError):
    """durable_rules refused something it must accept: a bug, never user error."""


class _EventTimeHost(Host):  # type: ignore[misc]  # durable.engine has no types
    def _run(self) -> None:  # no background dispatch/timer threads: time is event time
        return None


def _unused_action(c: Any) -> None:
    """durable.engine wants a callable per rule; actions are dispatched by :class:`_Driver`."""
    raise EngineFault("durable_rules dispatched an action through its Python wrapper")


def _json(payload: Any) -> str:
    """The text durable_rules parses; orjson is ten times faster than json.dumps here."""
    try:
        return orjson.dumps(payload).decode()
    except orjson.JSONEncodeError:  # e.g. an integer beyond 64 bits: json.dumps spells it
        return json.dumps(payload, ensure_ascii=False)


def closed_pool(name: str, sid: str, matched: dict[str, Any]) -> None:
    raise EngineFault(f"rule {name} fired in session {sid} after its pool was shut down")


# result codes of durable_rules_engine.assert_fact/retract_fact(s) (rules.h)
_NOT_HANDLED, _OBSERVED, _DEFERRED = 1, 2, 3


class _Driver:
    """One C ruleset, driven through ``durable_rules_engine`` directly.

    durable.engine's Python wrapper costs more per call than the matching: per action it
    builds a closure, reads the wall clock twice and re-asserts the unchanged session
    state through the network. The calls here are the ones the wrapper makes
    (``Ruleset.assert_fact`` → ``do_actions`` → ``complete_and_start_action``), without
    the state update, which pactwatch's rules never read (the state is never changed).
    """

    __slots__ = ("handle", "on_action")

    def __init__(self, handle: int, on_action: Action):
        self.handle = handle
        self.on_action = on_action

    def post(self, call: Callable[[int, str], tuple[int, int]], sid: str, payload: Any) -> bool:
        """Assert or retract; run the actions it triggers. False if no rule looks at it."""
        code, state = call(self.handle, _json(payload))
        if code == _OBSERVED:
            raise EngineFault(f"durable_rules refused {payload!r:.200} as already observed")
        if code == _DEFERRED:  # only with a message queue callback, which pactwatch never sets
            raise EngineFault("durable_rules deferred a message")
        # Drained whatever the code: an action left queued would reach the next case on this sid.
        self._actions(sid, state)
        return code != _NOT_HANDLED

    def _actions(self, sid: str, state: int) -> None:
        started = durable_rules_engine.start_action_for_state(self.handle, state)
        if not started:
            return
        pending: str | None = started[1]
        while pending:
            name, matched = next(iter(orjson.loads(pending).items()))
            try:
                self.on_action(name, sid, matched)
            except BaseException:
                durable_rules_engine.abandon_action(self.handle, state)
                raise
            pending = durable_rules_engine.complete_and_start_action(self.handle, state)


class Session:
    __slots__ = ("_driver", "_facts", "_host", "_pool", "_ruleset", "sid")

    def __init__(self, pool: SessionPool, host: _EventTimeHost, ruleset: str, driver: _Driver, sid: str):
        self._pool = pool
        self._host = host
        self._ruleset = ruleset
        self._driver = driver
        self.sid = sid
        self._facts: dict[str, dict[str, Any]] = {}

    def assert_fact(self, fact: dict[str, Any]) -> bool:
        """Assert a fact; False if no rule looks at it (it is then not stored)."""
        fact["sid"] = self.sid
        if not self._driver.post(durable_rules_engine.assert_fact, self.sid, fact):
            return False
        self._facts[fact["id"]] = fact
        return True

    def retract_fact(self, fact_id: str) -> None:
        fact = self._facts.pop(fact_id, None)
        if fact is not None:
            self._driver.post(durable_rules_engine.retract_fact, self.sid, fact)

    def close(self) -> None:
        """Retract every fact (one call into the engine) and hand the empty session back for reuse."""
        facts = [self._facts[k] for k in sorted(self._facts, reverse=True)]
        self._facts.clear()
        if facts:
            self._driver.post(durable_rules_engine.retract_facts, self.sid, facts)
        self._pool._release(self)


class SessionPool:
    def __init__(self, definition: dict[str, Any], on_action: Action):
        self._definition = json.loads(json.dumps(definition))
        self._on_action = on_action
        self._hosts: list[tuple[_EventTimeHost, str, _Driver]] = []
        self._live: dict[int, int] = {}
        self._free: list[Session] = []

    def _new_host(self) -> tuple[_EventTimeHost, str, _Driver]:
        # Ruleset names are unique per process: two live C rulesets of the same name
        # corrupted memory on delete_state in a test (free(): invalid pointer).
        ruleset = copy.deepcopy(self._definition)
        for rule in ruleset.values():
            rule["run"] = _unused_action
        host, name = _EventTimeHost(), f"{RULESET}-{next(_NAMES)}"
        host.register_rulesets({name: ruleset})
        entry = (host, name, _Driver(host.get_ruleset(name)._handle, self._on_action))
        self._hosts.append(entry)
        self._live[id(host)] = 0
        return entry

    def open(self) -> Session:
        """An empty session: a recycled one if any, else a new sid on a host with room."""
        if self._free:
            return self._free.pop()
        host, name, driver = next((h for h in self._hosts if self._live[id(h[0])] < MAX_LIVE_SESSIONS), None) or \
            self._new_host()
        self._live[id(host)] += 1
        return Session(self, host, name, driver, f"s{next(_NAMES)}")

    def _release(self, session: Session) -> None:
        self._free.append(session)

    def bind(self, on_action: Action) -> None:
        """Send the actions of every session to ``on_action`` from now on (a pool serves one run at a time)."""
        self._on_action = on_action
        for _, _, driver in self._hosts:
            driver.on_action = on_action

    @property
    def idle(self) -> bool:
        """Every session it opened is empty and back in the pool: the next run may use it as new."""
        return len(self._free) == self.sessions

    def shutdown(self) -> None:
        """Free the C rulesets; the pool is unusable afterwards.

        Also lets go of the action callback and the sessions, which refer back to the
        pool: the run that owns the pool is then freed by reference counting, not left
        to the cycle collector (paused during runs, see gc_policy).
        """
        for host, name, driver in self._hosts:
            durable_rules_engine.delete_ruleset(host.get_ruleset(name)._handle)
            driver.on_action = closed_pool
        self._hosts.clear()
        self._free.clear()
        self._on_action = closed_pool

    @property
    def hosts(self) -> int:
        return len(self._hosts)

    @property
    def sessions(self) -> int:
        return sum(self._live.values())


#: Idle pools by the digest of their compiled definition, shared by every evaluator of the
#: process. An evaluator made again for the same rules and contract parameters (an embedding
#: service does so per request; the test suite hundreds of times) takes the C rulesets an
#: earlier one left instead of compiling new ones and deleting the old: durable_rules' C
#: rulesets are then created once per definition and never churned.
_IDLE: dict[str, list[SessionPool]] = {}
_IDLE_LOCK = threading.Lock()
#: idle pools kept per definition (more only when evaluators of one definition run at once)
_KEEP_IDLE = 2


def definition_key(definition: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(definition, sort_keys=True, default=str).encode()).hexdigest()


def borrow_pool(definition: dict[str, Any], key: str, on_action: Action) -> SessionPool:
    """An idle pool of this definition if the process has one, else a new one, bound to ``on_action``."""
    with _IDLE_LOCK:
        idle = _IDLE.get(key)
        pool = idle.pop() if idle else None
    if pool is None:
        return SessionPool(definition, on_action)
    pool.bind(on_action)
    return pool


def return_pool(pool: SessionPool, key: str, clean: bool) -> None:
    """Keep a clean, idle pool for the next evaluator of its definition; free any other."""
    if clean and pool.idle:
        pool.bind(closed_pool)  # the finished run is not kept alive through its callback
        with _IDLE_LOCK:
            idle = _IDLE.setdefault(key, [])
            if len(idle) < _KEEP_IDLE:
                idle.append(pool)
                return
    pool.shutdown()

