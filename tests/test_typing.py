"""Static checks CI runs: mypy --strict (with the pydantic plugin) and ruff, both configured in pyproject.toml."""

import subprocess
import sys

from conftest import ROOT


def test_mypy_finds_no_errors():
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_finds_nothing():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "engine"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
