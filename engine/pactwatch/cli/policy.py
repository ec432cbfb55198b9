"""Commands for policy feature files: test, render, coverage."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import PactwatchError
from ..rules import load_rules
from .app import (
    EXIT_OK,
    EXIT_VIOLATIONS,
    RulesOpt,
    _fail,
    emit,
    err,
    policy_app,
)

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
    emit(text, output)


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
