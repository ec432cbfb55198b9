"""A demand letter drafted from the findings: facts, clauses breached, demands, reply deadline.

Everything the engine cannot know (sender, addresses, signatory) is a visible
``[placeholder]``. The letter's wording is in the gettext catalogs (``letter.*`` ids, see
``i18n``); each breach is stated by its finding's ``statement`` (the rule's ``letter``
sentence, filled with the finding's figures and the vendor's own words when it was found).
The letter is in the contract's language: to write it in another, evaluate with a copy of
the contract in that language (the CLI's ``--lang`` does).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import markdown
from markupsafe import Markup

from .. import i18n
from .._template import fill
from .._time import parse_stamp
from ..models.contract import Contract
from ..models.report import Report, Violation
from ..remedies.waivers import is_active
from ._common import credit_total, local, markdown_environment, text_environment
from .escaping import markdown_text, terminal_text

__all__ = ["render_letter", "LETTER_FORMATS"]

LETTER_FORMATS = ("md", "html", "txt")
_QUOTE = 300


def _wording(lang: str) -> dict[str, Any]:
    t: dict[str, Any] = {k: v for k, v in i18n.section(lang, "letter").items() if "." not in k}
    t["demands"] = i18n.section(lang, "letter.demands")
    t["facts"] = i18n.section(lang, "letter.facts")
    t["quotes"] = (t["quote_open"], t["quote_close"])
    return t


@dataclass
class _Clause:
    id: str
    title: str
    text: str


@dataclass
class _Breach:
    """One paragraph: the clauses a group of findings breaches together, and what happened."""

    clauses: list[_Clause]
    statements: list[str] = field(default_factory=list)


def render_letter(report: Report, contract: Contract, *, fmt: str,
                  letter_date: date | None = None, reply_days: int = 14) -> str:
    lang = contract.language
    t = _wording(lang)
    tz = contract.timezone
    # A finding no clause covers is in the report, not in a claim under the contract.
    active = [v for v in report.violations if is_active(v) and v.clauses]
    incidents = sorted({v.incident for v in active if v.incident}) or ["—"]
    if letter_date is None:
        end = max((c.end for c in report.cases or []), default=None) or max((v.at for v in active), default=None)
        letter_date = (parse_stamp(end).astimezone(ZoneInfo(tz)).date()
                       if end else date(1970, 1, 1))
    values = {"contract": contract.id, "incident": i18n.listing(incidents, lang), "date": i18n.day(letter_date, lang),
              "deadline": i18n.day(letter_date + timedelta(days=reply_days), lang)}
    # Markdown (also the source of the HTML letter) escapes every value; plain text shows controls.
    # The letter's own wording is trusted (Markup); what is filled into it is escaped first.
    body = text_environment() if fmt == "txt" else markdown_environment()
    clean = terminal_text if fmt == "txt" else markdown_text
    filled = {k: clean(v) for k, v in values.items()}
    # The letter's own wording (the package's catalogs) is trusted markup; every value filled
    # into it was escaped above. ruff's S704 cannot tell the two apart.
    own = {k: Markup(v) if isinstance(v, str) else v for k, v in t.items()}  # noqa: S704
    breaches, demands = _breaches(active, contract), _demands(active, contract, t, lang, letter_date)
    # Nothing left to claim (a late apology was given late, but given): a notice of breach, not a claim.
    notice = not demands
    one = len(breaches) == 1 and len(breaches[0].statements) == 1
    subject = t["subject_notice"] if notice else t["subject"]
    intro = t["intro_notice"] if notice else t["intro_one"] if one else t["intro"]
    text = body.get_template("letter.md.j2").render(
        fmt="md" if fmt == "html" else fmt, t=own, subject=Markup(fill(subject, filled, lang)),  # noqa: S704
        intro=Markup(fill(intro, filled, lang)), place_date=Markup(fill(t["place_date"], filled, lang)),  # noqa: S704
        deadline=Markup(fill(t["deadline_notice"] if notice else t["deadline"], filled, lang)),  # noqa: S704
        facts=_facts(active, t, tz, lang), breaches=breaches, demands=demands)
    if fmt == "html":
        title, body_html = html.escape(fill(subject, values, lang)), markdown.markdown(text)
        return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
                "<style>@page{size:A4;margin:20mm 22mm}body{font-family:\"DejaVu Serif\",serif;max-width:170mm;margin:0 auto;"
                "line-height:1.5}</style></head><body>\n"
                f"{body_html}\n</body></html>\n")
    return text


def _facts(active: list[Violation], t: dict[str, Any], tz: str, lang: str) -> list[dict[str, Any]]:
    """The events the findings rest on, in time order; checks of several services at one time and
    with one result are one line."""
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    seen: set[str] = set()
    for v in active:
        for e in v.evidence:
            if e.event in seen or e.type == "availability.month":
                continue
            seen.add(e.event)
            kind = e.type
            if e.type == "probe":
                kind = "probe.up" if e.data.get("up") else "probe.down"
            elif e.type == "message.sent":
                kind = "message.customer" if e.actor == "customer" else "message.vendor"
            listed = e.data.get("services")
            services = [e.service] if e.service else [str(s) for s in listed] if isinstance(listed, list) else []
            key = (e.at, kind, str(e.data.get("check", ""))) if e.type == "probe" else (e.at, kind, e.event)
            row = rows.setdefault(key, {"at": e.at, "when": local(e.at, tz, lang), "kind": kind, "services": [],
                                        "host": str(e.data.get("host", "—")), "check": str(e.data.get("check", "—")),
                                        "fallback": v.services, "quote": None})
            row["services"] += [s for s in services if s not in row["services"]]
            quote = (e.text or "").strip().replace("\n", " ")
            if quote:
                row["quote"] = quote[:_QUOTE] + "…" if len(quote) > _QUOTE else quote
    out = []
    for key in sorted(rows):
        row = rows[key]
        listed = i18n.listing(sorted(row["services"]) or row["fallback"], lang) or "—"
        what = fill(t["facts"].get(row["kind"], row["kind"]), {"service": listed, "host": row["host"],
                                                              "check": row["check"]}, lang)
        out.append({"at": row["at"], "when": row["when"], "what": what, "quote": row["quote"]})
    return out


def _breaches(active: list[Violation], contract: Contract) -> list[_Breach]:
    """One paragraph per group of clauses breached together (an availability finding breaches the
    availability and the credit clause at once: one paragraph, not the same sentence twice)."""
    order = _clause_order(contract)
    texts = {c.id: c for c in contract.clauses}
    groups: dict[tuple[str, ...], _Breach] = {}
    for v in active:
        key = tuple(sorted((c.id for c in v.clauses), key=lambda cid: order.get(cid, ((), len(order)))))
        entry = groups.setdefault(key, _Breach([_Clause(cid, texts[cid].title, texts[cid].text.strip()) for cid in key]))
        # the finding's letter sentence was filled when it was found, in the contract's language;
        # a rule without one is stated by its summary
        statement = v.statement or v.summary
        if statement not in entry.statements:
            entry.statements.append(statement)
    return [groups[k] for k in sorted(groups, key=lambda k: [order.get(c, ((), len(order))) for c in k])]


def _clause_order(contract: Contract) -> dict[str, tuple[tuple[int, ...], int]]:
    """Clauses in the order a lawyer cites them: by their numbers (§3.1 before §5.1 before §10.2),
    the contract's own order among equals."""
    return {c.id: (tuple(int(n) for n in re.findall(r"\d+", c.id)), i) for i, c in enumerate(contract.clauses)}


def _demands(active: list[Violation], contract: Contract, t: dict[str, Any], lang: str, letter_date: date) -> list[str]:
    """What the customer asks for, each with the clauses it rests on, in the wording's order."""
    order = _clause_order(contract)
    kinds: dict[str, list[str]] = {}
    for v in active:
        for r in v.remedies:
            # a rule may word its demand of a kind more exactly ("notice.missed-update": status updates,
            # not notice before suspension); the kind's general wording otherwise
            key = f"{r.kind}.{v.rule}" if f"{r.kind}.{v.rule}" in t["demands"] else r.kind
            clauses = kinds.setdefault(key, [])
            clauses += [c.id for c in v.clauses if c.id not in clauses]
    out = []
    credit = credit_total(active)
    amount = i18n.money(credit, contract.currency, lang)
    for kind, wording in t["demands"].items():
        if not kinds.get(kind):
            continue
        if kind == "service_credit" and credit <= 0:
            continue
        if kind == "availability" and "service_credit" in kinds:
            continue  # the credit already counts the downtime against the commitment
        clauses = sorted(kinds[kind], key=lambda cid: order.get(cid, ((), len(order))))
        text = fill(wording, {"amount": amount, "clauses": i18n.listing(clauses, lang)}, lang)
        if kind == "service_credit":
            text += _claim_periods(active, t, lang, letter_date)
        out.append(text)
    return out


def _claim_periods(active: list[Violation], t: dict[str, Any], lang: str, letter_date: date) -> str:
    """The contract's claim deadline of each credit, and whether this letter still meets it."""
    days = sorted({r.claim_by for v in active for r in v.remedies if r.kind == "service_credit" and r.claim_by})
    if not days:
        return ""
    parts = [fill(t["claim_late"] if date.fromisoformat(d) < letter_date else t["claim_by"],
                  {"date": i18n.day(date.fromisoformat(d), lang)}, lang) for d in days]
    return "; " + "; ".join(parts)
