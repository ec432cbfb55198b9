"""The benchmark's parts still run and agree (timing is measured in benchmarks/, never here)."""

from __future__ import annotations

import dataclasses
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
