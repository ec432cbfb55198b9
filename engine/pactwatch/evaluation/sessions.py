"""durable_rules hosts and sessions, within the engine's measured limits.

- A ruleset holds at most 1024 live sessions (``sid``); cases are spread over as many
  hosts as needed, each with its own copy of the compiled ruleset.
- Hosts here start no wall-clock timer threads: pactwatch drives time itself.
- ``delete_state`` crashes the process in 2.0.28 (SIGSEGV / ``free(): invalid
  pointer``) once a join rule has seen a fact of the session, even after every fact
  was retracted (reproduced here with one join rule and one fact). So sessions are
  never deleted: a closed case's session is emptied (every fact retracted) and its
  ``sid`` is handed to the next case. The number of sessions is then bounded by the
  most cases ever open at once, not by the history. ``shutdown`` frees the rulesets.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable
from typing import Any

import durable_rules_engine
from durable.engine import Host, MessageNotHandledException, MessageObservedException

__all__ = ["SessionPool", "Session", "MAX_LIVE_SESSIONS", "EngineFault"]

#: Below durable_rules' hard limit of 1024 live sessions per ruleset.
MAX_LIVE_SESSIONS = 1000
RULESET = "pactwatch"
_NAMES = itertools.count(1)

Action = Callable[[str, str, dict[str, Any]], None]


class EngineFault(RuntimeError):
    """durable_rules refused something it must accept: a bug, never user error."""


class _EventTimeHost(Host):
    def _run(self) -> None:  # no background dispatch/timer threads: time is event time
        return None


class Session:
    __slots__ = ("_host", "_ruleset", "sid", "_facts", "_pool")

    def __init__(self, pool: SessionPool, host: _EventTimeHost, ruleset: str, sid: str):
        self._pool = pool
        self._host = host
        self._ruleset = ruleset
        self.sid = sid
        self._facts: dict[str, dict[str, Any]] = {}

    def assert_fact(self, fact: dict[str, Any]) -> bool:
        """Assert a fact; False if no rule looks at it (it is then not stored)."""
        fact["sid"] = self.sid
        try:
            self._host.assert_fact(self._ruleset, fact)
        except MessageNotHandledException:
            return False
        except MessageObservedException:
            raise EngineFault(f"durable_rules refused fact {fact.get('id')!r} as already observed") from None
        self._facts[fact["id"]] = fact
        return True

    def retract_fact(self, fact_id: str) -> None:
        fact = self._facts.pop(fact_id, None)
        if fact is not None:
            try:
                self._host.retract_fact(self._ruleset, fact)
            except MessageNotHandledException:
                pass

    def close(self) -> None:
        """Retract every fact (one call into the engine) and hand the empty session back for reuse."""
        facts = [self._facts[k] for k in sorted(self._facts, reverse=True)]
        self._facts.clear()
        if facts:
            try:
                self._host.retract_facts(self._ruleset, facts)
            except MessageNotHandledException:
                pass
        self._pool._release(self)


class SessionPool:
    def __init__(self, definition: dict[str, Any], on_action: Action):
        self._definition = json.loads(json.dumps(definition))
        self._on_action = on_action
        self._hosts: list[tuple[_EventTimeHost, str]] = []
        self._live: dict[int, int] = {}
        self._free: list[Session] = []

    def _new_host(self) -> tuple[_EventTimeHost, str]:
        # Ruleset names are unique per process: two live C rulesets of the same name
        # corrupted memory on delete_state in a test (free(): invalid pointer).
        ruleset = copy.deepcopy(self._definition)
        for name, rule in ruleset.items():
            rule["run"] = self._binder(name)
        host, name = _EventTimeHost(), f"{RULESET}-{next(_NAMES)}"
        host.register_rulesets({name: ruleset})
        self._hosts.append((host, name))
        self._live[id(host)] = 0
        return host, name

    def _binder(self, rule_name: str) -> Callable[[Any], None]:
        def run(c: Any) -> None:
            self._on_action(rule_name, str(c.s["sid"]), {k: dict(v) for k, v in c._m.items()})

        return run

    def open(self) -> Session:
        """An empty session: a recycled one if any, else a new sid on a host with room."""
        if self._free:
            return self._free.pop()
        host, name = next((h for h in self._hosts if self._live[id(h[0])] < MAX_LIVE_SESSIONS), None) or self._new_host()
        self._live[id(host)] += 1
        return Session(self, host, name, f"s{next(_NAMES)}")

    def _release(self, session: Session) -> None:
        self._free.append(session)

    def shutdown(self) -> None:
        """Free the C rulesets; the pool is unusable afterwards."""
        for host, name in self._hosts:
            durable_rules_engine.delete_ruleset(host.get_ruleset(name)._handle)
        self._hosts.clear()

    @property
    def hosts(self) -> int:
        return len(self._hosts)

    @property
    def sessions(self) -> int:
        return sum(self._live.values())
