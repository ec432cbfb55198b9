"""Baseline: the four headline rules written directly against durable_rules.

No validation, no message lexicon beyond two substring checks, no report: json.loads,
a minimal fact with an id, one recycled session per case, retract on close. This is
the floor pactwatch's overhead is measured against.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

from durable.engine import Host, MessageNotHandledException

DAY = 86400


class _Host(Host):
    def _run(self):
        return None


def run(path: str) -> int:
    found = []
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
    host = _Host()
    host.register_rulesets({"raw": rules})
    sessions: dict[str, tuple[str, list]] = {}
    free: list[str] = []
    counter = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            e = json.loads(line)
            case = e["vendor"] + "/" + e.get("incident", "")
            if case not in sessions:
                if free:
                    sid = free.pop()
                else:
                    counter += 1
                    sid = f"s{counter}"
                sessions[case] = (sid, [])
            sid, facts = sessions[case]
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
                try:
                    host.assert_fact("raw", one)
                    facts.append(one)
                except MessageNotHandledException:
                    pass
            if e["type"] == "incident.closed":
                for f in reversed(facts):
                    try:
                        host.retract_fact("raw", f)
                    except MessageNotHandledException:
                        pass
                del sessions[case]
                free.append(sid)
    return len(found)


if __name__ == "__main__":
    print(run(sys.argv[1]))
