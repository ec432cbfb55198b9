"""What the service does with a case's contract and events: the CLI's validation and evaluation.

Nothing here knows HTTP. Events are validated by the same ``parse_record`` as ``pactwatch
check`` reads files with, and a case is evaluated by the same :class:`Evaluator`, in the same
canonical order (event time, ties by content), so the service and the CLI find the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from ..contracts import load_contract
from ..enrich.review import Annotation, Annotations, parse_annotations
from ..enrich.uncertain import Sentence, review_queue
from ..errors import MAX_PROBLEMS, PactwatchError, Problem
from ..evaluation import Evaluator
from ..ingest import IngestSummary
from ..ingest.records import parse_record
from ..ingest.stream import stream_records
from ..models import Contract, Report
from ..models.events import Event
from ..rules import RuleLibrary
from .store import Store, StoredCase, StoredEvent

__all__ = ["CaseReview", "case_events", "case_report", "case_review", "contract_report", "parse_contract", "parse_events",
           "stored_annotations"]


def parse_contract(library: RuleLibrary, name: str, text: str) -> Contract:
    """A contract from uploaded YAML or JSON text (JSON is YAML), validated as the CLI does."""
    return load_contract(name, library.concepts, [r.id for r in library.rules], text=text)


def parse_events(body: bytes, media_type: str, label: str) -> list[dict[str, Any]]:
    """The events of a request body (a JSON object, a JSON array, or JSON Lines), validated.

    Any invalid event fails the whole batch with every problem located (``label``, line or
    position, field): a batch is stored completely or not at all, never in part.
    """
    records: list[tuple[int, Any]]
    if media_type in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines"):
        try:
            text = body.decode("utf-8-sig")  # (a byte order mark before the first line is none of it)
        except UnicodeDecodeError as exc:
            raise PactwatchError(Problem("event-bad-json", f"the body is not UTF-8: {exc.reason}", file=label)) from None
        records = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    else:
        try:
            doc = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise PactwatchError(Problem("event-bad-json", f"not valid JSON: {exc}", file=label)) from None
        items = doc if isinstance(doc, list) else [doc]
        records = list(enumerate(items, 1))
    if not records:
        raise PactwatchError(Problem("events-empty", "the request holds no events", file=label))
    events: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for number, raw in records:
        event, found, _ = parse_record(raw, file=label, line=number, allow_unknown=False)
        if event is None:
            problems.extend(found)
            if len(problems) >= MAX_PROBLEMS:
                break
            continue
        # parsed again to store it: parse_record reads the line itself, so that a key given twice
        # is refused as in a file (a parsed mapping has already lost the first of them)
        body_of = orjson.loads(raw) if isinstance(raw, str) else dict(raw)
        body_of["id"] = event.id  # a derived id is stored, so a retry finds the same event
        events.append(body_of)
    if problems:
        raise PactwatchError(problems)
    return events


def case_report(library: RuleLibrary, contract: Contract, label: str, rows: Iterable[StoredEvent], *,
                as_of: float | None, detail: bool, annotations: Annotations | None = None) -> Report:
    """Evaluate a case's stored events as ``pactwatch check`` evaluates a file of them (with the
    case's review annotations as a case folder's ``annotations.yaml``)."""
    summary = IngestSummary()
    stream = stream_records(((row.seq, row.body) for row in rows), label, summary, local_tz=contract.timezone)
    return Evaluator(library, contract).run(stream, summary, detail=detail, as_of=as_of, annotations=annotations)


def case_events(contract: Contract, label: str, rows: Iterable[StoredEvent]) -> list[Event]:
    """A case's stored events as the evaluation sees them: validated, in canonical order."""
    stream = stream_records(((row.seq, row.body) for row in rows), label, IngestSummary(), local_tz=contract.timezone)
    return [event for _, _, event in stream]


def contract_report(library: RuleLibrary, contract: Contract, label: str,
                    cases: Iterable[tuple[str, Iterable[StoredEvent]]], *, as_of: float | None,
                    since: float | None = None, until: float | None = None) -> Report:
    """Every case on one contract evaluated together, as ``pactwatch scorecard`` evaluates a vendor's
    events: a stored case stays one case (its events without an ``incident`` get the case's name),
    and only events in [since, until) count (the period of a scorecard)."""
    records: list[tuple[int | None, object]] = []
    for name, rows in cases:
        for row in rows:
            body = row.body if "incident" in row.body else {**row.body, "incident": name}
            records.append((row.seq, body))
    summary = IngestSummary()
    stream = stream_records(records, label, summary, local_tz=contract.timezone)
    in_period = (t for t in stream if (since is None or t[0] >= since) and (until is None or t[0] < until))
    return Evaluator(library, contract).run(in_period, summary, detail=True, as_of=as_of)


def stored_annotations(store: Store, case: StoredCase) -> dict[str, list[Annotation]]:
    """The case's review annotations by event id (none stored: empty), as the report and the page read them."""
    text = store.annotations(case)
    return parse_annotations(text, f"cases/{case.name}/annotations") if text else {}


@dataclass(frozen=True)
class CaseReview:
    """A case's events as evaluated, its stored annotations, and the readings still to settle."""

    events: list[Event]
    annotations: Annotations
    queue: list[Sentence]


def case_review(library: RuleLibrary, store: Store, case: StoredCase, contract: Contract, report: Report, *,
                show_all: bool = False) -> CaseReview:
    """The review list of a case as the API (``GET …/readings``) and the web page show it: the uncertain
    sentences not yet annotated, by default only those a finding of ``report`` rests on."""
    events = case_events(contract, f"cases/{case.name}/events", store.events(case))
    annotations = stored_annotations(store, case)
    return CaseReview(events, annotations, review_queue(library.analyzer(), events, report, annotations, show_all=show_all))
