"""durable_rules hosts and sessions, within the engine's measured limits.

- A ruleset holds at most 1024 live sessions (``sid``); cases are spread over as many
  hosts as needed, each with its own copy of the compiled ruleset.
- Hosts here start no wall-clock timer threads: pactwatch drives time itself.
- ``delete_state`` on a session that still holds facts crashes the process in 2.0.28,
  so a session is emptied (every fact retracted) before it is deleted.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from durable.engine import Host, MessageNotHandledException, MessageObservedException

__all__ = ["SessionPool", "Session", "MAX_LIVE_SESSIONS", "EngineFault"]

#: Below durable_rules' hard limit of 1024 live sessions per ruleset.
MAX_LIVE_SESSIONS = 1000
RULESET = "pactwatch"

Action = Callable[[str, str, dict[str, Any]], None]


class EngineFault(RuntimeError):
    """durable_rules refused something it must accept: a bug, never user error."""


class _EventTimeHost(Host):
    def _run(self) -> None:  # no background dispatch/timer threads: time is event time
        return None


class Session:
    __slots__ = ("_host", "sid", "_facts", "_pool")

    def __init__(self, pool: SessionPool, host: _EventTimeHost, sid: str):
        self._pool = pool
        self._host = host
        self.sid = sid
        self._facts: dict[str, dict[str, Any]] = {}

    def assert_fact(self, fact: dict[str, Any]) -> bool:
        """Assert a fact; False if no rule looks at it (it is then not stored)."""
        fact["sid"] = self.sid
        try:
            self._host.assert_fact(RULESET, fact)
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
                self._host.retract_fact(RULESET, fact)
            except MessageNotHandledException:
                pass

    def close(self) -> None:
        """Retract every fact, then delete the session (the order avoids a crash)."""
        for fact_id in sorted(self._facts, reverse=True):
            self.retract_fact(fact_id)
        self._host.delete_state(RULESET, self.sid)
        self._pool._release(self._host)


class SessionPool:
    def __init__(self, definition: dict[str, Any], on_action: Action):
        self._definition = json.loads(json.dumps(definition))
        self._on_action = on_action
        self._hosts: list[_EventTimeHost] = []
        self._live: dict[int, int] = {}
        self._serial = 0

    def _new_host(self) -> _EventTimeHost:
        ruleset = copy.deepcopy(self._definition)
        for name, rule in ruleset.items():
            rule["run"] = self._binder(name)
        host = _EventTimeHost()
        host.register_rulesets({RULESET: ruleset})
        self._hosts.append(host)
        self._live[id(host)] = 0
        return host

    def _binder(self, rule_name: str) -> Callable[[Any], None]:
        def run(c: Any) -> None:
            self._on_action(rule_name, str(c.s["sid"]), {k: dict(v) for k, v in c._m.items()})

        return run

    def open(self) -> Session:
        host = next((h for h in self._hosts if self._live[id(h)] < MAX_LIVE_SESSIONS), None) or self._new_host()
        self._live[id(host)] += 1
        self._serial += 1
        return Session(self, host, f"s{self._serial}")

    def _release(self, host: _EventTimeHost) -> None:
        self._live[id(host)] -= 1

    @property
    def hosts(self) -> int:
        return len(self._hosts)
