"""``pactwatch watch``: findings as event time decides them, with a checkpoint that survives kill -9."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from ..contracts import load_contract
from ..durations import parse_duration
from ..errors import PactwatchError, Problem
from ..evaluation import Evaluator
from ..rules import load_rules
from ..watch import STDIN, Checkpoint, Output, Watcher, identity
from .app import EXIT_OK, AllowVendorOpt, LexiconOpt, RulesOpt, _fail, app, err


def _lateness(text: str) -> float:
    try:
        minutes = parse_duration(text, "minutes", business_allowed=False)
    except ValueError as exc:
        raise PactwatchError(Problem("usage", str(exc), field="allowed-lateness")) from None
    assert isinstance(minutes, float)  # business time is refused above
    return minutes * 60


@app.command()
def watch(
    contract: Annotated[Path, typer.Option("--contract", "-c", help="Contract YAML.")],
    checkpoint: Annotated[Path, typer.Option("--checkpoint", help="Folder for the checkpoint (created if missing); a restart with it continues where the last commit left off.")],
    events: Annotated[list[str] | None, typer.Argument(metavar="[EVENTS...]", help="JSON Lines files, read in turn; '-' (the default) reads stdin.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Append finding lines here (exactly once across restarts); default stdout.")] = None,
    allowed_lateness: Annotated[str, typer.Option("--allowed-lateness", help='How far behind the latest event time an event may arrive and still count ("0m", "5m", "1h").')] = "0m",
    follow: Annotated[bool, typer.Option("--follow", help="At the end of the files, keep watching them for appended lines (stop with Ctrl-C or SIGTERM).")] = False,
    close_at_end: Annotated[bool, typer.Option("--close-at-end", help="The input is complete: at its end close every case, judge availability and repeats (as check does).")] = False,
    step_lines: Annotated[int, typer.Option("--step-lines", min=1, help="Commit at least every N lines (and whenever the input pauses).")] = 1000,
    max_resident: Annotated[int | None, typer.Option("--max-resident-cases", min=1, help="Open cases kept in memory; the least recently active others wait in the checkpoint (default: all).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Stop with exit 2 at the first rejected or late event.")] = False,
    allow_unknown: Annotated[bool, typer.Option("--allow-unknown", help="Keep events of unknown types (ignored by rules).")] = False,
    allow_vendor_mismatch: AllowVendorOpt = False,
    rules: RulesOpt = None,
    lexicon: LexiconOpt = None,
) -> None:
    """Evaluate a stream as it arrives: one JSON line per finding, late or rejected event, written once."""
    sources = events or [STDIN]
    if follow and STDIN in sources:
        _fail([Problem("usage", "--follow watches files; stdin is read until it ends anyway")])
    stop = [False]
    previous: Any = None
    try:
        library = load_rules(rules, lexicon)
        the_contract = load_contract(contract, library.concepts, [r.id for r in library.rules])
        lateness = _lateness(allowed_lateness)
        evaluator = Evaluator(library, the_contract)
        store = Checkpoint(checkpoint)
        fresh = store.fresh
        store.bind(identity(evaluator, lateness, output))
        sink = Output(output, int(store.meta.get("output_length") or 0), fresh=fresh)
        watcher = Watcher(evaluator, store, sink, lateness, strict=strict, allow_unknown=allow_unknown,
                          allow_vendor_mismatch=allow_vendor_mismatch, step_lines=step_lines,
                          resident=max_resident)
        if follow:
            previous = signal.signal(signal.SIGTERM, lambda *_: stop.__setitem__(0, True))
        stats = watcher.run(sources, close_at_end=close_at_end, follow=0.2 if follow else None, stop=stop)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    for note in watcher.notes:
        err.print(f"[yellow]note[/] {escape(note)}")
    err.print(escape(f"watch: {stats.lines} lines read, {stats.accepted} events accepted, {stats.rejected} rejected, "
                     f"{stats.late} late, {stats.violations} findings written, {stats.outcomes} outcomes, "
                     f"{stats.evicted} cases set aside"
                     + (", every case closed" if close_at_end else "")))
    raise typer.Exit(EXIT_OK)
