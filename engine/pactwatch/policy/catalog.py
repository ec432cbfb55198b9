"""Read a folder of feature files without running them: what each scenario checks.

Used by ``policy coverage`` (which rules lack a firing or a non-firing scenario) and
``policy render`` (the handbook). Feature files are parsed with pytest-bdd's own parser,
so the catalog sees exactly what the runner runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pytest_bdd.parser import FeatureParser

from ..errors import PactwatchError, Problem
from .vocabulary import classify

__all__ = ["StepText", "ScenarioInfo", "FeatureInfo", "read_features", "coverage"]


@dataclass(frozen=True)
class StepText:
    keyword: str
    text: str
    table: list[list[str]] | None = None


@dataclass
class ScenarioInfo:
    feature: str
    file: str
    name: str
    line: int
    tags: list[str]
    steps: list[StepText]
    fires: set[str] = field(default_factory=set)
    quiet: set[str] = field(default_factory=set)

    @property
    def rules(self) -> list[str]:
        return sorted({t.split(":", 1)[1] for t in self.tags if t.startswith("rule:")} | self.fires | self.quiet)

    @property
    def clauses(self) -> list[str]:
        return sorted(t.split(":", 1)[1] for t in self.tags if t.startswith("clause:"))

    @property
    def wip(self) -> bool:
        return "wip" in self.tags


@dataclass
class FeatureInfo:
    name: str
    file: str
    description: str
    tags: list[str]
    scenarios: list[ScenarioInfo]


def _feature_files(directory: Path) -> list[Path]:
    if directory.is_file():
        return [directory]
    if not directory.is_dir():
        raise PactwatchError(Problem("policy-not-found", "no such feature file or folder", file=str(directory)))
    return sorted(directory.rglob("*.feature"))


def _classify(info: ScenarioInfo) -> None:
    tagged = {t.split(":", 1)[1] for t in info.tags if t.startswith("rule:")}
    for step in info.steps:
        hit = classify(step.text)
        if hit is None:
            continue
        key, slots = hit
        if key in ("violation", "violation_for"):
            info.fires.add(slots["rule"])
        elif key == "no_violation_of":
            info.quiet.add(slots["rule"])
        elif key == "clean":
            info.quiet |= tagged
        elif key == "exactly":
            listed = {r.strip().strip('"') for r in slots["rules"].split(",") if r.strip()}
            info.fires |= listed
            info.quiet |= tagged - listed


def read_features(directory: Path) -> list[FeatureInfo]:
    features = []
    for path in _feature_files(directory):
        try:
            parsed = FeatureParser(str(path.parent), path.name).parse()
        except Exception as exc:  # noqa: BLE001 - pytest-bdd raises several parser error types
            raise PactwatchError(Problem("policy-parse-error", str(exc).splitlines()[0], file=str(path))) from None
        feature_tags = sorted(parsed.tags)
        scenarios = []
        for template in parsed.scenarios.values():
            steps = [StepText(s.keyword.strip(), s.name,
                              [[str(c) for c in row] for row in s.datatable.raw()] if s.datatable else None)
                     for s in template.steps]
            info = ScenarioInfo(parsed.name, str(path), template.name, template.line_number,
                                sorted(set(feature_tags) | set(template.tags)), steps)
            _classify(info)
            scenarios.append(info)
        features.append(FeatureInfo(parsed.name, str(path), (parsed.description or "").strip(), feature_tags, scenarios))
    return features


def coverage(features: list[FeatureInfo], rule_ids: list[str]) -> dict[str, dict[str, list[str]]]:
    """Per rule id, the scenarios (``file:line name``) that show it firing and not firing."""
    table: dict[str, dict[str, list[str]]] = {r: {"fires": [], "quiet": []} for r in rule_ids}
    for feature in features:
        for s in feature.scenarios:
            if s.wip:
                continue
            where = f"{s.file}:{s.line} {s.name}"
            for rule in s.fires:
                table.setdefault(rule, {"fires": [], "quiet": []})["fires"].append(where)
            for rule in s.quiet:
                table.setdefault(rule, {"fires": [], "quiet": []})["quiet"].append(where)
    return table
