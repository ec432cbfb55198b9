"""Throughput and peak memory of pactwatch vs. raw durable_rules, measured in one run.

    python benchmarks/run.py 10000 100000 1000000 [--repeat 3] [--profile realistic|probes|both]

Two profiles (``generate.py --mix``): ``realistic``, where a third of the events are
messages the reader must judge and about 5,800 cases are open at once, and ``probes``,
where 90 of 100 events are passing probes the engine drops early. The realistic profile
runs pactwatch in one process (``workers=0``), with one worker and with one worker per
core, against the raw baseline; peak RSS is the parent's and the largest worker's.

For each size: generate the stream, then run pactwatch end to end (parse, validate,
enrich, evaluate, report; compiling the rules and loading the language model happen once
before the clock starts and are printed as "setup") and the raw baseline, each in a fresh subprocess so peak RSS
is its own. Prints events/s, peak RSS and the time ratio pactwatch/raw for the four headline
rules, and the throughput of the whole rule library for reference. ``--repeat N`` runs
each measurement N times and keeps the fastest.

The raw baseline runs twice: through durable_rules' documented Python API (the ratio the
targets are judged against) and driving its C module directly as pactwatch does ("raw C",
the floor: it shows what part of the lead is the calling convention).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

PACTWATCH = """
import dataclasses, json, resource, sys, time
from pactwatch import Evaluator, load_rules
from pactwatch.ingest import IngestSummary, stream_events
from pactwatch.models.contract import Contract
HEADLINE = {"suspension-without-notice", "untested-hardware-change", "false-resolution-claim", "no-apology"}
lib = load_rules()
if sys.argv[2] == "headline":
    lib = dataclasses.replace(lib, rules=tuple(r for r in lib.rules if r.id in HEADLINE))
contract = Contract(id="B", vendor="bench", customer="c", currency="EUR", monthly_fee=10, timezone="UTC")
t0 = time.perf_counter()
evaluator = Evaluator(lib, contract)  # compile once (rules onto durable_rules, lexicons, language model) ...
t = time.perf_counter()
summary = IngestSummary()  # ... evaluate many: this part is timed, from reading the file to the report
workers = int(sys.argv[3]) if len(sys.argv) > 3 else 0
report = evaluator.run(stream_events([sys.argv[1]], summary), summary, workers=workers)
elapsed = time.perf_counter() - t
print(json.dumps({"seconds": elapsed, "setup": t - t0, "violations": len(report.violations),
                  "events": report.input.events_accepted,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

RAW = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from raw_durable import run
t = time.perf_counter()
n = run(sys.argv[1], direct=sys.argv[3] == "direct")
print(json.dumps({"seconds": time.perf_counter() - t, "violations": n,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


REPEAT = 1


def measure(code: str, *args: str) -> dict:
    """Run in a fresh process REPEAT times; keep the fastest (the machine is shared and noisy)."""
    runs = []
    for _ in range(REPEAT):
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return min(runs, key=lambda r: r["seconds"])


def realistic(sizes: list[int]) -> None:
    cores = len(os.sched_getaffinity(0))
    print(f"realistic mix, four headline rules: pactwatch in one process (0), 1 worker and {cores} workers "
          "(the default) vs. raw durable_rules; RSS: parent / largest worker; then all rules with the default")
    print(f"{'events':>9} {'0: ev/s':>9} {'RSS':>6} {'1: ev/s':>9} {'RSS':>11} {f'{cores}: ev/s':>9} {'RSS':>11} "
          f"{'raw ev/s':>9} {'RSS':>6} {'ratio':>6} {'findings':>9} {'all ev/s':>9} {'RSS':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"realistic-{size}.jsonl"
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(size), str(path), "--mix", "realistic"],
                           check=True)
            n = sum(1 for _ in path.open(encoding="utf-8"))
            one_process = measure(PACTWATCH, str(path), "headline", "0")
            single = measure(PACTWATCH, str(path), "headline", "1")
            default = measure(PACTWATCH, str(path), "headline", str(cores))
            assert one_process["violations"] == single["violations"] == default["violations"]
            raw = measure(RAW, str(path), str(HERE), "api")
            full = measure(PACTWATCH, str(path), "all", str(cores))

            def both(r: dict) -> str:
                return f"{r['rss_mb']:.0f}/{r['worker_rss_mb']:.0f}"

            print(f"{n:>9} {n / one_process['seconds']:>9,.0f} {one_process['rss_mb']:>6.0f} "
                  f"{n / single['seconds']:>9,.0f} {both(single):>11} {n / default['seconds']:>9,.0f} {both(default):>11} "
                  f"{n / raw['seconds']:>9,.0f} {raw['rss_mb']:>6.0f} {default['seconds'] / raw['seconds']:>6.2f} "
                  f"{default['violations']:>9} {n / full['seconds']:>9,.0f} {both(full):>11}", flush=True)


def main(sizes: list[int]) -> None:
    print("four headline rules: pactwatch end to end vs. raw durable_rules; then all rules of the library;"
          " last column: pactwatch (headline rules) on a stream where every vendor behaves (no findings to keep)")
    print(f"{'events':>9} {'pactwatch ev/s':>15} {'raw ev/s':>10} {'ratio':>6} {'raw C ev/s':>11} {'ratio C':>8} "
          f"{'pw RSS MB':>10} {'raw RSS MB':>11} "
          f"{'violations':>10} {'setup s':>8} {'all-rules ev/s':>15} {'all RSS MB':>11} {'clean RSS MB':>13}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path, clean = Path(tmp) / f"events-{size}.jsonl", Path(tmp) / f"clean-{size}.jsonl"
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(size), str(path)], check=True)
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(size), str(clean), "--clean"], check=True)
            n = sum(1 for _ in path.open(encoding="utf-8"))
            pw = measure(PACTWATCH, str(path), "headline")
            raw = measure(RAW, str(path), str(HERE), "api")
            raw_c = measure(RAW, str(path), str(HERE), "direct")
            assert raw["violations"] == raw_c["violations"], "the two baselines disagree"
            full = measure(PACTWATCH, str(path), "all")
            quiet = measure(PACTWATCH, str(clean), "headline")
            print(f"{n:>9} {n / pw['seconds']:>15,.0f} {n / raw['seconds']:>10,.0f} {pw['seconds'] / raw['seconds']:>6.2f} "
                  f"{n / raw_c['seconds']:>11,.0f} {pw['seconds'] / raw_c['seconds']:>8.2f} "
                  f"{pw['rss_mb']:>10.0f} {raw['rss_mb']:>11.0f} {pw['violations']:>10} {pw['setup']:>8.2f} {n / full['seconds']:>15,.0f} "
                  f"{full['rss_mb']:>11.0f} {quiet['rss_mb']:>13.0f}", flush=True)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000], help="events per stream")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="runs per measurement; the fastest is kept")
    parser.add_argument("--profile", choices=("realistic", "probes", "both"), default="both")
    options = parser.parse_args()
    REPEAT = options.repeat
    if options.profile in ("realistic", "both"):
        realistic(options.sizes)
    if options.profile in ("probes", "both"):
        main(options.sizes)
