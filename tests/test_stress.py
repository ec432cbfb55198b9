"""The bounded form of benchmarks/stress.py, run by CI: the determinism tests in fresh processes,
again and again, without a crash (the full form runs them 200 times; docs/reliability.md)."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_the_determinism_tests_survive_repeated_fresh_runs():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from stress import one_run
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    outcomes = [one_run(["tests/test_determinism.py"]) for _ in range(3)]
    assert [o for o, _ in outcomes] == ["clean"] * 3, [tail for o, tail in outcomes if o != "clean"]
