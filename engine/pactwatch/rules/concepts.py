"""Contract concepts and their parameters, read from ``rules/concepts.yaml``.

Thresholds and defaults are data: each concept's parameter model is built from the
file with pydantic's ``create_model``, so ``Field(description=…)`` feeds both the docs
and ``pactwatch schema contract``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model

from .._validation import problems_from_validation
from .._yaml import load_yaml
from ..durations import parse_duration
from ..errors import PactwatchError, Problem

__all__ = ["Concept", "ConceptRegistry", "Exemption", "load_concepts"]

#: A number in a contract: 24 or 24.5, never `true`, "24", NaN or infinity.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class Tier(BaseModel):
    """A service-credit tier: below this availability, this share of the monthly fee."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    below_percent: Number = Field(gt=0, le=100)
    credit_percent: Number = Field(ge=0, le=100)


def _consistent(tiers: list[Tier]) -> list[Tier]:
    """Lower availability never earns a smaller credit, and each threshold appears once."""
    ordered = sorted(tiers, key=lambda t: -t.below_percent)
    thresholds = [t.below_percent for t in ordered]
    if len(set(thresholds)) != len(thresholds):
        raise ValueError("two tiers have the same below_percent")
    for higher, lower in itertools.pairwise(ordered):
        if lower.credit_percent < higher.credit_percent:
            raise ValueError(f"below {lower.below_percent} % the credit ({lower.credit_percent} %) is smaller than below "
                             f"{higher.below_percent} % ({higher.credit_percent} %): the tiers contradict each other")
    return tiers


_TYPES: dict[str, Any] = {
    "tiers": Annotated[list[Tier], AfterValidator(_consistent)],
    "number": Number,
    "integer": Annotated[int, Field(strict=True)],
    "boolean": Annotated[bool, Field(strict=True)],
    "string": str,
    "list": list,
    "strings": list[str],
    "duration": None,  # built per parameter: see _duration
}


class _ParamSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str
    default: Any = None
    description: str
    minimum: float | None = None
    exclusive_minimum: float | None = None
    maximum: float | None = None
    choices: list[str] | None = None
    #: for type duration: the unit a plain number is in, and whether business time is allowed
    unit: Literal["minutes", "hours", "days"] | None = None
    business: bool = True


class Exemption(BaseModel):
    """A carve-out a contract may enable: findings whose trigger has ``field`` in the list ``param``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    param: str
    field: str


class _ConceptSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    description: str
    params: dict[str, _ParamSpec] = Field(default_factory=dict)
    exemptions: list[Exemption] = Field(default_factory=list)


@dataclass(frozen=True)
class Concept:
    name: str
    title: str
    description: str
    params_model: type[BaseModel]
    exemptions: tuple[Exemption, ...] = ()

    def defaults(self) -> dict[str, Any]:
        return self.params_model().model_dump(mode="json")


class ConceptRegistry:
    """The closed vocabulary contracts and rules share."""

    def __init__(self, concepts: dict[str, Concept]):
        self._concepts = dict(sorted(concepts.items()))

    def __contains__(self, name: object) -> bool:
        return name in self._concepts

    def __getitem__(self, name: str) -> Concept:
        return self._concepts[name]

    def names(self) -> list[str]:
        return list(self._concepts)

    def __iter__(self) -> Iterator[Concept]:
        return iter(self._concepts.values())


def _one_of(choices: list[str]) -> Any:
    def check(value: Any) -> Any:
        bad = [v for v in (value if isinstance(value, list) else [value]) if v not in choices]
        if bad:
            raise ValueError(f"{', '.join(map(repr, bad))} not among {', '.join(choices)}")
        return value
    return AfterValidator(check)


def _duration(unit: str, business: bool) -> Any:
    return Annotated[float | dict[str, Any], BeforeValidator(lambda v: parse_duration(v, unit, business))]


def _build(name: str, spec: _ConceptSpec) -> Concept:
    fields: dict[str, Any] = {}
    for pname, p in spec.params.items():
        if p.type not in _TYPES:
            raise ValueError(f"param {pname}: unknown type {p.type!r}")
        if p.type == "duration":
            if p.unit is None:
                raise ValueError(f"param {pname}: a duration needs a unit (minutes, hours, days)")
            fields[pname] = (_duration(p.unit, p.business), Field(p.default, description=p.description,
                                                                  validate_default=True))
            continue
        kind = Annotated[_TYPES[p.type], _one_of(p.choices)] if p.choices else _TYPES[p.type]
        fields[pname] = (kind, Field(p.default, description=p.description, validate_default=True,
                                     ge=p.minimum, gt=p.exclusive_minimum, le=p.maximum))
    model = create_model(
        f"{name}_params", __config__=ConfigDict(extra="forbid", frozen=True), **fields
    )
    for ex in spec.exemptions:
        if spec.params.get(ex.param) is None or spec.params[ex.param].type != "strings":
            raise ValueError(f"exemption: {ex.param!r} is not a strings parameter of {name}")
    return Concept(name, spec.title, spec.description, model, tuple(spec.exemptions))


def load_concepts(path: Path) -> ConceptRegistry:
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise PactwatchError(Problem("concepts-invalid", "expected a mapping of concept names", file=doc.file, line=1))
    concepts: dict[str, Concept] = {}
    problems: list[Problem] = []
    for name, raw in doc.data.items():
        try:
            concepts[name] = _build(name, _ConceptSpec.model_validate(raw))
        except ValidationError as exc:
            problems += problems_from_validation(exc, code="concepts-invalid", file=doc.file, prefix=(name,), line_of=doc.line_of)
        except ValueError as exc:
            problems.append(Problem("concepts-invalid", str(exc), file=doc.file, line=doc.line_of((name,)), field=name))
    if problems:
        raise PactwatchError(problems)
    return ConceptRegistry(concepts)
