"""pactwatch review: the sentences whose uncertain reading decides a finding, confirmed or corrected."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from ..contracts import load_contract
from ..enrich.messages import CATEGORIES
from ..enrich.review import ANNOTATIONS_FILE, Annotation, load_annotations, save_annotations
from ..enrich.uncertain import Sentence, annotation_for, review_queue, sentences, with_decisions
from ..errors import PactwatchError, Problem
from ..evaluation import Evaluator
from ..importers.casefolder import CaseFolder, is_case_folder
from ..ingest import load_events
from ..rules import load_rules
from .app import EXIT_OK, LexiconOpt, RulesOpt, _fail, app, err


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
    if decisions:
        by_key = {s.key: s for e in events if e.text for s in sentences(analyzer, e)}
        _record(path, by_key, confirm or [], correct or [], reviewer, on)
        return
    report = Evaluator(library, contract).run_events(events, annotations=annotations)
    queue = review_queue(analyzer, events, report, annotations, show_all)
    out = Console(highlight=False, soft_wrap=True)
    for s in queue:
        close = ", ".join(f"{c} {p:.2f}" for c, p in sorted(s.close.items()))
        out.print(f"{escape(s.key)}  {s.event.actor or '?'}  read as: {', '.join(s.reading) or 'nothing'}  "
                  f"(close to the line: {close})" + (f"  decides: {', '.join(s.decides)}" if s.decides else ""))
        out.print(f"    {escape(s.text.strip())}")
    reviewed = sum(len(items) for items in annotations.values())
    err.print(f"{len(queue)} uncertain reading(s); confirm with --confirm ID, correct with --correct ID=categories "
              f"(--reviewer NAME); {reviewed} already reviewed in {escape(str(path))}")
    raise typer.Exit(EXIT_OK)


def _record(path: Path, by_key: dict[str, Sentence], confirm: list[str],
            correct: list[str], reviewer: str | None, on: str | None) -> None:
    if not reviewer:
        _fail([Problem("usage", "--reviewer NAME is required to record a reading")])
    try:
        day = date.fromisoformat(on) if on else date.today()
    except ValueError:
        _fail([Problem("usage", f"--date {on!r}: write the date as YYYY-MM-DD")])
        return
    new: list[Annotation] = []
    problems: list[Problem] = []
    for key, labels in [*((k, None) for k in confirm), *(_split(c) for c in correct)]:
        sentence = by_key.get(key)
        if sentence is None:
            problems.append(Problem("review-unknown-sentence", f"no sentence {key!r} in this case (ids as listed by "
                                    "'pactwatch review --all')", file=str(path.parent)))
            continue
        unknown = sorted(set(labels or ()) - set(CATEGORIES))
        if unknown:
            problems.append(Problem("review-unknown-category", f"{key}: unknown categories {unknown}; known: "
                                    f"{', '.join(CATEGORIES)}", file=str(path.parent)))
            continue
        try:
            new.append(annotation_for(sentence, labels, reviewer, day))
        except ValueError as exc:
            problems.append(Problem("usage", f"{key}: {str(exc).splitlines()[-1].strip()}"))
    if problems:
        _fail(problems)
    try:
        with CaseFolder(path.parent).locked():
            # as it is now: another review may have written meanwhile
            save_annotations(path, with_decisions(load_annotations(path), new))
    except PactwatchError as exc:
        _fail(exc.problems)
    except OSError as exc:
        _fail([Problem("case-unwritable", f"cannot write: {exc.strerror or exc}", file=str(path))])
    err.print(f"recorded {len(new)} reading(s) in {escape(str(path))}")
    raise typer.Exit(EXIT_OK)


def _split(spec: str) -> tuple[str, list[str]]:
    key, _, labels = spec.partition("=")
    return key.strip(), [c.strip() for c in labels.split(",") if c.strip()]
