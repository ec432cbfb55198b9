"""A readable summary for the terminal (colour is added by the CLI's console, if any)."""

from __future__ import annotations

from collections import Counter

from rich.markup import escape as _markup_escape

from ..models.contract import Contract
from ..models.report import Report
from ..remedies.waivers import is_active
from ._common import local
from .escaping import terminal_text

__all__ = ["render_text"]


def escape(value: str) -> str:
    """Input text for the console: no rich markup, no control characters (shown as \\xNN)."""
    return _markup_escape(terminal_text(value))

_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}


def render_text(report: Report, contract: Contract) -> str:
    """Rich console markup; every piece of input text is escaped."""
    tz = contract.timezone
    n = sum(1 for v in report.violations if is_active(v))
    lines = [
        f"[bold]pactwatch {report.pactwatch_version}[/] · contract {escape(report.contract)} "
        f"({escape(report.vendor)} → {escape(report.customer)}) · rules {report.ruleset_hash}",
        f"events: {report.input.events_accepted} accepted, {len(report.input.rejected)} rejected, "
        f"{report.input.duplicates} duplicates",
        *([f"as of {local(report.as_of, tz, contract.language)}: deadlines up to then decided, "
           f"{report.input.after_as_of} later event(s) not yet taken into account"] if report.as_of else []),
        "",
    ]
    for v in report.violations:
        style = _STYLE[v.severity]
        clauses = ", ".join(f"{c.id} {c.title}" for c in v.clauses) or "unmapped (no clause covers " + v.concept + ")"
        waived = ""
        if v.waived is not None:
            waived = (f"  [dim]waived ({escape(v.waived.justification)})[/]" if v.waived.severity_was is None else
                      f"  [dim]severity {v.waived.severity_was} → {v.severity} by waiver ({escape(v.waived.justification)})[/]")
        if v.exempted is not None:
            waived += (f"  [dim]exempted by {escape(v.exempted.clause or 'the contract')} "
                       f"({escape(v.exempted.param)}: {escape(v.exempted.value)})[/]")
        lines += [
            f"[{style}]{v.severity.upper():8}[/] [bold]{v.rule}[/] — {escape(v.title)}  ({local(v.at, tz, contract.language)}){waived}",
            f"  {escape(v.summary)}",
            f"  clause: {escape(clauses)}",
            *[f"  remedy: {escape(r.text)}" for r in v.remedies],
            *([f"  [yellow]reading: low confidence, not reviewed ({escape(', '.join(v.unconfirmed))}); "
               "check with pactwatch review[/]"] if v.unconfirmed else []),
            *([f"  reading: confirmed by reviewer ({escape(', '.join(reviewed))})"] if (reviewed := [
                e.event for e in v.evidence if e.reading == "reviewed"]) else []),
            "",
        ]
    for p in report.pending:
        lines.append(f"[dim]pending  {p.rule}: due {local(p.due, tz, contract.language)} (trigger {escape(p.trigger)})[/]")
    statuses = Counter(o.status for o in report.outcomes)
    if statuses:
        lines.append("obligations: " + ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(statuses.items())))
    for r in report.input.rejected:
        lines.append(f"[magenta]rejected[/] {escape(r.file)}:{r.line or '-'}: {r.code}: {escape(r.reason)}")
    for f in report.failed:
        lines.append(f"[red]not evaluated (internal error)[/] {escape(f.case)}: {escape(f.reason)}")
    counts = ", ".join(f"{k} {c}" for k, c in report.counts.items() if c)
    lines.append(f"[bold]{n} violation{'s' if n != 1 else ''}[/]" + (f" ({counts})" if counts else ""))
    return "\n".join(lines) + "\n"
