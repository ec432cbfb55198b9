"""The fuzz pass CI runs: 10,000 structure-aware hostile inputs, zero crashes (see tests/fuzz/fuzz.py)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fuzz"))

import fuzz  # noqa: E402


@pytest.mark.slow
def test_ten_thousand_hostile_inputs_end_in_a_result_or_a_reason_never_a_crash():
    run = fuzz.fuzz(10_000, seed=1, workers=2)
    tallies = run.tallies
    print("worker deaths (durable_rules, chunk run again):", run.worker_deaths)  # shown with -rA / on failure
    crashes = [c for t in tallies.values() for c in t.crashes]
    assert not crashes, "\n".join(crashes[:20])
    assert sum(t.inputs for t in tallies.values()) == 10_000
    # every kind of input is exercised, and each both passes and fails somewhere
    assert set(tallies) == set(fuzz.WEIGHTS)
    assert all(t.ok and t.rejected for t in tallies.values()), fuzz.table(tallies)


def test_the_checked_in_corpus_replays_without_a_crash():
    """Inputs that once crashed (tests/fuzz/corpus/) and every seed, as they are."""
    pool = fuzz.seeds()
    tallies = fuzz.fuzz(len(pool), seed=1).tallies
    assert not [c for t in tallies.values() for c in t.crashes]


def test_inputs_are_the_same_for_a_seed_whichever_process_makes_them():
    pool = fuzz.seeds()
    first = [fuzz.make_input(n, 7, pool)[1] for n in range(len(pool), len(pool) + 50)]
    assert first == [fuzz.make_input(n, 7, pool)[1] for n in range(len(pool), len(pool) + 50)]
    assert len(set(first)) > 40
