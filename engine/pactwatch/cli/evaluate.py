"""Commands that evaluate cases: check, validate, schema, letter, scorecard."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from ..audit import audit_logger
from ..contracts import load_contract
from ..errors import PactwatchError, Problem
from ..evaluation import Evaluator
from ..evaluation.findings import SpilledReport
from ..ingest import IngestSummary, load_events, stream_events
from ..models.contract import Contract
from ..models.report import Report
from ..remedies.waivers import is_active
from ..reports import DETAILED, RENDERERS, render_junit
from ..reports.pdf import to_pdf
from ..rules import load_rules
from ..rules.loader import RuleLibrary
from .app import (
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_VIOLATIONS,
    AllowVendorOpt,
    AsOfOpt,
    Language,
    LexiconOpt,
    MaxMemoryOpt,
    RulesOpt,
    SpillDirOpt,
    VendorGuard,
    WorkersOpt,
    _case_annotations,
    _expand_cases,
    _fail,
    app,
    default_workers,
    emit,
    err,
    not_a_case_folder,
    parse_as_of,
)
from .schemas import contract_schema, event_schema, report_schema


class Format(str, Enum):
    text = "text"
    json = "json"
    html = "html"
    md = "md"
    csv = "csv"
    junit = "junit"
    pdf = "pdf"


class Engine(str, Enum):
    local = "local"
    spark = "spark"


class SchemaKind(str, Enum):
    events = "events"
    contract = "contract"
    report = "report"


def _open_log(path: Path) -> Any:
    """The audit log file, or a usage error that says why it cannot be written."""
    try:
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        raise PactwatchError(Problem("output-not-writable", f"--log-file: {exc.strerror or exc}", file=str(path))) from None


def _on_spark(sources: list[str | Path], contract: Any, library: Any, master: str, rules: Path | None,
              lexicon: list[Path] | None, strict: bool, allow_unknown: bool, *, detail: bool, as_of: float | None,
              annotations: Any, audit: Any, conf: list[str], spill: bool,
              spill_dir: str | None) -> tuple[Report | SpilledReport, VendorGuard]:
    """``check --engine spark``: the report, and the vendors the events name (for the vendor check)."""
    from ..spark import check_files, spark_settings

    report, vendors = check_files(sources, contract, library, master=master, rules_dir=str(rules) if rules else None,
                                  lexicons=lexicon, strict=strict, allow_unknown=allow_unknown, detail=detail,
                                  as_of=as_of, audit=audit, annotations=annotations, conf=spark_settings(conf),
                                  spill=spill, spill_dir=spill_dir)
    guard = VendorGuard([], contract.vendor)
    for vendor, (n, first) in vendors.items():
        if vendor != contract.vendor:
            guard.others[vendor], guard.first[vendor] = n, first
    return report, guard


@app.command()
def check(
    events: Annotated[list[str], typer.Argument(metavar="EVENTS...", help="Event files (.jsonl, .yaml), case folders; '-' reads JSON Lines from stdin.")],
    contract: Annotated[Path | None, typer.Option("--contract", "-c", help="Contract YAML (default: the case folder's).")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here instead of stdout.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Stop with exit 2 at the first rejected event.")] = False,
    allow_unknown: Annotated[bool, typer.Option("--allow-unknown", help="Keep events of unknown types (ignored by rules).")] = False,
    rules: RulesOpt = None,
    lexicon: LexiconOpt = None,
    log_file: Annotated[Path | None, typer.Option("--log-file", help="Write the audit log (JSON lines) here.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Audit log to stderr.")] = False,
    allow_vendor_mismatch: AllowVendorOpt = False,
    as_of: AsOfOpt = None,
    max_memory: MaxMemoryOpt = None,
    workers: WorkersOpt = None,
    spill_dir: SpillDirOpt = None,
    engine: Annotated[Engine, typer.Option("--engine", help="local (this machine's cores) or spark (a Spark cluster; the [spark] extra).")] = Engine.local,
    master: Annotated[str, typer.Option("--master", help="With --engine spark: the Spark master (local[2], spark://HOST:7077, yarn …).")] = "local[2]",
    spark_conf: Annotated[list[str] | None, typer.Option("--spark-conf", metavar="KEY=VALUE", help="With --engine spark: a Spark setting, e.g. spark.driver.memory=8g (repeatable).")] = None,
) -> None:
    """Evaluate events against a contract and report violations."""
    log_stream = None
    spilled: SpilledReport | None = None
    try:
        library = load_rules(rules, lexicon)
        sources, contract = _expand_cases(events, contract)
        the_contract = load_contract(contract, library.concepts, [r.id for r in library.rules])
        if engine is Engine.spark and workers is not None:
            raise PactwatchError(Problem("usage", "--engine spark does not take --workers (Spark's executors do that "
                                         "work)"))
        if engine is Engine.local and spark_conf:
            raise PactwatchError(Problem("usage", "--spark-conf is for --engine spark"))
        log_stream = _open_log(log_file) if log_file else (sys.stderr if verbose else None)
        audit = audit_logger(log_stream, level="debug" if verbose else "info") if log_stream else None
        options: dict[str, Any] = {"detail": fmt.value in DETAILED, "annotations": _case_annotations(events),
                                   "as_of": parse_as_of(as_of, the_contract.timezone)}
        if engine is Engine.spark:  # with -f json or csv the driver keeps the findings on disk, as locally
            found, guard = _on_spark(sources, the_contract, library, master, rules, lexicon, strict, allow_unknown,
                                     **options, audit=audit, conf=spark_conf or [], spill=fmt in _WRITTEN_FROM_DISK,
                                     spill_dir=str(spill_dir) if spill_dir is not None else None)
            if isinstance(found, SpilledReport):
                spilled, report = found, found.head
            else:
                report = found
        else:
            summary = IngestSummary(strict=strict)
            guard = VendorGuard(stream_events(sources, summary, allow_unknown=allow_unknown,
                                              local_tz=the_contract.timezone), the_contract.vendor)
            evaluator = Evaluator(library, the_contract, audit=audit, max_memory=max_memory)
            options |= {"workers": default_workers() if workers is None else workers,
                        "spill_dir": str(spill_dir) if spill_dir is not None else None}
            if fmt in _WRITTEN_FROM_DISK:  # the findings go to disk as they come: memory does not grow with them
                spilled = evaluator.run_spilled(guard, summary, **options)
                report = spilled.head
            else:
                report = evaluator.run(guard, summary, **options)
        if guard.others and not allow_vendor_mismatch:
            raise PactwatchError(guard.problems(contract))
    except PactwatchError as exc:
        if spilled is not None:
            spilled.close()
        _fail(exc.problems)
        return
    finally:
        if log_file and log_stream:
            log_stream.close()
    try:
        _write_check(report, spilled, fmt, output, the_contract, library, [*sources, contract], list(guard.notes()))
    finally:
        if spilled is not None:
            spilled.close()


#: formats written from a report kept on disk (findings.py), a finding at a time
_WRITTEN_FROM_DISK = frozenset({Format.json, Format.csv})


def _write_check(report: Report, spilled: SpilledReport | None, fmt: Format, output: Path | None,
                 the_contract: Contract, library: RuleLibrary, inputs: list[str | Path], notes: list[str]) -> NoReturn:
    for r in report.input.rejected:
        err.print(f"[magenta]rejected[/] {escape(r.file)}:{r.line or '-'}: {r.code}: {escape(r.reason)}")
    for note in notes:
        err.print(f"[yellow]note[/] {escape(note)}")
    active = spilled.active if spilled is not None else any(is_active(v) for v in report.violations)
    exit_code = EXIT_VIOLATIONS if active else EXIT_OK
    for failed in report.failed:  # an internal error, confined to these cases: the rest is reported
        err.print(f"[red]internal error[/] case {escape(failed.case)} was not evaluated: {escape(failed.reason)}; "
                  "the report holds every other case. Please report this with the case's events.")
        exit_code = EXIT_INTERNAL
    if spilled is not None:
        try:
            emit(spilled.write_json if fmt is Format.json else spilled.write_csv, output, inputs)
        except PactwatchError as exc:
            _fail(exc.problems)
        raise typer.Exit(exit_code)
    if fmt is Format.pdf:
        try:
            emit(to_pdf(RENDERERS["html"](report, the_contract)), output, inputs)
        except PactwatchError as exc:
            _fail(exc.problems)
        raise typer.Exit(exit_code)
    rendered = (render_junit(report, the_contract, [r.id for r in library.rules]) if fmt is Format.junit
                else RENDERERS[fmt.value](report, the_contract))
    if output is not None:
        text = Console(file=None, force_terminal=False, no_color=True, width=10_000).render_str(rendered).plain \
            if fmt is Format.text else rendered
        emit(text, output, inputs)
    elif fmt is Format.text:
        Console(highlight=False, soft_wrap=True).print(rendered, end="")
    else:
        sys.stdout.write(rendered)
    raise typer.Exit(exit_code)


@app.command()
def explain(
    events: Annotated[list[str], typer.Argument(metavar="EVENTS...", help="Event files, case folders; '-' reads JSON Lines from stdin.")],
    rule: Annotated[str, typer.Option("--rule", "-r", help="The rule to explain (pactwatch rules list).")],
    contract: Annotated[Path | None, typer.Option("--contract", "-c", help="Contract YAML (default: the case folder's).")] = None,
    service: Annotated[str | None, typer.Option("--service", "-s", help="Only this service.")] = None,
    rules: RulesOpt = None,
    lexicon: LexiconOpt = None,
    allow_vendor_mismatch: AllowVendorOpt = False,
    as_of: AsOfOpt = None,
) -> None:
    """Why a rule did or did not fire: its patterns, each trigger, what matched and what filled its windows."""
    from ..evaluation.explain import Trace, render_explanation
    from ..rules.compiler import rule_params

    try:
        library = load_rules(rules, lexicon)
        spec = library.get(rule)
        if spec is None:
            raise PactwatchError(Problem("rule-not-found", f"no rule {rule!r}; see 'pactwatch rules list'"))
        sources, contract = _expand_cases(events, contract)
        the_contract = load_contract(contract, library.concepts, [r.id for r in library.rules])
        summary = IngestSummary()
        guard = VendorGuard(stream_events(sources, summary, local_tz=the_contract.timezone), the_contract.vendor)
        trace = Trace()
        evaluator = Evaluator(library, the_contract, explain=frozenset({rule}))
        report = evaluator.run(
            guard, summary, annotations=_case_annotations(events), as_of=parse_as_of(as_of, the_contract.timezone),
            trace=trace)
        if guard.others and not allow_vendor_mismatch:
            raise PactwatchError(guard.problems(contract))
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    for r in report.input.rejected:
        err.print(f"[magenta]rejected[/] {escape(r.file)}:{r.line or '-'}: {r.code}: {escape(r.reason)}")
    sys.stdout.write(render_explanation(trace, report, spec, rule_params(spec, evaluator.params), the_contract.timezone,
                                        service))


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(metavar="FILES...", help="Event files, contract files and/or case folders.")],
    rules: RulesOpt = None,
) -> None:
    """Check event and contract files (or whole case folders) without evaluating them."""
    from ..importers.casefolder import CaseFolder, is_case_folder

    try:
        library = load_rules(rules)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    problems: list[Problem] = []
    expanded: list[tuple[Path, str | None]] = []
    for path in files:
        if is_case_folder(path):
            case = CaseFolder(path)
            expanded.append((case.contract, None))
            try:
                tz = load_contract(case.contract, library.concepts, [r.id for r in library.rules]).timezone
            except PactwatchError:
                tz = None  # the contract's own problems are reported below
            try:
                expanded += [(f, tz) for f in case.event_files()]
            except PactwatchError as exc:
                problems += exc.problems
        elif path.is_dir():
            problems.append(not_a_case_folder(path))
        else:
            expanded.append((path, None))
    for path, local_tz in expanded:
        try:
            if _looks_like_contract(path):
                load_contract(path, library.concepts, [r.id for r in library.rules])
                err.print(f"[green]ok[/] {escape(str(path))}: contract")
            else:
                loaded = load_events(path, local_tz=local_tz)
                for r in loaded.summary.rejected:
                    problems.append(Problem(r.code, r.reason, file=r.file, line=r.line))
                if not loaded.summary.rejected:
                    err.print(f"[green]ok[/] {escape(str(path))}: {len(loaded)} events")
        except PactwatchError as exc:
            problems += exc.problems
    if problems:
        _fail(problems)


def _looks_like_contract(path: Path) -> bool:
    if path.suffix.lower() not in (".yaml", ".yml") or not path.is_file():
        return False
    from .._yaml import load_yaml

    data = load_yaml(path).data
    return isinstance(data, dict) and "clauses" in data


@app.command()
def schema(kind: Annotated[SchemaKind, typer.Argument(help="events, contract or report")], rules: RulesOpt = None) -> None:
    """Print the JSON Schema of events, contracts or reports."""
    if kind is SchemaKind.events:
        body = event_schema()
    elif kind is SchemaKind.report:
        body = report_schema()
    else:
        try:
            body = contract_schema(load_rules(rules).concepts)
        except PactwatchError as exc:
            _fail(exc.problems)
            return
    sys.stdout.write(json.dumps(body, indent=2, ensure_ascii=False) + "\n")


class ScorecardFormat(str, Enum):
    html = "html"
    md = "md"
    csv = "csv"
    json = "json"


@app.command()
def scorecard(
    cases: Annotated[list[Path], typer.Argument(metavar="EVENTS...", help="Event files; every vendor and incident in them is a case.")],
    contracts: Annotated[Path, typer.Option("--contracts", help="Folder of contract YAML files (one per vendor).")],
    fmt: Annotated[ScorecardFormat, typer.Option("--format", "-f")] = ScorecardFormat.html,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    weights: Annotated[Path | None, typer.Option("--weights", help="Score weights YAML (see docs/scorecard.md).")] = None,
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Compare vendors across many cases: findings, availability, response, restoration, apologies, score."""
    from ..reports.scorecard import build_scorecard, load_weights, render_scorecard

    try:
        library = load_rules(rules)
        ids = [r.id for r in library.rules]
        by_vendor = {}
        for path in sorted(contracts.glob("*.yaml")) if contracts.is_dir() else []:
            c = load_contract(path, library.concepts, ids)
            by_vendor[c.vendor] = c
        if not by_vendor:
            raise PactwatchError(Problem("contracts-not-found", "no contract YAML files", file=str(contracts)))
        summary = IngestSummary()
        vendors = sorted({e.vendor for _, _, e in stream_events(list(cases), summary) if e.vendor})
        missing = [v for v in vendors if v not in by_vendor]
        if missing:
            raise PactwatchError(Problem("contract-missing", f"no contract for vendor(s) {', '.join(missing)}",
                                         file=str(contracts)))
        evaluated = []
        for vendor in vendors:
            s = IngestSummary()
            stream = (t for t in stream_events(list(cases), s) if t[2].vendor in (vendor, None))
            the_contract = by_vendor[vendor]
            evaluated.append((the_contract, Evaluator(library, the_contract).run(
                stream, s, detail=True, as_of=parse_as_of(as_of, the_contract.timezone))))
        card = build_scorecard(evaluated, load_weights(weights))
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    text = render_scorecard(card, fmt.value)
    emit(text, output, [*cases, *sorted(contracts.glob("*.yaml"))])


class LetterFormat(str, Enum):
    md = "md"
    html = "html"
    txt = "txt"
    pdf = "pdf"


@app.command()
def letter(
    events: Annotated[list[str], typer.Argument(metavar="EVENTS...", help="The case: event files or a case folder ('-' = stdin).")],
    contract: Annotated[Path | None, typer.Option("--contract", "-c", help="Contract YAML (default: the case folder's).")] = None,
    lang: Annotated[Language | None, typer.Option("--lang", help="Letter language (default: the contract's).")] = None,
    fmt: Annotated[LetterFormat, typer.Option("--format", "-f")] = LetterFormat.md,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    reply_days: Annotated[int, typer.Option("--reply-days", min=1, help="Days the vendor has to reply.")] = 14,
    letter_date: Annotated[str | None, typer.Option("--date", help="Date of the letter, YYYY-MM-DD (default: the case end).")] = None,
    rules: RulesOpt = None,
    allow_vendor_mismatch: AllowVendorOpt = False,
    as_of: AsOfOpt = None,
) -> None:
    """Draft a formal claim to the vendor from the findings of a case."""
    from datetime import date as _date

    from ..reports.letter import render_letter

    try:
        library = load_rules(rules)
        sources, contract = _expand_cases(events, contract)
        the_contract = load_contract(contract, library.concepts, [r.id for r in library.rules])
        if lang and lang.value != the_contract.language:  # findings worded in the letter's language
            the_contract = the_contract.model_copy(update={"language": lang.value})
        summary = IngestSummary()
        guard = VendorGuard(stream_events(sources, summary, local_tz=the_contract.timezone), the_contract.vendor)
        report = Evaluator(library, the_contract).run(guard, summary, detail=True, annotations=_case_annotations(events),
                                                      as_of=parse_as_of(as_of, the_contract.timezone))
        if guard.others and not allow_vendor_mismatch:
            raise PactwatchError(guard.problems(contract))
        when = _date.fromisoformat(letter_date) if letter_date else None
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    except ValueError:
        _fail([Problem("usage", f"--date {letter_date!r} is not YYYY-MM-DD")])
        return
    if not any(is_active(v) and v.clauses for v in report.violations):
        err.print("no violations found that a clause of the contract covers: there is nothing to claim, "
                  "so no letter was drafted")
        raise typer.Exit(EXIT_OK)
    text = render_letter(report, the_contract, fmt="html" if fmt is LetterFormat.pdf else fmt.value,
                         letter_date=when, reply_days=reply_days)
    try:
        emit(to_pdf(text) if fmt is LetterFormat.pdf else text, output, [*sources, contract])
    except PactwatchError as exc:
        _fail(exc.problems)
