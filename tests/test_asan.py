"""benchmarks/asan.sh in CI, bounded: durable_rules built with AddressSanitizer, its controls, and
the tests of the compiled join order run once under it.

The crash that kept CI red on 6 December 2026 was an overrun inside durable_rules (jruizgit/rules#381)
that a plain build shows only when the read happens to reach unmapped memory; under ASan the same
read is reported every time. The controls prove the harness sees it (``join-last``, the order the
compiler used to emit) and that the order it emits now is clean (``join-closed``).
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from conftest import ROOT


def _libasan() -> bool:
    gcc = shutil.which("gcc")
    if gcc is None:
        return False
    path = subprocess.run([gcc, "-print-file-name=libasan.so"], capture_output=True, text=True).stdout.strip()
    return os.path.isabs(path) and os.path.exists(path)


@pytest.mark.slow
def test_durable_rules_under_addresssanitizer_reports_the_old_join_order_and_nothing_of_the_new(tmp_path):
    if not _libasan():  # asked here, not at collection: every run of the suite would call gcc
        pytest.skip("gcc with libasan is needed to build durable_rules with AddressSanitizer")
    env = {**os.environ, "ASAN_TESTS": "tests/test_join_order.py tests/test_availability.py tests/test_lemmas.py"}
    run = subprocess.run(["bash", str(ROOT / "benchmarks" / "asan.sh"), "1", str(tmp_path)], capture_output=True,
                         text=True, cwd=ROOT, env=env, timeout=1800)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:]
    assert "control join-last: ASan reported heap-buffer-overflow" in output, output[-4000:]
    assert "control join-closed: nothing reported" in output, output[-4000:]
    assert "1 runs, 0 AddressSanitizer report(s)" in output, output[-4000:]
