"""Synthetic incident streams for benchmarks: N events over N/100 cases, in time order.

Each case is a small outage story with a realistic mix: mostly monitoring probes, a
suspension (half of them noticed in time), a change (half tested), a resolution claim
(some contradicted), complaints and replies (some apologising), and a close. Cases
start every 10 minutes and last a little over three days, so a few hundred are open at once.
Deterministic for a given size and seed. ``--clean`` makes every vendor behave, so a run
finds nothing and its memory shows what closed cases leave behind (findings aside).

``--mix realistic`` is the stream the judgement costs show on: about 18 events per case,
a third of them messages (without ``lang``, in German or English, two to four sentences of
support mail; greetings, signatures and stock phrases repeat, the rest name the case's
domain, ticket and times), status claims, changes and host tests, and only six probes; a
case starts every 45 seconds, so about 5,800 cases are open at once.
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


#: sentences of support mails and status pages, combined into messages (two to four per message).
#: Greetings, signatures and stock phrases repeat from mail to mail as in a real mailbox; the
#: others name the case's domain, ticket and times, so no two cases share them.
VENDOR_SENTENCES = [
    "Sehr geehrte Damen und Herren,", "Wir entschuldigen uns für die entstandenen Unannehmlichkeiten.",
    "Leider kam es zu einer Störung auf dem Server {host}.", "Die Ursache war ein defekter RAID-Controller in {host}.",
    "Unsere Techniker arbeiten mit Hochdruck an einer Lösung für {svc}.", "Die Domain {svc} ist wieder vollständig erreichbar.",
    "Wir melden uns bis {hour} Uhr mit einem neuen Stand zu Ticket {ticket}.",
    "Für Rückfragen wenden Sie sich bitte an unser Qualitätsmanagement.",
    "Trotz aller Vorsichtsmaßnahmen lassen sich solche Ausfälle nicht ganz vermeiden.", "Mit freundlichen Grüßen, Ihr Support-Team",
    "We apologise for the disruption this has caused.", "The root cause was a failed power supply in rack {rack}.",
    "All services on {host} have been restored.", "We expect the migration of {svc} to finish by {hour}:00 UTC.",
    "Next update on ticket {ticket} in {minutes} minutes.", "Please contact our billing department regarding credits.",
    "We will credit one month of fees for {svc} to your account.", "Our engineers are still investigating ticket {ticket}.",
    "We have replaced the faulty hardware in {host} and are monitoring the system.", "Kind regards, the Support Team",
]
CUSTOMER_SENTENCES = [
    "Die Seite {svc} ist seit heute früh nicht erreichbar!", "Wir haben keine Vorwarnung erhalten.",
    "Bitte schalten Sie {svc} umgehend wieder frei.", "Wir erwarten eine Gutschrift für den Ausfall von {svc}.",
    "Our shop at {svc} has been down since {hour} am.", "Nobody told us about this maintenance.",
    "When will {svc} be back? Ticket {ticket} is still open.", "We expect a service credit for this outage.",
]


def realistic_case(i: int, rng: random.Random) -> list[dict]:
    """About 18 events: notice (half), suspension, change and test, six messages, a claim, six probes, close."""
    vendor, inc = f"vendor-{i % 3}", f"INC-{i:07d}"
    t0 = START + timedelta(seconds=45 * i)
    svc = f"www.k{i}.de"
    out: list[dict] = []

    def add(minutes: float, type_: str, **kw):
        out.append({"id": f"{inc}-{len(out):03d}", "at": (t0 + timedelta(minutes=minutes)).isoformat(),
                    "type": type_, "vendor": vendor, "incident": inc, **kw})

    def text(pool: list[str]) -> str:
        values = {"svc": svc, "host": f"srv-{i % 997}", "ticket": f"T-{i:06d}", "rack": i % 40,
                  "hour": rng.randint(8, 20), "minutes": rng.choice([30, 60, 90])}
        return " ".join(t.format(**values) for t in rng.sample(pool, rng.randint(2, 4)))

    if i % 2:
        add(-1600, "notice.sent", actor="vendor", service=svc, text="Bitte reduzieren Sie die Last.", data={"kind": "warning"})
    add(0, "service.suspended", actor="vendor", service=svc, data={"reason": "load"})
    add(20, "message.sent", actor="customer", service=svc, text=text(CUSTOMER_SENTENCES), data={"kind": "complaint"})
    add(60, "message.sent", actor="vendor", text=text(VENDOR_SENTENCES), data={"kind": "reply"})
    add(70, "change.requested", actor="customer", data={"change": f"CH{i}", "kind": "upgrade", "services": [svc]})
    if i % 2 == 0:
        add(100, "host.tested", actor="vendor", data={"host": f"h{i}", "result": "pass"})
    add(120, "change.completed", actor="vendor", data={"change": f"CH{i}", "host": f"h{i}", "services": [svc]})
    add(300, "message.sent", actor="customer", service=svc, text=text(CUSTOMER_SENTENCES), data={"kind": "update"})
    add(420, "message.sent", actor="vendor", text=text(VENDOR_SENTENCES), data={"kind": "update"})
    add(900, "status.claimed", actor="vendor", text=rng.choice(["Resolved.", "All services restored.",
                                                               "Die Störung ist behoben."]),
        data={"status": "resolved", "services": [svc]})
    add(1000, "message.sent", actor="customer", service=svc, text=text(CUSTOMER_SENTENCES), data={"kind": "complaint"})
    add(1200, "message.sent", actor="vendor", text=text(VENDOR_SENTENCES), data={"kind": "reply"})
    fixed_at = 900 if i % 4 else 1500
    for k in range(6):
        minute = 30 + k * 700
        add(minute, "probe", actor="monitor", service=svc, data={"check": "https", "up": minute > fixed_at})
    add(4400, "incident.closed")
    return sorted(out, key=lambda e: e["at"])


def generate(events: int, seed: int = 1, clean: bool = False, mix: str = "probes"):
    rng = random.Random(seed)
    if mix == "realistic":
        streams = (realistic_case(i, rng) for i in range(max(events // 18, 1)))
    else:
        per_case = 100
        streams = (case_events(i, per_case, rng, clean) for i in range(max(events // per_case, 1)))
    yield from heapq.merge(*streams, key=lambda e: (e["at"], e["id"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("events", type=int)
    parser.add_argument("output")
    parser.add_argument("--clean", action="store_true",
                        help="every vendor behaves (no findings): isolates the memory a run keeps per closed case")
    parser.add_argument("--mix", choices=["probes", "realistic"], default="probes",
                        help="probes: 90 of 100 events are probes; realistic: a third are messages (see above)")
    args = parser.parse_args()
    with open(args.output, "w", encoding="utf-8") as handle:
        for event in generate(args.events, clean=args.clean, mix=args.mix):
            handle.write(json.dumps(event, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
