"""The policy handbook: feature files as a document non-programmers read and sign off."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..rules import RuleLibrary
from .catalog import FeatureInfo, ScenarioInfo
from .runner import RESULTS_FILE
from .vocabulary import classify

__all__ = ["render_handbook", "load_results"]


@dataclass
class _RuleSection:
    id: str
    title: str
    severity: str
    description: str
    clauses: dict[str, str] = field(default_factory=dict)
    scenarios: list[dict[str, Any]] = field(default_factory=list)


def load_results(directory: Path) -> dict[tuple[str, int], dict[str, Any]]:
    path = directory / RESULTS_FILE if directory.is_dir() else directory.parent / RESULTS_FILE
    if not path.is_file():
        return {}
    return {(Path(r["file"]).resolve().as_posix(), r["line"]): r for r in json.loads(path.read_text(encoding="utf-8"))}


def _clauses(s: ScenarioInfo) -> dict[str, str]:
    found = {}
    for step in s.steps:
        hit = classify(step.text)
        if hit and hit[0] in ("clause", "clause_params"):
            found[hit[1]["cid"]] = hit[1]["title"]
    return found


def _sections(features: list[FeatureInfo], library: RuleLibrary, results: dict[tuple[str, int], dict[str, Any]]) -> list[_RuleSection]:
    sections: dict[str, _RuleSection] = {}
    for feature in features:
        for s in feature.scenarios:
            status = results.get((Path(s.file).resolve().as_posix(), s.line))
            entry = {"feature": feature.name, "description": feature.description, "name": s.name, "file": s.file,
                     "line": s.line, "steps": s.steps, "wip": s.wip,
                     "status": "skipped" if s.wip and not status else (status["outcome"] if status else "not run"),
                     "message": status.get("message") if status else None}
            for rule_id in s.rules or ["(no rule)"]:
                rule = library.get(rule_id)
                section = sections.setdefault(rule_id, _RuleSection(
                    rule_id, rule.title if rule else "not in the rule library",
                    rule.severity if rule else "", rule.description.strip() if rule else ""))
                section.clauses.update({c: "" for c in s.clauses if c not in section.clauses})
                section.clauses.update(_clauses(s))
                section.scenarios.append(entry)
    return [sections[k] for k in sorted(sections)]


def render_handbook(features: list[FeatureInfo], library: RuleLibrary, results: dict[tuple[str, int], dict[str, Any]], fmt: str) -> str:
    env = Environment(loader=PackageLoader("pactwatch.policy", "handbook"),
                      autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    template = env.get_template(f"handbook.{fmt}.j2" if fmt == "md" else "handbook.html.j2")
    sections = _sections(features, library, results)
    # A scenario about two rules is shown under both; it is still one scenario.
    distinct = {(sc["file"], sc["line"]): sc["status"] for s in sections for sc in s.scenarios}
    counts = {k: sum(1 for status in distinct.values() if status == k) for k in ("passed", "failed", "skipped", "not run")}
    return template.render(sections=sections, counts=counts)
