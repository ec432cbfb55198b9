"""Load the rule library (rule files, concepts, lexicons), check it, hash it.

Every problem in every file is collected before failing, each with file, line and
field, so a rule author fixes them in one pass.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .._data import data_dir
from .._template import placeholders
from .._validation import problems_from_validation
from .._yaml import LocatedYaml, load_yaml
from ..enrich.messages import Lexicon, MessageAnalyzer, load_lexicons
from ..enrich.sentence_model import MODEL_FILE, SentenceModel
from ..errors import MAX_PROBLEMS, PactwatchError, Problem
from ..facts import CROSS_CASE_FIELDS, FACT_FIELDS, TIME_FIELDS
from ..models.events import EVENT_TYPES
from .compiler import OWN_BOUND_KEYS
from .concepts import ConceptRegistry, load_concepts
from .schema import OPERATORS, PARAM_REF, TRIGGER_REF, DaysAfter, DaysBefore, FieldBound, HoursAfter, HoursBefore, Pattern, RuleSpec

__all__ = ["RuleLibrary", "load_rules", "TEMPLATE_FIELDS"]

#: Placeholders every summary/remedy template may use, besides the concept's params,
#: ``trigger.<field>`` and ``<role>.<field>`` of its conditions.
TEMPLATE_FIELDS = frozenset({"vendor", "incident", "service", "services", "detected", "deadline", "customer", "contract",
                             "each"})
#: What a rule's letter sentence may use besides the summary's placeholders: {first} (when the
#: breach began, the trigger's time) and {figures} (per service: availability and downtime).
LETTER_FIELDS = frozenset({"first", "figures"})
#: Placeholders a ``compute: service_credit`` remedy adds.
CREDIT_FIELDS = frozenset({"credit_percent", "credit_amount", "currency", "claim_deadline", "monthly_fee",
                           "credit_money", "monthly_fee_money"})


@dataclass(frozen=True)
class RuleLibrary:
    rules: tuple[RuleSpec, ...]
    concepts: ConceptRegistry
    lexicons: tuple[Lexicon, ...]
    hash: str
    directory: Path
    sentence_model: SentenceModel | None = None

    def get(self, rule_id: str) -> RuleSpec | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def analyzer(self) -> MessageAnalyzer:
        """A message analyser with this library's lexicons and sentence model."""
        return MessageAnalyzer(list(self.lexicons), self.sentence_model)


def _check_match(match: dict[str, Any], where: tuple[str | int, ...], doc: LocatedYaml, allow_refs: bool,
                 params: dict[str, Any] | None = None,
                 allow_each: bool = False) -> list[Problem]:
    problems = []
    for field, cond in match.items():
        path = (*where, field)
        if field not in FACT_FIELDS:
            problems.append(Problem("rule-unknown-field", f"no such event field; known: {', '.join(sorted(FACT_FIELDS))}",
                                    file=doc.file, line=doc.line_of(path), field=".".join(map(str, path))))
            continue
        values = [v for op, v in cond.items() if op != "exists"] if isinstance(cond, dict) else [cond]
        if isinstance(cond, dict):
            bad = [op for op in cond if op not in OPERATORS]
            if bad:
                problems.append(Problem("rule-unknown-operator", f"unknown operator {bad[0]!r}; use one of {', '.join(OPERATORS)}",
                                        file=doc.file, line=doc.line_of(path), field=".".join(map(str, path))))
        own = {op: v for op, v in cond.items() if isinstance(v, dict)} if isinstance(cond, dict) else {}
        for op, bound in own.items():
            # a time compared with the fact's own time shifted: {lte: {hours_before: notice_hours}}
            problems += _check_own_bound(field, op, bound, params, path, doc)
        values = [v for v in values if not isinstance(v, dict)]
        flat = [x for v in values for x in (v if isinstance(v, list) else [v])]
        for v in flat:
            if v == "$each" and allow_each:
                continue
            param = PARAM_REF.match(v) if isinstance(v, str) else None
            if param:
                if params is None or param.group(1) not in params:
                    problems.append(Problem("rule-unknown-param", f"{v!r}: the rule's concepts have no such parameter",
                                            file=doc.file, line=doc.line_of(path), field=".".join(map(str, path))))
                continue
            ref = TRIGGER_REF.match(v) if isinstance(v, str) else None
            if isinstance(v, str) and v.startswith("$") and (not ref or not allow_refs or ref.group(1) not in FACT_FIELDS):
                problems.append(Problem("rule-bad-reference", f"{v!r}: only $trigger.<field> may be referenced, and not in a trigger",
                                        file=doc.file, line=doc.line_of(path), field=".".join(map(str, path))))
            elif field in TIME_FIELDS and not ref:
                problems.append(Problem("rule-bad-time", "time fields can only be compared with $trigger.<field>; use a window",
                                        file=doc.file, line=doc.line_of(path), field=".".join(map(str, path))))
    grouped = [field for field, cond in match.items() for _ in range(_groups_with_refs(cond))]
    if len(grouped) > 1:
        path = (*where, grouped[1])
        problems.append(Problem("rule-unsupported-join", f"{len(grouped)} lists with $trigger references in one pattern "
                                f"({', '.join(dict.fromkeys(grouped))}): durable_rules 2.0.28 evaluates only the first; "
                                "split the pattern into alternatives", file=doc.file, line=doc.line_of(path),
                                field=".".join(map(str, path))))
    return problems


def _groups_with_refs(cond: Any) -> int:
    """How many ``$or`` groups holding a ``$trigger`` reference a field condition compiles to (compiler._field)."""
    def refs(values: Any) -> bool:
        return isinstance(values, list) and any(isinstance(v, str) and TRIGGER_REF.match(v) for v in values)

    if isinstance(cond, list):
        return int(len(cond) > 1 and refs(cond))
    if not isinstance(cond, dict):
        return 0
    return int(refs(cond.get("in")) and len(cond["in"]) > 1) + int(refs(cond.get("not_in")))


def _check_own_bound(field: str, op: str, bound: dict[str, Any], params: dict[str, Any] | None,
                     path: tuple[str | int, ...], doc: LocatedYaml) -> list[Problem]:
    """``{lte: {hours_before: [notice_hours, cure_hours]}}`` on a time field: one duration key, numbers
    or the rule's duration parameters."""
    file, line, at = doc.file, doc.line_of(path), ".".join(map(str, path))
    if field not in TIME_FIELDS or op not in ("lt", "lte", "gt", "gte") or len(bound) != 1 \
            or next(iter(bound)) not in OWN_BOUND_KEYS:
        return [Problem("rule-bad-time", "only a time field compared (lt, lte, gt, gte) with one of "
                        f"{', '.join(OWN_BOUND_KEYS)} is relative to the fact's own time", file=file, line=line, field=at)]
    items = next(iter(bound.values()))
    problems = []
    for h in items if isinstance(items, list) else [items]:
        if isinstance(h, str) and (params is None or h not in params):
            problems.append(Problem("rule-unknown-param", f"{h!r}: the rule's concepts have no such parameter", file=file, line=line, field=at))
        elif not isinstance(h, str | int | float) or isinstance(h, bool):
            problems.append(Problem("rule-bad-time", f"{h!r}: a duration is a number or a parameter name", file=file, line=line, field=at))
    return problems


def _check_hours(bound: object, params: dict[str, Any], path: tuple[str | int, ...], doc: LocatedYaml) -> list[Problem]:
    if not isinstance(bound, (HoursBefore, HoursAfter, DaysBefore, DaysAfter)):
        return []
    hours = next(v for v in bound.model_dump().values())
    problems = []
    for h in hours if isinstance(hours, list) else [hours]:
        if isinstance(h, str) and not isinstance(params.get(h), (int, float)):
            problems.append(Problem("rule-unknown-param", f"{h!r} is not a numeric parameter of the rule's concept",
                                    file=doc.file, line=doc.line_of(path), field=".".join(map(str, path))))
    return problems


def _check_cross_case(rule: RuleSpec, doc: LocatedYaml) -> list[Problem]:
    """A rule on what only the second stage knows sees one outage-opening fact at a time.

    ``days_since_previous_outage`` compares cases, so it is set once every case has been
    evaluated, and a rule reading it is evaluated then on those facts alone: it can have a
    trigger, no present, absent or context patterns, and its ``applies`` cannot read it.
    """
    problems: list[Problem] = []
    for i, match in enumerate(rule.applies or []):
        for f in sorted(set(match) & CROSS_CASE_FIELDS):
            problems.append(Problem("rule-invalid", f"applies cannot read {f!r}: it is known only once every case is "
                                    "evaluated", file=doc.file, line=doc.line_of(("applies", i)), field=f"applies[{i}]"))
    for i, alt in enumerate(rule.when):
        patterns = [p.match for p in (*alt.absent, *alt.present)]
        read = sorted(set().union(alt.trigger, *patterns) & CROSS_CASE_FIELDS)
        if read and (patterns or rule.context):
            problems.append(Problem("rule-invalid", f"{read[0]!r} is known only once every case is evaluated; a rule "
                                    "that reads it is judged on the outage-opening event alone: a trigger, no present, "
                                    "absent or context patterns", file=doc.file, line=doc.line_of(("when", i)),
                                    field=f"when[{i}]"))
    return problems


def _check_rule(rule: RuleSpec, doc: LocatedYaml, concepts: ConceptRegistry) -> list[Problem]:
    unknown = [c for c in (rule.concept, *rule.also) if c not in concepts]
    if unknown:
        return [Problem("rule-unknown-concept", f"unknown concept {unknown[0]!r}; known: {', '.join(concepts.names())}",
                        file=doc.file, line=doc.line_of(("concept",)), field="concept")]
    params: dict[str, Any] = {}
    for concept in (*rule.also, rule.concept):
        params.update(concepts[concept].defaults())
    problems: list[Problem] = []
    for i, match in enumerate(rule.applies or []):
        problems += _check_match(match, ("applies", i), doc, allow_refs=False, params=params)
    for i, need in enumerate(rule.needs):
        if need.type not in EVENT_TYPES:
            problems.append(Problem("rule-unknown-type", f"{need.type!r} is not an event type; known: {', '.join(EVENT_TYPES)}",
                                    file=doc.file, line=doc.line_of(("needs", i, "type")), field=f"needs[{i}].type"))
        if need.after not in TIME_FIELDS:
            problems.append(Problem("rule-bad-time", f"{need.after!r} holds no time; use one of {', '.join(sorted(TIME_FIELDS))}",
                                    file=doc.file, line=doc.line_of(("needs", i, "after")), field=f"needs[{i}].after"))
    roles: set[str] = set()
    texts_extra: list[tuple[tuple[str | int, ...], str]] = []
    for i, alt in enumerate(rule.when):
        each = alt.for_each is not None
        if alt.for_each is not None and not isinstance(params.get(alt.for_each), list):
            problems.append(Problem("rule-unknown-param", f"for_each {alt.for_each!r} is not a list parameter of the rule's concepts",
                                    file=doc.file, line=doc.line_of(("when", i, "for_each")), field="for_each"))
        problems += _check_match(alt.trigger, ("when", i, "trigger"), doc, allow_refs=False, params=params, allow_each=each)
        for name in alt.requires:
            if name not in params:
                problems.append(Problem("rule-unknown-param", f"requires {name!r}, which the rule's concepts do not have",
                                        file=doc.file, line=doc.line_of(("when", i, "requires")), field="requires"))
        for kind in ("absent", "present"):
            for j, pat in enumerate(getattr(alt, kind)):
                assert isinstance(pat, Pattern)
                roles.add(pat.role)
                base = ("when", i, kind, j)
                problems += _check_match(pat.match, (*base, "match"), doc, allow_refs=True, params=params, allow_each=each)
                for f in pat.same:
                    if f not in FACT_FIELDS:
                        problems.append(Problem("rule-unknown-field", f"{f!r} is not an event field", file=doc.file,
                                                line=doc.line_of((*base, "same")), field="same"))
                problems += _check_hours(pat.window.from_, params, (*base, "window", "from"), doc)
                problems += _check_hours(pat.window.to, params, (*base, "window", "to"), doc)
                for end in ("from_", "to"):
                    bound = getattr(pat.window, end)
                    if isinstance(bound, FieldBound) and bound.field not in FACT_FIELDS:
                        problems.append(Problem("rule-unknown-field", f"{bound.field!r} is not an event field",
                                                file=doc.file, line=doc.line_of((*base, "window")), field="window"))
                if kind == "absent" and isinstance(pat.window.to, FieldBound) and pat.window.to.field not in TIME_FIELDS:
                    problems.append(Problem("rule-invalid", "an absent window can end at a trigger field only if it holds a "
                                            f"time ({', '.join(sorted(TIME_FIELDS))})",
                                            file=doc.file, line=doc.line_of((*base, "window")), field="window.to"))
    problems += _check_cross_case(rule, doc)
    if isinstance(rule.once_per, list):
        for f in rule.once_per:
            if f not in FACT_FIELDS:
                problems.append(Problem("rule-unknown-field", f"once_per: {f!r} is not an event field", file=doc.file,
                                        line=doc.line_of(("once_per",)), field="once_per"))
    for j, pat in enumerate(rule.context):
        roles.add(pat.role)
        if pat.note:
            texts_extra.append((("context", j, "note"), pat.note))
        problems += _check_match(pat.match, ("context", j, "match"), doc, allow_refs=False, params=params)
    known = set(TEMPLATE_FIELDS) | set(params) | (CREDIT_FIELDS if any(r.compute for r in rule.remedies) else set()) | {f"trigger.{f}" for f in FACT_FIELDS} | {"trigger.text", "trigger.at_local"}
    known |= {f"{r}.{f}" for r in roles for f in (*FACT_FIELDS, "text", "at_local")}
    texts: list[tuple[tuple[str | int, ...], str]] = [(("summary",), rule.summary), *texts_extra]
    texts += [(("when", i, "summary"), alt.summary) for i, alt in enumerate(rule.when) if alt.summary]
    texts += [(("remedies", k, "text"), r.text) for k, r in enumerate(rule.remedies)]
    for lang, tr in rule.translations.items():
        where = ("translations", lang)
        if len(tr.remedies) > len(rule.remedies) or len(tr.when) > len(rule.when) or len(tr.context) > len(rule.context):
            problems.append(Problem("rule-invalid", "a translation lists more texts than the rule has", file=doc.file,
                                    line=doc.line_of(where), field=f"translations.{lang}"))
        texts += [((*where, "summary"), tr.summary)] if tr.summary else []
        texts += [((*where, "when", k), t) for k, t in enumerate(tr.when) if t]
        if isinstance(tr.remedies, dict):
            kinds = [r.kind for r in rule.remedies]
            for kind in sorted(set(tr.remedies) - set(kinds)):
                problems.append(Problem("rule-invalid", f"the rule has no remedy of kind {kind!r} to translate",
                                        file=doc.file, line=doc.line_of((*where, "remedies", kind)),
                                        field=f"translations.{lang}.remedies.{kind}"))
            if len(set(kinds)) < len(kinds):
                problems.append(Problem("rule-invalid", "remedies translated by kind need one remedy per kind",
                                        file=doc.file, line=doc.line_of((*where, "remedies")),
                                        field=f"translations.{lang}.remedies"))
            texts += [((*where, "remedies", k), t) for k, t in tr.remedies.items() if t]
        else:
            texts += [((*where, "remedies", k), t) for k, t in enumerate(tr.remedies) if t]
        texts += [((*where, "context", k), t) for k, t in enumerate(tr.context) if t]
    letters: list[tuple[tuple[str | int, ...], str]] = [(("letter", lang), text) for lang, text in rule.letter.items()]
    letters += [(("when", i, "letter", lang), text) for i, alt in enumerate(rule.when) for lang, text in alt.letter.items()]
    for path, text in letters:
        for name in sorted(placeholders(text) - known - LETTER_FIELDS):
            problems.append(Problem("rule-unknown-placeholder", f"{{{name}}} cannot be filled in a letter", file=doc.file,
                                    line=doc.line_of(path), field=".".join(map(str, path))))
    for path, template in texts:
        for name in sorted(placeholders(template) - known):
            problems.append(Problem("rule-unknown-placeholder", f"{{{name}}} cannot be filled", file=doc.file,
                                    line=doc.line_of(path), field=".".join(map(str, path))))
    return problems


def _library_hash(directory: Path, extra: list[Path]) -> str:
    """Over the library's files and the user's lexicons: any change to what decides findings."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.suffix == ".yaml" or p.name == MODEL_FILE.name):
        digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    for path in extra:
        digest.update(b"extra-lexicon\0" + Path(path).read_bytes() + b"\0")
    return "sha256:" + digest.hexdigest()[:32]


def load_rules(directory: str | Path | None = None, extra_lexicons: list[Path] | None = None, *,
               with_model: bool = True) -> RuleLibrary:
    """Load and check a rule library (default: the bundled one), plus the user's own lexicon files.

    ``with_model=False`` skips the sentence model: training a new one must not depend on
    the old one being readable.
    """
    root = Path(directory) if directory is not None else data_dir()
    if not root.is_dir():
        raise PactwatchError(Problem("rules-not-found", "rule directory does not exist", file=str(root)))
    concepts_file = root / "concepts.yaml"
    if not concepts_file.is_file():
        raise PactwatchError(Problem("rules-not-found", "no concepts.yaml in the rule directory", file=str(root)))
    concepts = load_concepts(concepts_file)
    lexicons = load_lexicons(root / "lexicons", extra_lexicons) if (root / "lexicons").is_dir() else []
    rules: list[RuleSpec] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in sorted(root.glob("*.yaml")):
        if path.name == "concepts.yaml":
            continue
        try:
            doc = load_yaml(path)
        except PactwatchError as exc:
            problems += exc.problems
            continue
        try:
            rule = RuleSpec.model_validate(doc.data)
        except ValidationError as exc:
            problems += problems_from_validation(exc, code="rule-invalid", file=doc.file, line_of=doc.line_of)
            continue
        if rule.id in seen:
            problems.append(Problem("rule-duplicate-id", f"id {rule.id!r} already used by {seen[rule.id]}", file=doc.file,
                                    line=doc.line_of(("id",)), field="id"))
        seen[rule.id] = doc.file
        problems += _check_rule(rule, doc, concepts)
        rules.append(rule)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise PactwatchError(problems)
    digest = _library_hash(root, extra_lexicons or [])
    model = SentenceModel.load(root / MODEL_FILE) if with_model and (root / MODEL_FILE).is_file() else None
    return RuleLibrary(tuple(sorted(rules, key=lambda r: r.id)), concepts, tuple(lexicons), digest, root, model)
