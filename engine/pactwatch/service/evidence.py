"""Evidence uploaded over HTTP, turned into events by the same importers as ``pactwatch import``.

The importers work on a case folder; here each upload gets a throwaway one in a temporary
directory, holding the case's contract and the ids of the events already stored (so a reply is
threaded to a mail posted earlier, and an export sent twice adds nothing). What the importer
writes is validated and stored like any posted batch; what it skipped is answered with its
reasons. Nothing of the upload stays on disk.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from ..errors import PactwatchError, Problem
from ..importers.casefolder import CaseFolder
from ..importers.result import ImportResult
from ..models import Contract
from .store import StoredEvent

__all__ = ["EvidenceOptions", "KINDS", "import_evidence", "parse_options"]

Kind = Literal["mail", "probes", "statuspage"]
KINDS: tuple[str, ...] = ("mail", "probes", "statuspage")
_TARGET = {"mail": "mail.jsonl", "probes": "probes.jsonl", "statuspage": "statuspage.jsonl"}
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class EvidenceOptions:
    """What ``pactwatch import`` takes as options, per kind (unused ones are ignored)."""

    vendor_domains: list[str] = field(default_factory=list)
    customer_domains: list[str] = field(default_factory=list)
    preset: str = "generic"
    mapping: dict[str, str] = field(default_factory=dict)
    service: str | None = None
    check: str = "https"
    collapse: bool = False
    timezone: str | None = None
    components: dict[str, list[str]] = field(default_factory=dict)
    incident: str | None = None


def _filename(name: str | None, kind: str) -> str:
    """The upload's name, reduced to a safe base name (its suffix tells .eml from mbox, CSV from JSON)."""
    base = _SAFE.sub("_", Path(name or "").name).strip("._") or f"upload-{kind}"
    return base[:120]


def import_evidence(contract: Contract, contract_text: str, stored: list[StoredEvent], kind: str, filename: str | None,
                    body: bytes, options: EvidenceOptions) -> tuple[list[dict[str, object]], ImportResult]:
    """The new events an upload yields (not yet stored), and the importer's account of it."""
    if kind not in KINDS:
        raise PactwatchError(Problem("usage", f"unknown evidence kind {kind!r}; use one of {', '.join(KINDS)}",
                                     file="request", field="kind"))
    if kind == "mail" and not options.vendor_domains:
        raise PactwatchError(Problem("usage", "mail needs the vendor's mail domain(s) (vendor_domain) to tell who wrote",
                                     file="request", field="vendor_domain"))
    result = ImportResult()
    with tempfile.TemporaryDirectory(prefix="pactwatch-evidence-") as tmp:
        root = Path(tmp) / "case"
        (root / "events").mkdir(parents=True)
        (root / "contract.yaml").write_text(contract_text, encoding="utf-8")
        target = _TARGET[kind]
        known = {row.event_id for row in stored}
        # the stored events' ids: a mail replying to one of them is threaded, a repeat is a duplicate
        (root / "events" / target).write_text("".join(json.dumps(row.body, sort_keys=True) + "\n" for row in stored),
                                              encoding="utf-8")
        source = Path(tmp) / _filename(filename, kind)
        source.write_bytes(body)
        case = CaseFolder(root)
        if kind == "mail":
            from ..importers.mail import import_mail

            import_mail([source], case, vendor=contract.vendor, vendor_domains=[d.lower() for d in options.vendor_domains],
                        customer_domains=[d.lower() for d in options.customer_domains], incident=options.incident,
                        result=result)
        elif kind == "probes":
            from ..importers.probes import import_probes

            import_probes(source, case, vendor=contract.vendor, tz=options.timezone or contract.timezone,
                          preset=options.preset, mapping=options.mapping, service=options.service, check=options.check,
                          collapse=options.collapse, incident=options.incident, result=result)
        else:
            from ..importers.statuspage import import_statuspage

            import_statuspage(source, case, vendor=contract.vendor, incident=options.incident,
                              components=options.components, services=contract.services, result=result)
        lines = (root / "events" / target).read_text(encoding="utf-8").splitlines()
        fresh = [record for line in lines if line.strip()
                 if (record := json.loads(line)).get("id") not in known]
    # the uploaded file's path inside the temporary folder means nothing to the caller
    result.skipped = [_relabel(p, source, filename) for p in result.skipped]
    result.notes = [_relabel(p, source, filename) for p in result.notes]
    if not fresh and not result.duplicates:
        # as `pactwatch import` says it: an upload that yields nothing is an error, with the reasons
        reason = "every item was skipped" if result.skipped else "the file held nothing to import"
        raise PactwatchError([Problem("import-empty", f"nothing was imported: {reason}", file=filename or kind),
                              *result.skipped])
    return fresh, result


def _relabel(problem: Problem, source: Path, filename: str | None) -> Problem:
    if problem.file and str(source) in problem.file:
        return replace(problem, file=problem.file.replace(str(source), filename or source.name))
    return problem


def parse_options(*, vendor_domains: list[str], customer_domains: list[str], preset: str, mapping: list[str],
                  service: str | None, check: str, collapse: bool, timezone: str | None, components: list[str],
                  incident: str | None) -> EvidenceOptions:
    """The import options as a request gives them (``COLUMN=FIELD``, ``NAME=SERVICE,SERVICE``), checked as
    the CLI checks them."""
    from ..importers.probes import FIELDS

    problems = []
    if preset not in ("generic", "uptimerobot", "pingdom"):
        problems.append(Problem("usage", f"format {preset!r}: use generic, uptimerobot or pingdom", file="request",
                                field="format"))
    columns: dict[str, str] = {}
    for item in mapping:
        column, _, value = item.partition("=")
        if not column.strip() or value not in FIELDS:
            problems.append(Problem("usage", f"map {item!r}: write COLUMN=FIELD, FIELD one of {', '.join(FIELDS)}",
                                    file="request", field="map"))
        else:
            columns[column.strip()] = value
    mapped: dict[str, list[str]] = {}
    for item in components:
        name, _, services = item.partition("=")
        listed = [x.strip() for x in services.split(",") if x.strip()]
        if not name.strip() or not listed:
            problems.append(Problem("usage", f"component {item!r}: write NAME=SERVICE (several: NAME=SERVICE,SERVICE)",
                                    file="request", field="component"))
        else:
            mapped[name.strip()] = listed
    if problems:
        raise PactwatchError(problems)
    return EvidenceOptions(vendor_domains=[d.strip() for d in vendor_domains if d.strip()],
                           customer_domains=[d.strip() for d in customer_domains if d.strip()], preset=preset,
                           mapping=columns, service=service or None, check=check, collapse=collapse,
                           timezone=timezone or None, components=mapped, incident=incident or None)
