"""E-mail → ``message.sent`` events, with Python's ``email`` package doing all header work.

Each mail keeps its evidence: the raw file is copied to the case's ``evidence/mail``;
the event's id is derived from the Message-ID, so importing the same mail again adds
nothing. Quoted history stays in the text but is marked with ``> `` so that message
analysis attributes it to the party quoted, not to the sender.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import functools
import hashlib
import mailbox
import re
from collections.abc import Iterator
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from .._yaml import load_yaml
from ..errors import PactwatchError, Problem
from .casefolder import CaseFolder
from .result import ImportResult, out_of_range

__all__ = ["import_mail", "mail_id", "mark_quotes", "read_messages"]

KINDS = ("complaint", "reply", "update", "notice", "other")


@functools.lru_cache(maxsize=1)
def _config() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(Path(__file__).with_name("mail.yaml")).data
    data["_markers"] = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in data["quote_markers"]]
    return data


def mail_id(message_id: str) -> str:
    return "mail-" + hashlib.sha256(message_id.strip().strip("<>").encode()).hexdigest()[:16]


def read_messages(source: Path) -> Iterator[tuple[str, bytes]]:
    """(label, raw bytes) for a .eml file, a folder of them, or an mbox file."""
    if source.is_dir():
        for path in sorted(source.glob("*.eml")):
            yield str(path), path.read_bytes()
    elif source.suffix.lower() == ".eml":
        yield str(source), source.read_bytes()
    else:
        box = mailbox.mbox(str(source), create=False)
        try:
            for i, key in enumerate(box.keys(), start=1):
                yield f"{source}#{i}", box.get_bytes(key)
        finally:
            box.close()


def mark_quotes(text: str) -> str:
    """Prefix quoted history with '> ': from the first quote marker on, and '>' lines as they are."""
    markers = _config()["_markers"]
    start = min((m.start() for p in markers if (m := p.search(text))), default=None)
    own, quoted = (text, "") if start is None else (text[:start], text[start:])
    lines = [*own.splitlines(), *[ln if ln.lstrip().startswith(">") else "> " + ln for ln in quoted.splitlines()]]
    return "\n".join(lines).strip()


def _own_words(text: str) -> str:
    return "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith(">")).lower()


def _date(msg: EmailMessage, label: str, result: ImportResult) -> datetime | None:
    try:
        header = msg["Date"]
        when: datetime | None = getattr(header, "datetime", None) if header is not None else None
    except (TypeError, ValueError, OverflowError):  # "Mon, 2 Mar 99999999999 08:00"
        when = None
    if when is not None and when.tzinfo is not None:
        wrong = out_of_range(when)
        if wrong is None:
            return when
        result.note(Problem("mail-date-out-of-range", f"Date header: {wrong}", file=label))
    for received in msg.get_all("Received", []) or []:
        try:
            candidate = email.utils.parsedate_to_datetime(str(received).rsplit(";", 1)[-1].strip())
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
        if candidate.tzinfo is not None and out_of_range(candidate) is None:
            result.note(Problem("mail-date-from-received", "missing or broken Date header: time taken from Received",
                                file=label))
            return candidate
    result.skip(Problem("mail-no-date", "no usable Date or Received header", file=label))
    return None


def _text(msg: EmailMessage, label: str, result: ImportResult) -> str:
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, UnicodeError, ValueError, AssertionError):
        # An unknown or lying charset: the bytes, read as UTF-8 where they are, beat no text.
        raw = body.get_payload(decode=True)
        content = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(body.get_payload())
        result.note(Problem("mail-charset-unknown", f"charset {body.get_content_charset()!r} unknown or wrong: "
                            "text read as UTF-8 (unreadable bytes replaced)", file=label))
    if body.get_content_type() == "text/html":
        content = BeautifulSoup(content, "html.parser").get_text("\n")
    lines = [ln.rstrip() for ln in content.replace("\r\n", "\n").splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _actor(address: str, vendor_domains: list[str], customer_domains: list[str]) -> str | None:
    domain = address.rsplit("@", 1)[-1].lower()
    if any(domain == d or domain.endswith("." + d) for d in vendor_domains):
        return "vendor"
    if any(domain == d or domain.endswith("." + d) for d in customer_domains):
        return "customer"
    return None


def import_mail(sources: list[Path], case: CaseFolder, *, vendor: str, vendor_domains: list[str],
                customer_domains: list[str], incident: str | None = None, kinds: dict[str, str] | None = None,
                result: ImportResult | None = None) -> ImportResult:
    result = result or ImportResult()
    cfg = _config()
    parsed: list[dict[str, Any]] = []
    for source in sources:
        if not source.exists():
            result.skip(Problem("file-not-found", "no such mail file or folder", file=str(source)))
            continue
        try:
            messages = list(read_messages(source))
        except (OSError, mailbox.Error) as exc:
            result.skip(Problem("mail-unreadable", f"cannot read as .eml or mbox: {exc}", file=str(source)))
            continue
        if source.is_file():
            case.keep_evidence(source, "mail")
        else:
            for path in sorted(source.glob("*.eml")):
                case.keep_evidence(path, "mail")
        for label, raw in messages:
            try:
                item = _parse(raw, label, vendor_domains, customer_domains, result)
            except PactwatchError:
                raise
            except Exception as exc:  # noqa: BLE001 - the stdlib parser's failures on one broken mail are that mail's
                result.skip(Problem("mail-unparseable", f"cannot read this message: {type(exc).__name__}: {exc}",
                                    file=label))
                continue
            if item is not None:
                parsed.append(item)
    known_ids = case.existing_ids("mail.jsonl") | {p["id"] for p in parsed}
    actor_of = {p["id"]: p["actor"] for p in parsed}
    events = []
    for p in sorted(parsed, key=lambda p: (p["when"], p["id"])):
        replied = next((mail_id(r) for r in reversed(p["refs"]) if mail_id(r) in known_ids), None)
        kind = (kinds or {}).get(p["message_id"].strip("<>")) or _kind(p, replied, actor_of, cfg)
        data: dict[str, Any] = {"kind": kind, "channel": "email"}
        if replied:
            data["in_reply_to"] = replied
        if p["subject"]:
            data["subject"] = p["subject"]
        if p["attachments"]:
            data["attachments"] = p["attachments"]
        if p["auto"]:
            data["auto"] = True
        event = {"id": p["id"], "at": p["when"].isoformat(), "type": "message.sent", "vendor": vendor,
                 "source": p["source"], "text": p["text"], "data": data}
        if p["actor"]:
            event["actor"] = p["actor"]
        events.append(event)
    return case.store("mail.jsonl", events, result, incident)


def _kind(p: dict[str, Any], replied: str | None, actor_of: dict[str, str | None], cfg: dict[str, Any]) -> str:
    # A reply's subject repeats the thread's first subject: only a thread starter's subject counts.
    subject = (p["subject"] or "") if not p["refs"] else ""
    words = _own_words(p["text"] + "\n" + subject)
    if p["actor"] == "customer":
        if replied is None or any(c in words for c in cfg["complaint_cues"]):
            return "complaint"
        return "update"
    if p["actor"] == "vendor":
        if replied is not None and actor_of.get(replied, "customer") in ("customer", None):
            return "reply"
        if any(c in words for c in cfg["notice_cues"]):
            return "notice"
        return "update"
    return "other"


def _parse(raw: bytes, label: str, vendor_domains: list[str], customer_domains: list[str],
           result: ImportResult) -> dict[str, Any] | None:
    """One message's fields, or None when it cannot become an event (the reason is in ``result``)."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    message_id = str(msg.get("Message-ID") or "").strip()
    if not message_id:
        message_id = "<" + hashlib.sha256(raw).hexdigest()[:24] + "@pactwatch.local>"
        result.note(Problem("mail-no-message-id", "no Message-ID: id derived from the content", file=label))
    where = f"{label} {message_id}"
    when = _date(msg, where, result)
    if when is None:
        return None
    sender = msg["From"].addresses[0].addr_spec if msg["From"] and msg["From"].addresses else ""
    actor = _actor(sender, vendor_domains, customer_domains)
    if actor is None:
        result.note(Problem("mail-unknown-sender", f"sender {sender or '(none)'} is neither a vendor nor a "
                            "customer domain: actor left empty", file=where))
    refs = re.findall(r"<[^>]+>", f"{msg.get('In-Reply-To') or ''} {msg.get('References') or ''}")
    return {"id": mail_id(message_id), "message_id": message_id, "when": when, "actor": actor,
            "text": mark_quotes(_text(msg, where, result)), "subject": str(msg.get("Subject") or "") or None,
            "refs": refs, "attachments": sorted(a.get_filename() or "(unnamed)" for a in msg.iter_attachments()),
            "source": f"email {Path(label).name} {message_id}",
            # RFC 3834: anything but "no" marks a message no person wrote
            "auto": str(msg.get("Auto-Submitted") or "no").strip().lower() not in ("", "no")}
