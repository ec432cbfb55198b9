"""pactwatch review: the sentences whose uncertain reading decides a finding, confirmed or corrected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from ..contracts import load_contract
from ..enrich.messages import CATEGORIES, MessageAnalyzer
from ..enrich.review import ANNOTATIONS_FILE, Annotation, load_annotations, save_annotations
from ..errors import PactwatchError, Problem
from ..evaluation import Evaluator
from ..importers.casefolder import CaseFolder, is_case_folder
from ..ingest import load_events
from ..models.events import Event
from ..rules import load_rules
from .app import EXIT_OK, LexiconOpt, RulesOpt, _fail, app, err


@dataclass(frozen=True)
class _Sentence:
    key: str  # EVENT#N
    event: Event
    start: int
    end: int
    text: str
    reading: list[str]  # categories read as present
    close: dict[str, float]  # categories within the review margin of their threshold → probability


def _sentences(analyzer: MessageAnalyzer, event: Event) -> list[_Sentence]:
    text = event.text or ""
    _, units, verdicts = analyzer.readings(text, event.lang)
    out = []
    model = analyzer.model
    for n, (unit, probs) in enumerate(zip(units, verdicts, strict=True), 1):
        if probs is None or model is None:
            continue
        reading = [c for c in CATEGORIES if probs[c] >= model.thresholds[c]]
        close = {c: p for c, p in probs.items() if abs(p - model.thresholds[c]) < model.review_margin}
        out.append(_Sentence(f"{event.id}#{n}", event, unit.start, unit.end, text[unit.start:unit.end], reading, close))
    return out


@app.command()
def review(
    case_dir: Annotated[Path, typer.Argument(help="The case folder.")],
    confirm: Annotated[list[str] | None, typer.Option("--confirm", metavar="EVENT#N", help="EVENT#N: the reading shown is right.")] = None,
    correct: Annotated[list[str] | None, typer.Option("--correct", metavar="EVENT#N=CATS", help="EVENT#N=cat,cat (or EVENT#N= for none): the right reading.")] = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer", help="Who decides (recorded with each reading).")] = None,
    on: Annotated[str | None, typer.Option("--date", help="Date of the review, YYYY-MM-DD (default: today).")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Uncertain sentences of every event, not only those a finding rests on.")] = False,
    rules: RulesOpt = None,
    lexicon: LexiconOpt = None,
) -> None:
    """List the sentences whose reading is uncertain and decides a finding; confirm or correct them.

    Decisions go to the case folder's annotations.yaml, and the next check reads those
    sentences as the reviewer said (shown in the report as confirmed by reviewer).
    """
    if not is_case_folder(case_dir):
        _fail([Problem("case-not-found", "not a case folder (no contract.yaml and events/)", file=str(case_dir))])
    case = CaseFolder(case_dir)
    path = case.root / ANNOTATIONS_FILE
    try:
        library = load_rules(rules, lexicon)
        contract = load_contract(case.contract, library.concepts, [r.id for r in library.rules])
        events = list(load_events(*case.event_files(), local_tz=contract.timezone).events)
        annotations = load_annotations(path)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    analyzer = library.analyzer()
    if analyzer.model is None:
        _fail([Problem("model-invalid", "this rule library has no sentence model: nothing to review")])
    decisions = [*(confirm or []), *(correct or [])]
    by_key = {s.key: s for e in events if e.text for s in _sentences(analyzer, e)}
    if decisions:
        _record(path, by_key, confirm or [], correct or [], reviewer, on)
        return
    report = Evaluator(library, contract).run_events(events, annotations=annotations)
    deciding: dict[str, list[str]] = {}
    for v in report.violations:
        for ev in v.evidence:
            deciding.setdefault(ev.event, []).append(v.rule)
    reviewed = {(a.event, a.start, a.end) for items in annotations.values() for a in items}
    out = Console(highlight=False, soft_wrap=True)
    shown = 0
    for s in by_key.values():
        if not s.close or (s.event.id, s.start, s.end) in reviewed:
            continue
        rules_hit = sorted(set(deciding.get(s.event.id or "", [])))
        if not rules_hit and not show_all:
            continue
        shown += 1
        close = ", ".join(f"{c} {p:.2f}" for c, p in sorted(s.close.items()))
        out.print(f"{escape(s.key)}  {s.event.actor or '?'}  read as: {', '.join(s.reading) or 'nothing'}  "
                  f"(close to the line: {close})" + (f"  decides: {', '.join(rules_hit)}" if rules_hit else ""))
        out.print(f"    {escape(s.text.strip())}")
    err.print(f"{shown} uncertain reading(s); confirm with --confirm ID, correct with --correct ID=categories "
              f"(--reviewer NAME); {len(reviewed)} already reviewed in {escape(str(path))}")
    raise typer.Exit(EXIT_OK)


def _record(path: Path, by_key: dict[str, _Sentence], confirm: list[str],
            correct: list[str], reviewer: str | None, on: str | None) -> None:
    if not reviewer:
        _fail([Problem("usage", "--reviewer NAME is required to record a reading")])
    day = on or date.today().isoformat()
    new: list[Annotation] = []
    problems: list[Problem] = []
    for key, labels in [*((k, None) for k in confirm), *(_split(c) for c in correct)]:
        sentence = by_key.get(key)
        if sentence is None:
            problems.append(Problem("review-unknown-sentence", f"no sentence {key!r} in this case (ids as listed by "
                                    "'pactwatch review --all')", file=str(path.parent)))
            continue
        chosen = sentence.reading if labels is None else labels
        unknown = sorted(set(chosen) - set(CATEGORIES))
        if unknown:
            problems.append(Problem("review-unknown-category", f"{key}: unknown categories {unknown}; known: "
                                    f"{', '.join(CATEGORIES)}", file=str(path.parent)))
            continue
        try:
            new.append(Annotation(event=sentence.event.id or "", start=sentence.start, end=sentence.end,
                                  sentence=sentence.text, labels=chosen, reviewer=reviewer, date=day))
        except ValueError as exc:
            problems.append(Problem("usage", f"{key}: {str(exc).splitlines()[-1].strip()}"))
    if problems:
        _fail(problems)
    try:
        with CaseFolder(path.parent).locked():
            annotations = load_annotations(path)  # as it is now: another review may have written meanwhile
            for a in new:
                kept = [b for b in annotations.get(a.event, []) if (b.start, b.end) != (a.start, a.end)]
                annotations[a.event] = [*kept, a]
            save_annotations(path, annotations)
    except PactwatchError as exc:
        _fail(exc.problems)
    except OSError as exc:
        _fail([Problem("case-unwritable", f"cannot write: {exc.strerror or exc}", file=str(path))])
    err.print(f"recorded {len(new)} reading(s) in {escape(str(path))}")
    raise typer.Exit(EXIT_OK)


def _split(spec: str) -> tuple[str, list[str]]:
    key, _, labels = spec.partition("=")
    return key.strip(), [c.strip() for c in labels.split(",") if c.strip()]
