"""pactwatch watch with many cases open at once: time and peak memory, with and without a resident limit.

    python benchmarks/watch.py 50000 --resident 500

Makes a stream in which every case is open at the same time: each case's suspension comes
first (one a second), then a probe of every case, then every case's close, so the watcher
holds CASES open cases at the end of the first third. Runs ``pactwatch watch`` on it with no
limit and with ``--max-resident-cases`` (each in a fresh process, ``--close-at-end``) and prints
seconds, peak RSS of the process (from its rusage) and the number of findings; the two outputs
must be the same bytes. Synthetic and deterministic (no randomness).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "examples" / "hosting-2026" / "contract.yaml"
VENDOR = "webhost-nord"


def stream(cases: int, path: Path) -> None:
    start = datetime(2026, 3, 2, tzinfo=UTC)

    def line(i: int, at: datetime, kind: str, **fields: object) -> str:
        return json.dumps({"id": f"c{i}-{kind}", "at": at.isoformat(), "vendor": VENDOR, "incident": f"INC-{i}",
                           "service": f"www.k{i}.de", **fields})

    with path.open("w", encoding="utf-8") as out:
        for i in range(cases):
            out.write(line(i, start + timedelta(seconds=i), "s", type="service.suspended", actor="vendor",
                           data={"reason": "load"}) + "\n")
        later = start + timedelta(seconds=cases + 3600)
        for i in range(cases):
            out.write(line(i, later + timedelta(seconds=i), "p", type="probe", actor="monitor",
                           data={"check": "https", "up": False}) + "\n")
        closed = later + timedelta(seconds=cases + 3600)
        for i in range(cases):
            out.write(line(i, closed + timedelta(seconds=i), "c", type="incident.closed", actor="vendor", data={}) + "\n")


def run(events: Path, work: Path, name: str, extra: list[str]) -> tuple[float, int, bytes]:
    out = work / f"{name}.jsonl"
    began = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run([sys.executable, "-m", "pactwatch.cli", "watch", str(events), "-c", str(CONTRACT),
                           "--checkpoint", str(work / f"{name}-ck"), "--output", str(out), "--close-at-end", *extra],
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    if proc.returncode != 0:
        sys.exit(f"{name}: exit {proc.returncode}: {proc.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"{name:>14}: {seconds:7.1f} s  peak RSS {max(peak, before) // 1024:6d} MB  {proc.stderr.strip()}", flush=True)
    return seconds, peak, out.read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", type=int)
    parser.add_argument("--resident", type=int, default=500)
    parser.add_argument("--only-limited", action="store_true", help="skip the run without a limit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        events = work / "events.jsonl"
        stream(args.cases, events)
        print(f"{args.cases:,} cases, {3 * args.cases:,} events, all open at once", flush=True)
        # the limited run first: RUSAGE_CHILDREN's peak is the largest child so far
        _, _, limited = run(events, work, f"resident {args.resident}", ["--max-resident-cases", str(args.resident)])
        if not args.only_limited:
            _, _, unlimited = run(events, work, "no limit", [])
            print("outputs identical" if limited == unlimited else "OUTPUTS DIFFER", flush=True)


if __name__ == "__main__":
    main()
