"""Run a folder of policy feature files against the installed engine.

A policy team keeps its features outside any Python project, so ``pactwatch policy
test DIR`` writes a two-line pytest module into a temporary folder and runs pytest on
it with pactwatch's step plugin. pytest's own terminal output is switched off; a small
plugin collects one result per scenario (with the failing step and why, or the
closest known steps for an undefined one).
"""

from __future__ import annotations

import difflib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

from ..errors import PactwatchError, Problem
from .vocabulary import PHRASES

__all__ = ["ScenarioResult", "PolicyRun", "run_policy", "RESULTS_FILE"]

#: Where ``policy test`` leaves its results for ``policy render`` (inside the policy folder).
RESULTS_FILE = ".pactwatch-results.json"


@dataclass
class ScenarioResult:
    file: str
    line: int
    feature: str
    scenario: str
    outcome: str  # passed | failed | skipped
    step: str | None = None
    message: str | None = None


@dataclass
class PolicyRun:
    results: list[ScenarioResult]
    errors: list[str]

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 1 if any(r.outcome == "failed" for r in self.results) else 0


def _shown(path: str) -> str:
    """Paths as the user typed them: relative to the working directory when inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _suggest(text: str) -> str:
    phrases = [p for group in PHRASES.values() for p in group]
    close = difflib.get_close_matches(text, phrases, n=3, cutoff=0.4)
    return ("; closest known steps: " + " | ".join(close)) if close else ""


class _Collector:
    def __init__(self) -> None:
        self.by_node: dict[str, ScenarioResult] = {}
        self.errors: list[str] = []

    def pytest_itemcollected(self, item: Any) -> None:
        # pytest-bdd keeps the scenario of each generated test function in this registry
        # (internal, but the only way to name scenarios that never start, such as @wip).
        from pytest_bdd.scenario import scenario_wrapper_template_registry

        template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))  # type: ignore[arg-type]
        if template is not None:
            self.by_node[item.nodeid] = ScenarioResult(_shown(template.feature.filename), template.line_number,
                                                       template.feature.name, template.name, "passed")

    def pytest_collectreport(self, report: Any) -> None:
        if report.failed:
            self.errors.append(str(report.longrepr).strip().splitlines()[-1])

    def pytest_bdd_step_error(self, request: Any, feature: Any, scenario: Any, step: Any, step_func: Any,
                              step_func_args: Any, exception: Exception) -> None:
        result = self.by_node[request.node.nodeid]
        result.step = f"{step.keyword} {step.name} (line {step.line_number})"
        result.message = str(exception).strip() or type(exception).__name__

    def pytest_bdd_step_func_lookup_error(self, request: Any, feature: Any, scenario: Any, step: Any,
                                          exception: Exception) -> None:
        result = self.by_node[request.node.nodeid]
        result.step = f"{step.keyword} {step.name} (line {step.line_number})"
        result.message = "undefined step" + _suggest(step.name)

    def pytest_runtest_logreport(self, report: Any) -> None:
        result = self.by_node.get(report.nodeid)
        if result is None:
            return
        if report.skipped:
            result.outcome = "skipped"
            result.message = result.message or "@wip"
        elif report.failed:
            result.outcome = "failed"
            if result.message is None:
                result.message = str(report.longrepr).strip().splitlines()[-1]


def run_policy(directory: Path, *, rules: Path | None = None, junit: Path | None = None,
               cucumber: Path | None = None, save: bool = True) -> PolicyRun:
    directory = directory.resolve()
    if not directory.exists():
        raise PactwatchError(Problem("policy-not-found", "no such feature file or folder", file=str(directory)))
    collector = _Collector()
    with tempfile.TemporaryDirectory(prefix="pactwatch-policy-") as tmp:
        root = Path(tmp)
        (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        (root / "conftest.py").write_text('pytest_plugins = ["pactwatch.policy.steps"]\n', encoding="utf-8")
        (root / "test_policy.py").write_text(f"from pytest_bdd import scenarios\n\nscenarios({str(directory)!r})\n",
                                             encoding="utf-8")
        args = [str(root / "test_policy.py"), "-c", str(root / "pytest.ini"), "--rootdir", str(root),
                "-p", "no:cacheprovider", "-p", "no:terminal", "--strict-markers", "-W", "ignore::pytest.PytestWarning"]
        if rules is not None:
            args += ["--pactwatch-rules", str(rules)]
        if junit is not None:
            args += ["--junitxml", str(junit.resolve())]
        if cucumber is not None:
            args += ["--cucumberjson", str(cucumber.resolve())]
        code = pytest.main(args, plugins=[collector])
    errors = list(collector.errors)
    if code not in (0, 1, 5) and not errors:
        errors.append(f"pytest stopped with exit code {int(code)}")
    run = PolicyRun(sorted(collector.by_node.values(), key=lambda r: (r.file, r.line)), errors)
    if save and directory.is_dir():
        (directory / RESULTS_FILE).write_text(json.dumps([asdict(r) for r in run.results], indent=2, ensure_ascii=False)
                                              + "\n", encoding="utf-8")
    return run
