"""Baseline: the four headline rules written directly against durable_rules.

No validation, no message lexicon beyond two substring checks, no report: json.loads,
a minimal fact with an id, one recycled session per case, retract on close. This is
the floor pactwatch's overhead is measured against.

Two ways to call durable_rules: its documented Python API (``Host.assert_fact``, the
default, what the targets are judged against) and ``direct=True``, which drives the C
module ``durable_rules_engine`` the way pactwatch does (orjson text, actions started and
completed without the wrapper). The second shows how much of pactwatch's lead over the
wrapper is the calling convention, so the ratio is not flattered by it.
"""

from __future__ import annotations

import copy
import json
import sys
from datetime import datetime

import durable_rules_engine
import orjson
from durable.engine import Host, MessageNotHandledException

DAY = 86400


class _Host(Host):
    def _run(self):
        return None


def run(path: str, direct: bool = False) -> int:
    found: list[str] = []
    ev = lambda **kw: {"$and": [{"pw": 1}, *[{k: v} for k, v in kw.items()]]}  # noqa: E731
    rules = {
        "susp": {"all": [{"t": ev(type="service.suspended")},
                         {"n$not": {"$and": [{"pw": 1}, {"type": "notice.sent"}, {"service": {"t": "service"}},
                                             {"$lte": {"at": {"$add": {"$l": {"t": "at"}, "$r": -DAY}}}}]}}],
                 "run": lambda c: found.append("susp")},
        "change": {"all": [{"t": ev(type="change.completed")},
                           {"n$not": {"$and": [{"pw": 1}, {"type": "host.tested"}, {"result": "pass"},
                                               {"host": {"t": "host"}}, {"$lte": {"at": {"t": "at"}}}]}}],
                   "run": lambda c: found.append("change")},
        "claim": {"all": [{"t": ev(type="status.claimed", status="resolved")},
                          {"p": {"$and": [{"pw": 1}, {"type": "probe"}, {"up": False}, {"service": {"t": "service"}},
                                          {"$gte": {"at": {"t": "at"}}},
                                          {"$lte": {"at": {"$add": {"$l": {"t": "at"}, "$r": DAY}}}}]}}],
                  "run": lambda c: found.append("claim")},
        "apology": {"all": [{"t": ev(type="message.sent", actor="customer", kind="complaint")},
                            {"x": ev(type="incident.closed")},
                            {"n$not": {"$and": [{"pw": 1}, {"apology": True},
                                                {"$lte": {"at": {"$add": {"$l": {"t": "at"}, "$r": 3 * DAY}}}}]}}],
                    "run": lambda c: found.append("apology")},
    }
    # durable_rules holds at most 1024 live sessions per ruleset: with more cases open at once
    # (the realistic mix has about 5,800), sessions are spread over rulesets of 1,000, as
    # pactwatch does. Each ruleset has its own name and host.
    hosts: list[tuple[_Host, str, int]] = []

    def new_ruleset() -> int:
        host, name = _Host(), f"raw{len(hosts)}"
        host.register_rulesets({name: copy.deepcopy(rules)})  # registering consumes the definition
        hosts.append((host, name, host.get_ruleset(name)._handle))
        return len(hosts) - 1

    def wrapped(call, where, payload) -> bool:
        host, name, _ = hosts[where]
        try:
            getattr(host, call)(name, payload)
            return True
        except MessageNotHandledException:
            return False

    def direct_call(call, where, payload) -> bool:
        ruleset = hosts[where][2]
        code, state = call(ruleset, orjson.dumps(payload).decode())
        started = durable_rules_engine.start_action_for_state(ruleset, state)
        pending = started[1] if started else None
        while pending:
            found.append(next(iter(orjson.loads(pending))))
            pending = durable_rules_engine.complete_and_start_action(ruleset, state)
        return code != 1

    if direct:
        assert_fact = lambda w, f: direct_call(durable_rules_engine.assert_fact, w, f)  # noqa: E731
        retract_fact = lambda w, f: direct_call(durable_rules_engine.retract_fact, w, f)  # noqa: E731
    else:
        assert_fact = lambda w, f: wrapped("assert_fact", w, f)  # noqa: E731
        retract_fact = lambda w, f: wrapped("retract_fact", w, f)  # noqa: E731
    sessions: dict[str, tuple[tuple[int, str], list]] = {}
    free: list[tuple[int, str]] = []
    live: list[int] = []
    counter = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            e = json.loads(line)
            case = e["vendor"] + "/" + e.get("incident", "")
            if case not in sessions:
                if free:
                    slot = free.pop()
                else:
                    where = next((i for i, n in enumerate(live) if n < 1000), None)
                    if where is None:
                        where = new_ruleset()
                        live.append(0)
                    live[where] += 1
                    counter += 1
                    slot = (where, f"s{counter}")
                sessions[case] = (slot, [])
            (where, sid), facts = sessions[case]
            data = e.get("data", {})
            text = e.get("text", "")
            fact = {"id": e["id"], "sid": sid, "pw": 1, "type": e["type"], "at": datetime.fromisoformat(e["at"]).timestamp(),
                    **{k: v for k, v in data.items() if not isinstance(v, list)}}
            for k in ("service", "actor"):
                if k in e:
                    fact[k] = e[k]
            if "entschuldigen" in text or "apologi" in text:
                fact["apology"] = True
            # a claim names its services in a list: one fact per service, so the claim joins its probes
            listed = data.get("services") if "service" not in e else None
            for one in ([dict(fact, id=f"{e['id']}@{s}", service=s) for s in listed] if listed else [fact]):
                if assert_fact(where, one):
                    facts.append(one)
            if e["type"] == "incident.closed":
                for f in reversed(facts):
                    retract_fact(where, f)
                del sessions[case]
                free.append((where, sid))
    return len(found)


if __name__ == "__main__":
    print(run(sys.argv[1], direct="--direct" in sys.argv[2:]))
