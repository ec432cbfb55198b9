"""Status-page incidents (the widely used hosted format's ``incidents.json``) → ``status.claimed``.

Each incident update becomes a claim: ``resolved`` → resolved, ``monitoring`` → degraded,
``investigating``/``identified`` → investigating; the services are the update's affected
components (or the incident's components), the text is the update body. So a "resolved"
on the status page is checked against the probes like any other claim.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .._time import parse_stamp
from ..errors import Problem
from .casefolder import CaseFolder
from .result import ImportResult

__all__ = ["import_statuspage", "STATUS"]

STATUS = {"resolved": "resolved", "postmortem": "resolved", "monitoring": "degraded", "identified": "investigating",
          "investigating": "investigating"}


def import_statuspage(path: Path, case: CaseFolder, *, vendor: str, incident: str | None = None,
                      result: ImportResult | None = None) -> ImportResult:
    result = result or ImportResult()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        result.skip(Problem("statuspage-unreadable", f"not a status-page JSON file: {exc}", file=str(path)))
        return result
    incidents = data.get("incidents") if isinstance(data, dict) else None
    if not isinstance(incidents, list):
        result.skip(Problem("statuspage-unreadable", "no 'incidents' list", file=str(path)))
        return result
    case.keep_evidence(path, "statuspage")
    events: list[dict[str, Any]] = []
    for i, inc in enumerate(incidents, start=1):
        components = [c.get("name") for c in inc.get("components", []) if c.get("name")]
        for j, update in enumerate(inc.get("incident_updates", []), start=1):
            where = f"{path}:incidents[{i}].incident_updates[{j}]"
            status = STATUS.get(str(update.get("status", "")).lower())
            stamp = update.get("display_at") or update.get("created_at")
            if status is None:
                result.skip(Problem("statuspage-update-invalid", f"unknown status {update.get('status')!r}", file=where))
                continue
            try:
                moment = parse_stamp(str(stamp))
                if moment.tzinfo is None:
                    raise ValueError("no UTC offset")
            except ValueError as exc:
                result.skip(Problem("statuspage-update-invalid", f"time {stamp!r}: {exc}", file=where))
                continue
            affected = [c.get("name") for c in update.get("affected_components") or [] if c.get("name")] or components
            event = {"id": f"sp-{update.get('id') or f'{i}-{j}'}", "at": moment.isoformat(), "type": "status.claimed",
                     "vendor": vendor, "actor": "vendor", "source": f"status-page {inc.get('shortlink') or inc.get('id') or ''}".strip(),
                     "text": str(update.get("body") or inc.get("name") or ""),
                     "data": {"status": status, "services": sorted(set(affected))}}
            events.append(event)
    return case.store("statuspage.jsonl", events, result, incident)
