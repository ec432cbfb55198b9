"""Command-line entry point: thin wrappers over the public API.

Exit codes: 0 = no violations, 1 = violations found, 2 = input or usage error,
3 = internal error (a bug: please report it with the input that caused it).
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from .._version import __version__
from ..audit import audit_logger
from ..contracts import load_contract
from ..errors import PactwatchError, Problem
from ..evaluation import Evaluator
from ..ingest import IngestSummary, load_events, stream_events
from ..remedies.waivers import is_active
from ..reports import DETAILED, RENDERERS, render_junit
from ..rules import load_rules
from .schemas import contract_schema, event_schema, report_schema

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="pactwatch: hold vendors to their contracts.")
rules_app = typer.Typer(no_args_is_help=True, help="Inspect the rule library.")
app.add_typer(rules_app, name="rules")
policy_app = typer.Typer(no_args_is_help=True, help="Gherkin feature files as living policy.")
app.add_typer(policy_app, name="policy")
contract_app = typer.Typer(no_args_is_help=True, help="Contracts: start one from a template.")
app.add_typer(contract_app, name="contract")

err = Console(stderr=True, highlight=False, soft_wrap=True)


class Format(str, Enum):
    text = "text"
    json = "json"
    html = "html"
    md = "md"
    csv = "csv"
    junit = "junit"


class SchemaKind(str, Enum):
    events = "events"
    contract = "contract"
    report = "report"


RulesOpt = Annotated[Path | None, typer.Option("--rules", help="Rule library directory (default: the bundled one).")]
LexiconOpt = Annotated[list[Path] | None, typer.Option("--lexicon", help="Extra lexicon file(s) with your own phrases (see docs/message-analysis.md).")]


def _fail(problems: list[Problem]) -> None:
    for p in problems:
        err.print(f"[red]error[/]: {escape(str(p))}")
    raise typer.Exit(EXIT_INPUT)


@app.command()
def check(
    events: Annotated[list[str], typer.Argument(help="Event files (.jsonl, .yaml), case folders; '-' reads JSON Lines from stdin.")],
    contract: Annotated[Path | None, typer.Option("--contract", "-c", help="Contract YAML (default: the case folder's).")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here instead of stdout.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Stop with exit 2 at the first rejected event.")] = False,
    allow_unknown: Annotated[bool, typer.Option("--allow-unknown", help="Keep events of unknown types (ignored by rules).")] = False,
    rules: RulesOpt = None,
    lexicon: LexiconOpt = None,
    log_file: Annotated[Path | None, typer.Option("--log-file", help="Write the audit log (JSON lines) here.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Audit log to stderr.")] = False,
) -> None:
    """Evaluate events against a contract and report violations."""
    log_stream = None
    try:
        library = load_rules(rules, lexicon)
        sources, contract = _expand_cases(events, contract)
        the_contract = load_contract(contract, library.concepts, [r.id for r in library.rules])
        log_stream = log_file.open("w", encoding="utf-8") if log_file else (sys.stderr if verbose else None)
        audit = audit_logger(log_stream, level="debug" if verbose else "info") if log_stream else None
        summary = IngestSummary(strict=strict)
        report = Evaluator(library, the_contract, audit=audit).run(
            stream_events(sources, summary, allow_unknown=allow_unknown, local_tz=the_contract.timezone),
            summary, detail=fmt.value in DETAILED)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    finally:
        if log_file and log_stream:
            log_stream.close()
    for r in report.input.rejected:
        err.print(f"[magenta]rejected[/] {escape(r.file)}:{r.line or '-'}: {r.code}: {escape(r.reason)}")
    rendered = (render_junit(report, the_contract, [r.id for r in library.rules]) if fmt is Format.junit
                else RENDERERS[fmt.value](report, the_contract))
    if output is not None:
        text = Console(file=None, force_terminal=False, no_color=True, width=10_000).render_str(rendered).plain \
            if fmt is Format.text else rendered
        output.write_text(text, encoding="utf-8")
    elif fmt is Format.text:
        Console(highlight=False, soft_wrap=True).print(rendered, end="")
    else:
        sys.stdout.write(rendered)
    raise typer.Exit(EXIT_VIOLATIONS if any(is_active(v) for v in report.violations) else EXIT_OK)


def _expand_cases(args: list[str], contract: Path | None) -> tuple[list[str | Path], Path]:
    """Case folders become their event files; their contract is used unless --contract is given."""
    from ..importers.casefolder import CaseFolder, is_case_folder

    sources: list[str | Path] = []
    for arg in args:
        path = Path(arg)
        if arg != "-" and is_case_folder(path):
            case = CaseFolder(path)
            sources += case.event_files()
            contract = contract or case.contract
        else:
            sources.append(arg)
    if contract is None:
        raise PactwatchError(Problem("usage", "no contract: pass --contract FILE or a case folder"))
    return sources, contract


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Event files and/or contract files.")],
    rules: RulesOpt = None,
) -> None:
    """Check event and contract files without evaluating them."""
    try:
        library = load_rules(rules)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    problems: list[Problem] = []
    for path in files:
        try:
            if _looks_like_contract(path):
                load_contract(path, library.concepts, [r.id for r in library.rules])
                err.print(f"[green]ok[/] {escape(str(path))}: contract")
            else:
                loaded = load_events(path)
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


@rules_app.command("list")
def rules_list(rules: RulesOpt = None) -> None:
    """List the rules: id, severity, concept and title."""
    try:
        library = load_rules(rules)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    out = Console(highlight=False, soft_wrap=True)
    for r in library.rules:
        out.print(f"{r.id:32} {r.severity:9} {r.concept:28} {escape(r.title)}")


@rules_app.command("show")
def rules_show(rule_id: Annotated[str, typer.Argument(help="Rule id, e.g. no-apology.")], rules: RulesOpt = None) -> None:
    """Show one rule as the engine loaded it (YAML-equivalent JSON)."""
    try:
        library = load_rules(rules)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    rule = library.get(rule_id)
    if rule is None:
        _fail([Problem("rule-not-found", f"no rule {rule_id!r}; see 'pactwatch rules list'")])
        return
    params = library.concepts[rule.concept].defaults()
    body: dict[str, Any] = {**rule.model_dump(mode="json", by_alias=True, exclude_none=True), "default_params": params}
    sys.stdout.write(json.dumps(body, indent=2, ensure_ascii=False) + "\n")


@rules_app.command("docs")
def rules_docs(
    output: Annotated[Path, typer.Option("--output", "-o", help="Directory for the Markdown pages.")] = Path("docs/rules"),
    rules: RulesOpt = None,
) -> None:
    """Write one Markdown page per rule (examples are run through the engine)."""
    from ..rules.docs import index_page, rule_page

    try:
        library = load_rules(rules)
        pages = {f"{r.id}.md": rule_page(r, library) for r in library.rules}
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    output.mkdir(parents=True, exist_ok=True)
    pages["index.md"] = index_page(library)
    for name, text in pages.items():
        (output / name).write_text(text, encoding="utf-8")
    err.print(f"wrote {len(pages)} pages to {escape(str(output))}")


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


lexicon_app = typer.Typer(no_args_is_help=True, help="Message-analysis lexicons.")
app.add_typer(lexicon_app, name="lexicon")


@lexicon_app.command("score")
def lexicon_score(
    corpus: Annotated[Path, typer.Argument(help="YAML list of {lang, text, labels}.")],
    lexicon: LexiconOpt = None,
    rules: RulesOpt = None,
    show_misses: Annotated[bool, typer.Option("--misses", help="List the sentences analysed differently.")] = False,
) -> None:
    """Precision and recall per category on a labelled corpus (exit 1 if any is below 0.9)."""
    from pydantic import ValidationError

    from ..enrich.messages import MessageAnalyzer
    from ..enrich.quality import load_corpus, markdown_table, score

    try:
        library = load_rules(rules, lexicon)
        samples = load_corpus(corpus)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    except ValidationError as exc:
        _fail([Problem("corpus-invalid", str(exc).splitlines()[0], file=str(corpus))])
        return
    scores, misses = score(MessageAnalyzer(list(library.lexicons)), samples)
    sys.stdout.write(markdown_table(scores))
    if show_misses:
        for sample, got in misses:
            sys.stdout.write(f"miss: labels {sorted(sample.labels)} got {sorted(got)}: {sample.text}\n")
    weak = [c for c, s in scores.items() if s.support and (s.precision < 0.9 or s.recall < 0.9)]
    raise typer.Exit(EXIT_VIOLATIONS if weak else EXIT_OK)


class Language(str, Enum):
    de = "de"
    en = "en"


case_app = typer.Typer(no_args_is_help=True, help="Case folders: contract, events and evidence together.")
app.add_typer(case_app, name="case")
import_app = typer.Typer(no_args_is_help=True, help="Import evidence into a case folder.")
app.add_typer(import_app, name="import")
CaseOpt = Annotated[Path, typer.Option("--case", help="The case folder (see 'pactwatch case init').")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Stop with exit 2 at the first item that cannot be imported.")]


@case_app.command("init")
def case_init(
    directory: Annotated[Path, typer.Argument(help="New (or empty) folder for the case.")],
    template: Annotated[str, typer.Option("--template", "-t", help="Contract template.")] = "hosting-de",
    lang: Annotated[Language | None, typer.Option("--lang", help="Language of the folder's README.")] = None,
) -> None:
    """Create a case folder: contract.yaml, events/, evidence/ and a README."""
    from ..importers import init_case

    try:
        init_case(directory, template, lang.value if lang else None)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    err.print(f"created case folder {escape(str(directory))} (contract from template {template})")


def _finish_import(result) -> None:
    for p in result.notes:
        err.print(f"[yellow]note[/] {escape(str(p))}")
    for p in result.skipped:
        err.print(f"[magenta]skipped[/] {escape(str(p))}")
    Console(highlight=False).print(result.line())


def _case_and_vendor(case_dir: Path, vendor: str | None):
    from ..importers import open_case

    case = open_case(case_dir)
    contract = load_contract(case.contract, load_rules().concepts)
    return case, contract, vendor or contract.vendor


@import_app.command("mail")
def import_mail_cmd(
    sources: Annotated[list[Path], typer.Argument(help=".eml files, folders of them, or mbox files.")],
    case: CaseOpt,
    vendor_domain: Annotated[list[str], typer.Option("--vendor-domain", help="Mail domain(s) of the vendor.")],
    customer_domain: Annotated[list[str] | None, typer.Option("--customer-domain", help="Mail domain(s) of the customer.")] = None,
    vendor: Annotated[str | None, typer.Option("--vendor", help="Vendor name in the events (default: the contract's).")] = None,
    incident: Annotated[str | None, typer.Option("--incident", help="Case id for the imported events.")] = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", help="Override: MESSAGE-ID=complaint|reply|update|notice|other.")] = None,
    strict: StrictOpt = False,
) -> None:
    """Import mails as message.sent events (threading, quoting, encodings handled)."""
    from ..importers import ImportResult
    from ..importers.mail import KINDS, import_mail

    try:
        the_case, _, vendor_name = _case_and_vendor(case, vendor)
        overrides = {}
        for item in kind or []:
            mid, _, value = item.partition("=")
            if value not in KINDS:
                raise PactwatchError(Problem("usage", f"--kind {item!r}: use MESSAGE-ID=one of {', '.join(KINDS)}"))
            overrides[mid.strip().strip("<>")] = value
        result = import_mail(sources, the_case, vendor=vendor_name, vendor_domains=[d.lower() for d in vendor_domain],
                             customer_domains=[d.lower() for d in customer_domain or []], incident=incident,
                             kinds=overrides, result=ImportResult(strict=strict))
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    _finish_import(result)


class ProbeFormat(str, Enum):
    generic = "generic"
    uptimerobot = "uptimerobot"
    pingdom = "pingdom"


@import_app.command("probes")
def import_probes_cmd(
    export: Annotated[Path, typer.Argument(help="Monitoring export: CSV or JSON.")],
    case: CaseOpt,
    fmt: Annotated[ProbeFormat, typer.Option("--format", help="generic (with --map) or a preset.")] = ProbeFormat.generic,
    mapping: Annotated[list[str] | None, typer.Option("--map", help="COLUMN=FIELD, FIELD one of timestamp, service, up, check, detail.")] = None,
    service: Annotated[str | None, typer.Option("--service", help="Service for rows that name none.")] = None,
    check: Annotated[str, typer.Option("--check", help="Check kind for rows that name none.")] = "https",
    collapse: Annotated[bool, typer.Option("--collapse", help="Keep only changes of state per service and check.")] = False,
    timezone: Annotated[str | None, typer.Option("--timezone", help="Zone of timestamps without offset (default: the contract's).")] = None,
    vendor: Annotated[str | None, typer.Option("--vendor")] = None,
    incident: Annotated[str | None, typer.Option("--incident")] = None,
    strict: StrictOpt = False,
) -> None:
    """Import uptime checks as probe events."""
    from ..importers import ImportResult
    from ..importers.probes import FIELDS, import_probes

    try:
        the_case, contract, vendor_name = _case_and_vendor(case, vendor)
        pairs = {}
        for item in mapping or []:
            column, _, field = item.partition("=")
            if field not in FIELDS:
                raise PactwatchError(Problem("usage", f"--map {item!r}: FIELD must be one of {', '.join(FIELDS)}"))
            pairs[column] = field
        result = import_probes(export, the_case, vendor=vendor_name, tz=timezone or contract.timezone, preset=fmt.value,
                               mapping=pairs, service=service, check=check, collapse=collapse, incident=incident,
                               result=ImportResult(strict=strict))
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    _finish_import(result)


@import_app.command("statuspage")
def import_statuspage_cmd(
    export: Annotated[Path, typer.Argument(help="incidents.json saved from the status page.")],
    case: CaseOpt,
    vendor: Annotated[str | None, typer.Option("--vendor")] = None,
    incident: Annotated[str | None, typer.Option("--incident")] = None,
    strict: StrictOpt = False,
) -> None:
    """Import status-page incident updates as status.claimed events."""
    from ..importers import ImportResult
    from ..importers.statuspage import import_statuspage

    try:
        the_case, _, vendor_name = _case_and_vendor(case, vendor)
        result = import_statuspage(export, the_case, vendor=vendor_name, incident=incident,
                                   result=ImportResult(strict=strict))
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    _finish_import(result)


class ScorecardFormat(str, Enum):
    html = "html"
    md = "md"
    csv = "csv"
    json = "json"


@app.command()
def scorecard(
    cases: Annotated[list[Path], typer.Argument(help="Event files; every vendor and incident in them is a case.")],
    contracts: Annotated[Path, typer.Option("--contracts", help="Folder of contract YAML files (one per vendor).")],
    fmt: Annotated[ScorecardFormat, typer.Option("--format", "-f")] = ScorecardFormat.html,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    weights: Annotated[Path | None, typer.Option("--weights", help="Score weights YAML (see docs/scorecard.md).")] = None,
    rules: RulesOpt = None,
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
            evaluated.append((by_vendor[vendor], Evaluator(library, by_vendor[vendor]).run(stream, s, detail=True)))
        card = build_scorecard(evaluated, load_weights(weights))
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    text = render_scorecard(card, fmt.value)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


class LetterFormat(str, Enum):
    md = "md"
    html = "html"
    txt = "txt"


@app.command()
def letter(
    events: Annotated[list[str], typer.Argument(help="The case: event files or a case folder ('-' = stdin).")],
    contract: Annotated[Path | None, typer.Option("--contract", "-c", help="Contract YAML (default: the case folder's).")] = None,
    lang: Annotated[Language | None, typer.Option("--lang", help="Letter language (default: the contract's).")] = None,
    fmt: Annotated[LetterFormat, typer.Option("--format", "-f")] = LetterFormat.md,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    reply_days: Annotated[int, typer.Option("--reply-days", min=1, help="Days the vendor has to reply.")] = 14,
    letter_date: Annotated[str | None, typer.Option("--date", help="Date of the letter, YYYY-MM-DD (default: the case end).")] = None,
    rules: RulesOpt = None,
) -> None:
    """Draft a formal claim to the vendor from the findings of a case."""
    from datetime import date as _date

    from ..reports.letter import render_letter

    try:
        library = load_rules(rules)
        sources, contract = _expand_cases(events, contract)
        the_contract = load_contract(contract, library.concepts, [r.id for r in library.rules])
        summary = IngestSummary()
        report = Evaluator(library, the_contract).run(
            stream_events(sources, summary, local_tz=the_contract.timezone), summary, detail=True)
        when = _date.fromisoformat(letter_date) if letter_date else None
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    except ValueError:
        _fail([Problem("usage", f"--date {letter_date!r} is not YYYY-MM-DD")])
        return
    if not any(is_active(v) for v in report.violations):
        err.print("no violations found: there is nothing to claim, so no letter was drafted")
        raise typer.Exit(EXIT_OK)
    text = render_letter(report, the_contract, library, lang=(lang.value if lang else the_contract.language),
                         fmt=fmt.value, letter_date=when, reply_days=reply_days)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


PolicyDir = Annotated[Path, typer.Argument(help="Folder (or file) of .feature files.")]


class HandbookFormat(str, Enum):
    html = "html"
    md = "md"


@policy_app.command("test")
def policy_test(
    directory: PolicyDir = Path("features"),
    junit: Annotated[Path | None, typer.Option("--junit", help="Write JUnit XML here.")] = None,
    cucumber: Annotated[Path | None, typer.Option("--cucumber", help="Write Cucumber JSON here.")] = None,
    rules: RulesOpt = None,
) -> None:
    """Run policy scenarios against the engine: a line per scenario, exit 0/1/2."""
    from ..policy.runner import run_policy

    try:
        run = run_policy(directory, rules=rules, junit=junit, cucumber=cucumber)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    out = Console(highlight=False, soft_wrap=True)
    for r in run.results:
        label = {"passed": "[green]PASS[/]", "failed": "[red]FAIL[/]", "skipped": "[yellow]SKIP[/]"}[r.outcome]
        out.print(f"{label} {escape(r.file)}:{r.line} {escape(r.scenario)}"
                  + (f" ({escape(r.message or '')})" if r.outcome == "skipped" else ""))
        if r.outcome == "failed":
            if r.step:
                out.print(f"     step: {escape(r.step)}")
            out.print(f"     why:  {escape(r.message or '')}")
    for e in run.errors:
        err.print(f"[red]error[/]: {escape(e)}")
    passed = sum(r.outcome == "passed" for r in run.results)
    failed = sum(r.outcome == "failed" for r in run.results)
    skipped = sum(r.outcome == "skipped" for r in run.results)
    out.print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    raise typer.Exit(run.exit_code)


@policy_app.command("render")
def policy_render(
    directory: PolicyDir = Path("features"),
    fmt: Annotated[HandbookFormat, typer.Option("--format", "-f")] = HandbookFormat.html,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    rules: RulesOpt = None,
) -> None:
    """Render the policy handbook (rules, clauses, scenarios, last results)."""
    from ..policy.catalog import read_features
    from ..policy.render import load_results, render_handbook

    try:
        library = load_rules(rules)
        text = render_handbook(read_features(directory), library, load_results(directory), fmt.value)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@policy_app.command("coverage")
def policy_coverage(directory: PolicyDir = Path("features"), rules: RulesOpt = None) -> None:
    """List rules lacking a firing or a non-firing scenario; exit 1 if any."""
    from ..policy.catalog import coverage, read_features

    try:
        library = load_rules(rules)
        table = coverage(read_features(directory), [r.id for r in library.rules])
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    out = Console(highlight=False, soft_wrap=True)
    gaps = 0
    for rule_id, seen in sorted(table.items()):
        missing = [k for k, label in (("fires", "firing"), ("quiet", "non-firing")) if not seen[k]]
        known = library.get(rule_id) is not None
        status = "[green]ok[/]" if not missing else "[red]missing " + " and ".join(
            "firing" if m == "fires" else "non-firing" for m in missing) + " scenario[/]"
        if not known:
            status = "[yellow]not in the rule library[/]"
        gaps += bool(missing) and known
        out.print(f"{rule_id:32} {len(seen['fires']):3} firing {len(seen['quiet']):3} non-firing  {status}")
    out.print(f"{len(table) - gaps} of {len(table)} rules fully covered")
    raise typer.Exit(EXIT_VIOLATIONS if gaps else EXIT_OK)


@contract_app.command("init")
def contract_init(
    template: Annotated[str, typer.Option("--template", "-t", help="hosting-de, hosting-en, …")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the contract.")] = Path("contract.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented contract from a template, to adapt to the real agreement."""
    from ..policy.templates import template_path

    try:
        source = template_path(template)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    if output.exists() and not force:
        _fail([Problem("file-exists", "exists already (use --force to overwrite)", file=str(output))])
    output.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    err.print(f"wrote {escape(str(output))} from template {template}")


@app.callback(invoke_without_command=True)
def _main(version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False) -> None:
    if version:
        typer.echo(f"pactwatch {__version__}")
        raise typer.Exit(EXIT_OK)


def run() -> None:
    """Console-script entry: no traceback for user errors; internal errors exit 3."""
    try:
        app(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - last line of defence, reported plainly
        if os.environ.get("PACTWATCH_DEBUG"):
            raise
        err.print(f"[red]internal error[/]: {escape(type(exc).__name__)}: {escape(str(exc))}\n"
                  "This is a bug in pactwatch. Re-run with PACTWATCH_DEBUG=1 for the traceback and report it.")
        sys.exit(EXIT_INTERNAL)
