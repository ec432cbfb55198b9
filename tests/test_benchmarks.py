"""The benchmark's parts still run and agree (timing is measured in benchmarks/, never here)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

from pactwatch import Evaluator, load_rules
from pactwatch.ingest import IngestSummary, stream_events

from conftest import ROOT, contract

BENCH = ROOT / "benchmarks"
HEADLINE = {"suspension-without-notice", "untested-hardware-change", "false-resolution-claim", "no-apology"}


def test_both_raw_baselines_and_pactwatch_agree_on_a_small_stream(tmp_path):
    stream = tmp_path / "events.jsonl"
    subprocess.run([sys.executable, str(BENCH / "generate.py"), "3000", str(stream)], check=True)
    sys.path.insert(0, str(BENCH))
    try:
        from raw_durable import run
    finally:
        sys.path.remove(str(BENCH))
    # the documented API and the direct C calls fire the same rules the same number of times
    assert run(str(stream)) == run(str(stream), direct=True) > 0

    lib = load_rules()
    lib = dataclasses.replace(lib, rules=tuple(r for r in lib.rules if r.id in HEADLINE))
    summary = IngestSummary(strict=True)
    report = Evaluator(lib, contract()).run(stream_events([stream], summary), summary)
    assert report.input.events_accepted == 3000
    assert {v.rule for v in report.violations} == HEADLINE


def test_tree_memory_sums_a_process_and_the_children_it_forks():
    """The sampler behind the "sum of processes" figures: a parent holding 80 MB forks a child that
    adds 120 MB of its own; the peak sum is both, and PSS counts the pages they share once."""
    script = ("import os, time\n"
              "held = b'\\x01' * (80 * 2**20)\n"
              "pid = os.fork()\n"
              "if pid == 0:\n"
              "    own = b'\\x02' * (120 * 2**20)\n"
              "    time.sleep(1.5)\n"
              "    os._exit(0)\n"
              "os.waitpid(pid, 0)\n")
    proc = subprocess.run([sys.executable, str(BENCH / "tree_memory.py"), "--every", "0.05", "--", sys.executable, "-c",
                           script], capture_output=True, text=True, check=True)
    got = json.loads(proc.stdout.splitlines()[-1])
    assert got["exit"] == 0 and got["most_processes"] == 2
    assert got["peak_main_rss_mb"] >= 80 and got["peak_sum_rss_mb"] >= 80 + 80 + 120
    assert 200 <= got["peak_sum_pss_mb"] < got["peak_sum_rss_mb"]  # the 80 MB the child inherited, counted once
