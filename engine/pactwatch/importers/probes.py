"""Monitoring exports → ``probe`` events: a generic CSV/JSON mapping and presets.

Presets read the documented export formats of two widely used services:

- ``uptimerobot``: the JSON of UptimeRobot's ``getMonitors`` API with ``logs=1``
  (``monitors[].logs[]`` with ``type`` 1 = down, 2 = up, ``datetime`` in Unix seconds,
  ``reason.code``/``reason.detail``); the service is the monitor URL's host name;
- ``pingdom``: the JSON of Pingdom's ``results`` API (``results[]`` with ``time`` in Unix
  seconds, ``status`` up/down/unconfirmed_down/unknown, ``statusdesc``); name the service
  with ``--service``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .._time import parse_stamp
from ..errors import Problem
from ..ingest.stream import localize
from .casefolder import CaseFolder
from .result import ImportResult, out_of_range

__all__ = ["import_probes", "PRESETS", "FIELDS"]

PRESETS = ("generic", "uptimerobot", "pingdom")
#: What a generic column can be mapped to (``--map column=field``).
FIELDS = ("timestamp", "service", "up", "check", "detail")
#: URL schemes that name a probe's check kind
_SCHEME_CHECKS = frozenset({"http", "https", "smtp", "imap", "pop3", "dns", "ftp"})
_UP = {"up", "ok", "true", "yes", "1", "success", "online", "erreichbar", "verfügbar", "in ordnung", "aktiv"}
_DOWN = {"down", "false", "no", "0", "error", "fail", "failed", "timeout", "offline", "unconfirmed_down",
         "fehler", "gestört", "störung", "ausgefallen", "nicht erreichbar", "nicht verfügbar"}
#: a day-first local time as German, Swiss and Austrian exports write it: 15.06.2026 08:05[:30]
_DAY_FIRST = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?")
_CHECKS = {"http", "https", "smtp", "imap", "pop3", "dns", "ftp", "db", "panel", "other"}


def _state(value: Any) -> bool | None:
    text = str(value).strip().lower()
    if text in _UP:
        return True
    if text in _DOWN:
        return False
    if text.isdigit() and len(text) == 3:
        return 200 <= int(text) < 400
    return None


def _time(value: Any, tz: str) -> datetime:
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()):
        return datetime.fromtimestamp(float(value), UTC)
    text = str(value).strip()
    day_first = _DAY_FIRST.fullmatch(text)
    if day_first:
        d, mo, y, h, mi, sec = day_first.groups()
        text = f"{y}-{int(mo):02d}-{int(d):02d}T{int(h):02d}:{mi}:{sec or '00'}"
    moment = parse_stamp(text)
    return moment if moment.tzinfo else datetime.fromisoformat(localize(text, tz))


class _Shape(ValueError):
    """The export is not shaped as its format says (named by its JSON path)."""


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except RecursionError:
        raise _Shape("nested too deeply to read") from None


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Shape(f"{where} must be a list, not {type(value).__name__}")
    return value


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Shape(f"{where} must be an object, not {type(value).__name__}")
    return value


def _generic_rows(path: Path) -> list[tuple[str, dict[str, Any]]]:
    if path.suffix.lower() == ".json":
        data = _json(path)
        rows = data if isinstance(data, list) else next((v for v in _object(data, "the file").values()
                                                          if isinstance(v, list)), [])
        return [(f"{path}:item {i}", r) for i, r in enumerate(rows, start=1)]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # Excel's "CSV" on Windows is Windows-1252, not UTF-8
        text = raw.decode("cp1252", errors="replace")
    try:  # Excel in German-speaking countries writes ";" (the comma is the decimal point there)
        delimiter = csv.Sniffer().sniff(text.partition("\n")[0], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    table = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(f"{path}:{i}", dict(r)) for i, r in enumerate(table, start=2)]


def _records(path: Path, preset: str, mapping: dict[str, str], service: str | None, check: str,
             result: ImportResult) -> list[tuple[str, dict[str, Any]]]:
    """(where, {timestamp, service, up, check, detail}) per row; a row of the wrong shape is skipped."""
    out = []
    if preset == "uptimerobot":
        data = _object(_json(path), "the file")
        for m, monitor in enumerate(_list(data.get("monitors", []), "'monitors'"), start=1):
            if not isinstance(monitor, dict) or not isinstance(monitor.get("logs", []), list):
                result.skip(Problem("probe-row-invalid", "a monitor must be an object with a 'logs' list",
                                    file=f"{path}:monitors[{m}]"))
                continue
            url = urlparse(str(monitor.get("url", "")))
            host = url.hostname or monitor.get("friendly_name")
            # the monitor's URL says what it checks (smtp://mail.kunde.de is an smtp check)
            watched = url.scheme.lower() if url.scheme.lower() in _SCHEME_CHECKS else check
            for i, log in enumerate(monitor.get("logs", []), start=1):
                where = f"{path}:monitors[{m}].logs[{i}]"
                if not isinstance(log, dict) or log.get("type") not in (1, 2):
                    kind = log.get("type") if isinstance(log, dict) else log
                    result.skip(Problem("probe-not-a-state", f"log type {kind!r} is neither down (1) nor up (2)",
                                        file=where))
                    continue
                reason: dict[str, Any] = log["reason"] if isinstance(log.get("reason"), dict) else {}
                out.append((where, {"timestamp": log.get("datetime"), "service": service or host, "up": log["type"] == 2,
                                    "check": watched, "detail": " ".join(str(x) for x in (reason.get("code"), reason.get("detail")) if x) or None}))
        return out
    if preset == "pingdom":
        data = _object(_json(path), "the file")
        for i, r in enumerate(_list(data.get("results", []), "'results'"), start=1):
            row = r if isinstance(r, dict) else {}  # not an object: skipped below with "cannot tell up from down"
            out.append((f"{path}:results[{i}]", {"timestamp": row.get("time"), "service": service, "up": row.get("status"),
                                                 "check": check, "detail": row.get("statusdesc")}))
        return out
    for where, row in _generic_rows(path):
        if not isinstance(row, dict):
            result.skip(Problem("probe-row-invalid", f"a row must be an object, not {type(row).__name__}", file=where))
            continue
        rec: dict[str, Any] = {}
        for column, field in mapping.items():
            if column in row:
                rec[field] = row[column]
        for field in FIELDS:  # columns already named like the fields
            if field in row and field not in rec:
                rec[field] = row[field]
        # --service and --check are for rows that name none (a column of that name wins)
        rec["service"] = rec.get("service") or service
        rec["check"] = rec.get("check") or check
        out.append((where, rec))
    return out


def import_probes(path: Path, case: CaseFolder, *, vendor: str, tz: str, preset: str = "generic",
                  mapping: dict[str, str] | None = None, service: str | None = None, check: str = "https",
                  collapse: bool = False, incident: str | None = None, result: ImportResult | None = None) -> ImportResult:
    """``collapse`` and the uptimerobot preset (whose logs are changes of state) mark their probes
    ``state_change``: the state held until the next probe of that service and check."""
    result = result or ImportResult()
    changes_only = collapse or preset == "uptimerobot"
    if not path.is_file():
        result.skip(Problem("file-not-found", "no such export file", file=str(path)))
        return result
    try:
        records = _records(path, preset, mapping or {}, service, check, result)
    except (ValueError, OSError, UnicodeDecodeError, csv.Error) as exc:
        result.skip(Problem("probes-unreadable", f"cannot read as {preset} export: {exc}", file=str(path)))
        return result
    case.keep_evidence(path, "monitoring")
    events: list[dict[str, Any]] = []
    last_state: dict[tuple[str, str], bool] = {}
    parsed: list[tuple[datetime, str, dict[str, Any], bool]] = []
    for where, rec in records:
        state = rec.get("up") if isinstance(rec.get("up"), bool) else _state(rec.get("up", ""))
        problem = None
        if not rec.get("service"):
            problem = "no service (map a column to 'service' or pass --service)"
        elif state is None:
            problem = f"cannot tell up from down in {rec.get('up')!r}"
        elif str(rec.get("check", "")).lower() not in _CHECKS:
            problem = f"check kind {rec.get('check')!r} is not one of {', '.join(sorted(_CHECKS))}"
        elif not isinstance(rec["service"], str):
            problem = f"service {rec['service']!r} is not a name"
        if problem is None:
            try:
                moment = _time(rec.get("timestamp"), tz)
                problem = out_of_range(moment)
            except (TypeError, ValueError, OverflowError, OSError) as exc:
                problem = f"timestamp {rec.get('timestamp')!r}: {exc}"
        if problem is not None:
            result.skip(Problem("probe-row-invalid", problem, file=where))
            continue
        parsed.append((moment, where, rec, bool(state)))
    for moment, _where, rec, state in sorted(parsed, key=lambda t: (t[0], t[1])):
        key = (rec["service"], str(rec["check"]).lower())
        if collapse and last_state.get(key) == state:
            continue
        last_state[key] = state
        digest = hashlib.sha256(f"{key}|{moment.isoformat()}|{state}".encode()).hexdigest()[:16]
        data: dict[str, Any] = {"check": key[1], "up": state}
        if rec.get("detail"):
            data["detail"] = str(rec["detail"])
        if changes_only:
            data["state_change"] = True
        event = {"id": f"probe-{digest}", "at": moment.isoformat(), "type": "probe", "vendor": vendor,
                 "service": rec["service"], "actor": "monitor", "source": f"monitoring {path.name}", "data": data}
        events.append(event)
    return case.store("probes.jsonl", events, result, incident)
