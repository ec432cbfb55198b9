"""Synthetic incident streams for benchmarks: N events over N/100 cases, in time order.

Each case is a small outage story with a realistic mix: mostly monitoring probes, a
suspension (half of them noticed in time), a change (half tested), a resolution claim
(some contradicted), complaints and replies (some apologising), and a close. Cases
start every 10 minutes and last a little over three days, so a few hundred are open at once.
Deterministic for a given size and seed. ``--clean`` makes every vendor behave, so a run
finds nothing and its memory shows what closed cases leave behind (findings aside).
"""

from __future__ import annotations

import argparse
import heapq
import json
import random
from datetime import datetime, timedelta, timezone

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def case_events(i: int, per_case: int, rng: random.Random, clean: bool = False) -> list[dict]:
    vendor, inc = f"vendor-{i % 3}", f"INC-{i:07d}"
    t0 = START + timedelta(minutes=10 * i)
    svc = f"www.k{i}.de"
    out = []

    def add(minutes: float, type_: str, **kw):
        out.append({"id": f"{inc}-{len(out):03d}", "at": (t0 + timedelta(minutes=minutes)).isoformat(),
                    "type": type_, "vendor": vendor, "incident": inc, **kw})

    if i % 2 or clean:
        add(-1600, "notice.sent", actor="vendor", service=svc, text="Bitte reduzieren Sie die Last.", data={"kind": "warning"})
    add(0, "service.suspended", actor="vendor", service=svc, data={"reason": "load"})
    add(20, "message.sent", actor="customer", service=svc, text="Die Seite ist nicht erreichbar!", data={"kind": "complaint"})
    if i % 3 == 0 or clean:
        add(60, "message.sent", actor="vendor", text="Wir entschuldigen uns für die Störung.", data={"kind": "reply"})
    else:
        add(60, "message.sent", actor="vendor", text="Leider kam es zu Problemen.", data={"kind": "reply"})
    if i % 2 == 0 or clean:
        add(100, "host.tested", actor="vendor", data={"host": f"h{i}", "result": "pass"})
    add(120, "change.completed", actor="vendor", data={"change": f"CH{i}", "host": f"h{i}", "services": [svc]})
    add(900, "status.claimed", actor="vendor", text="Resolved.", data={"status": "resolved", "services": [svc]})
    fixed_at = 900 if i % 4 or clean else 1500
    probes = per_case - len(out) - 1
    for k in range(probes):
        minute = 30 + k * (4000 / max(probes, 1))
        add(minute, "probe", actor="monitor", service=svc, data={"check": "https", "up": minute > fixed_at})
    # closed after the apology deadline (72 h after the complaint), so no-apology is decided, not pending
    add(4400, "incident.closed")
    return sorted(out, key=lambda e: e["at"])


def generate(events: int, seed: int = 1, clean: bool = False):
    per_case = 100
    rng = random.Random(seed)
    streams = (case_events(i, per_case, rng, clean) for i in range(max(events // per_case, 1)))
    yield from heapq.merge(*streams, key=lambda e: (e["at"], e["id"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("events", type=int)
    parser.add_argument("output")
    parser.add_argument("--clean", action="store_true",
                        help="every vendor behaves (no findings): isolates the memory a run keeps per closed case")
    args = parser.parse_args()
    with open(args.output, "w", encoding="utf-8") as handle:
        for event in generate(args.events, clean=args.clean):
            handle.write(json.dumps(event, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
