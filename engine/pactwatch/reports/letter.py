"""A demand letter drafted from the findings: facts, clauses breached, demands, reply deadline.

Everything the engine cannot know (sender, addresses, signatory) is a visible
``[placeholder]``. Wording lives in ``templates/letter.yaml`` and the rules' ``letter``
texts; amounts come from the computed remedies.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import markdown
from markupsafe import Markup

from .._template import fill
from .._time import parse_stamp
from .._yaml import load_yaml
from ..models.contract import Contract
from ..models.report import Report, Violation
from ..money import format_amount
from ..remedies.waivers import is_active
from ..rules.loader import RuleLibrary
from ._common import TEMPLATES, credit_total, local, markdown_environment, text_environment
from .escaping import markdown_text, terminal_text

__all__ = ["render_letter", "LETTER_FORMATS"]

LETTER_FORMATS = ("md", "html", "txt")
_QUOTE = 300


@functools.lru_cache(maxsize=1)
def _wording() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(TEMPLATES / "letter.yaml").data
    return data


@dataclass
class _Breach:
    clause_id: str
    clause_title: str
    clause_text: str
    statements: list[str] = field(default_factory=list)


def _date(d: date, lang: str) -> str:
    return d.strftime("%d.%m.%Y") if lang == "de" else d.strftime("%d %B %Y")


def render_letter(report: Report, contract: Contract, library: RuleLibrary, *, lang: str, fmt: str,
                  letter_date: date | None = None, reply_days: int = 14) -> str:
    t = _wording()[lang]
    tz = contract.timezone
    active = [v for v in report.violations if is_active(v)]
    incidents = sorted({v.incident for v in active if v.incident}) or ["—"]
    if letter_date is None:
        end = max((c.end for c in report.cases or []), default=None) or max((v.at for v in active), default=None)
        letter_date = (parse_stamp(end).astimezone(ZoneInfo(tz)).date()
                       if end else date(1970, 1, 1))
    values = {"contract": contract.id, "incident": ", ".join(incidents), "date": _date(letter_date, lang),
              "deadline": _date(letter_date + timedelta(days=reply_days), lang)}
    # Markdown (also the source of the HTML letter) escapes every value; plain text shows controls.
    # The letter's own wording is trusted (Markup); what is filled into it is escaped first.
    body = text_environment() if fmt == "txt" else markdown_environment()
    clean = terminal_text if fmt == "txt" else markdown_text
    filled = {k: clean(v) for k, v in values.items()}
    # The letter's own wording (letter.yaml, part of the package) is trusted markup; every value
    # filled into it was escaped above. ruff's S704 cannot tell the two apart.
    own = {k: Markup(v) if isinstance(v, str) else v for k, v in t.items()}  # noqa: S704
    text = body.get_template("letter.md.j2").render(
        fmt="md" if fmt == "html" else fmt, t=own, subject=Markup(fill(t["subject"], filled)),  # noqa: S704
        intro=Markup(fill(t["intro"], filled)), place_date=Markup(fill(t["place_date"], filled)),  # noqa: S704
        deadline=Markup(fill(t["deadline"], filled)),  # noqa: S704
        facts=_facts(active, report, t, tz, lang), breaches=_breaches(active, contract, library, lang, tz),
        demands=_demands(active, contract, t, lang))
    if fmt == "html":
        title, body_html = html.escape(fill(t["subject"], values)), markdown.markdown(text)
        return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
                "<style>body{font-family:serif;max-width:170mm;margin:20mm auto;line-height:1.5}</style></head><body>\n"
                f"{body_html}\n</body></html>\n")
    return text


def _facts(active: list[Violation], report: Report, t: dict[str, Any], tz: str, lang: str) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for v in active:
        for e in v.evidence:
            if e.event in seen or e.type == "availability.month":
                continue
            kind = e.type
            if e.type == "probe":
                kind = "probe.up" if e.data.get("up") else "probe.down"
            elif e.type == "message.sent":
                kind = "message.customer" if e.actor == "customer" else "message.vendor"
            listed = e.data.get("services")
            services = e.service or ", ".join(str(s) for s in (listed if isinstance(listed, list) else [])) \
                or ", ".join(v.services) or "—"
            what = fill(t["facts"].get(kind, e.type), {"service": services, "host": str(e.data.get("host", "—")),
                                                            "check": str(e.data.get("check", "—"))})
            quote = (e.text or "").strip().replace("\n", " ")
            seen[e.event] = {"at": e.at, "when": local(e.at, tz, lang), "what": what,
                             "quote": (quote[:_QUOTE] + "…" if len(quote) > _QUOTE else quote) or None}
    return sorted(seen.values(), key=lambda f: f["at"])


def _breaches(active: list[Violation], contract: Contract, library: RuleLibrary, lang: str, tz: str) -> list[_Breach]:
    by_clause: dict[str, _Breach] = {}
    texts = {c.id: c for c in contract.clauses}
    for v in active:
        rule = library.get(v.rule)
        trigger = next((e for e in v.evidence if e.role == "trigger"), v.evidence[0] if v.evidence else None)
        values = {"service": ", ".join(v.services) or "—", "first": local(trigger.at, tz, lang) if trigger else "",
                  "detected": local(v.at, tz, lang)}
        statement = fill(rule.letter.get(lang, v.summary) if rule else v.summary, values)  # type: ignore[call-overload]
        for c in v.clauses or []:
            clause = texts[c.id]
            entry = by_clause.setdefault(c.id, _Breach(c.id, clause.title, clause.text.strip()))
            if statement not in entry.statements:
                entry.statements.append(statement)
    order = [c.id for c in contract.clauses]
    return [by_clause[k] for k in order if k in by_clause]


def _demands(active: list[Violation], contract: Contract, t: dict[str, Any], lang: str) -> list[str]:
    kinds: dict[str, list[str]] = {}
    credit = credit_total(active)
    for v in active:
        for r in v.remedies:
            clauses = kinds.setdefault(r.kind, [])
            clauses += [c.id for c in v.clauses if c.id not in clauses]
    out = []
    for kind in t["demands"]:
        if kind not in kinds:
            continue
        amount = f"{format_amount(credit, contract.currency, lang)} {contract.currency}"
        out.append(fill(t["demands"][kind], {"amount": amount, "clauses": ", ".join(kinds[kind]) or "—"}))
    return out
