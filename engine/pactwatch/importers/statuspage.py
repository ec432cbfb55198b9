"""Status-page incidents (the widely used hosted format's ``incidents.json``) → ``status.claimed``.

Each incident update becomes a claim: ``resolved`` → resolved, ``monitoring`` → degraded,
``investigating``/``identified`` → investigating; the services are the update's affected
components (or the incident's components), the text is the update body. So a "resolved"
on the status page is checked against the probes like any other claim.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .._time import parse_stamp
from ..errors import Problem
from ..models.events import STATUS_WORDS
from .casefolder import CaseFolder
from .result import ImportResult, out_of_range

__all__ = ["import_statuspage", "STATUS"]

STATUS = STATUS_WORDS


def _objects(value: Any) -> list[dict[str, Any]]:
    """The objects of a list (anything else in an export's component lists is ignored)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def import_statuspage(path: Path, case: CaseFolder, *, vendor: str, incident: str | None = None,
                      components: dict[str, list[str]] | None = None, services: list[str] | None = None,
                      result: ImportResult | None = None) -> ImportResult:
    """``components`` maps a component's name to the contract's services it stands for; a status
    page names "E-Mail" or "Website Hosting", the contract "mail.kunde.de". A component that is
    neither mapped nor a service of the contract (``services``) is kept by its name, with a note
    saying how to map it: a claim about it is checked against nothing."""
    result = result or ImportResult()
    components = components or {}
    unknown: set[str] = set()
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))  # (a byte order mark is no JSON)
    except (OSError, ValueError, RecursionError) as exc:
        result.skip(Problem("statuspage-unreadable", f"not a status-page JSON file: {exc}", file=str(path)))
        return result
    incidents = data.get("incidents") if isinstance(data, dict) else None
    if not isinstance(incidents, list):
        result.skip(Problem("statuspage-unreadable", "no 'incidents' list", file=str(path)))
        return result
    case.keep_evidence(path, "statuspage")
    events: list[dict[str, Any]] = []
    for i, inc in enumerate(incidents, start=1):
        if not isinstance(inc, dict) or not isinstance(inc.get("incident_updates", []), list):
            result.skip(Problem("statuspage-incident-invalid", "an incident must be an object with an 'incident_updates' list",
                                file=f"{path}:incidents[{i}]"))
            continue
        listed = [str(c.get("name")) for c in _objects(inc.get("components")) if c.get("name")]
        for j, update in enumerate(inc.get("incident_updates", []), start=1):
            where = f"{path}:incidents[{i}].incident_updates[{j}]"
            if not isinstance(update, dict):
                result.skip(Problem("statuspage-update-invalid", "an update must be an object", file=where))
                continue
            status = STATUS.get(str(update.get("status", "")).lower())
            stamp = update.get("display_at") or update.get("created_at")
            if status is None:
                result.skip(Problem("statuspage-update-invalid", f"unknown status {update.get('status')!r}", file=where))
                continue
            try:
                moment = parse_stamp(str(stamp))
                if moment.tzinfo is None:
                    raise ValueError("no UTC offset")
                wrong = out_of_range(moment)
                if wrong:
                    raise ValueError(wrong)
            except (ValueError, OverflowError) as exc:
                result.skip(Problem("statuspage-update-invalid", f"time {stamp!r}: {exc}", file=where))
                continue
            named = [str(c.get("name")) for c in _objects(update.get("affected_components")) if c.get("name")] or listed
            affected = [svc for name in named for svc in components.get(name, [name])]
            for name in named:
                if services and name not in components and name not in services and name not in unknown:
                    unknown.add(name)
                    result.note(Problem("statuspage-component-unmapped",
                                        f"component {name!r} is not a service of the contract ({', '.join(services)}): "
                                        f"its claims are checked against nothing; name its services with "
                                        f"--component '{name}=SERVICE' (an import already made keeps its events: "
                                        f"delete the case's events/statuspage.jsonl and import again)", file=where))
            text = str(update.get("body") or inc.get("name") or "")
            # Without the page's own id, the content names the update: the same update imported from
            # two exports is one event, and two updates never share an id because of their position.
            own = update.get("id") if isinstance(update.get("id"), str | int) else None
            own = own or hashlib.sha256("\x1f".join(
                [str(inc.get("id") or inc.get("name") or ""), moment.isoformat(), status, text]).encode()).hexdigest()[:16]
            event = {"id": f"sp-{own}", "at": moment.isoformat(), "type": "status.claimed",
                     "vendor": vendor, "actor": "vendor", "source": f"status-page {inc.get('shortlink') or inc.get('id') or ''}".strip(),
                     "text": text, "data": {"status": status, "services": sorted({str(a) for a in affected})}}
            events.append(event)
    return case.store("statuspage.jsonl", events, result, incident)
