"""Per-case service state in event time: outages, their intervals, and where services run.

This is what turns single observations into the things contracts talk about: an
outage starts with a suspension, a host failure or the first failing probe, and ends
with a restoration or the first passing probe. The tracker also remembers which host
a service was last placed on (from changes and host failures), so a probe of a service
can be related to a change on its host, and which services each host's changes were
for: a change's targets are the services a request for it names, or, when nobody
requested it (a vendor's fleet update), the services it was deployed to. Collateral
damage is an outage of any *other* service on that host.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .._time import stamp_epoch

__all__ = ["OutageTracker", "Outage", "Span", "Window", "DOWN_TYPES", "UP_TYPES", "maintenance_window", "merge_outages",
           "without_windows",
           "monthly_downtime", "MonthDown", "month_end"]

DOWN_TYPES = frozenset({"service.suspended", "host.failed"})
UP_TYPES = frozenset({"service.restored"})


@dataclass(frozen=True)
class Outage:
    service: str
    start: float
    end: float
    cause: str  # event id that opened it
    cause_type: str


#: what kind of service a check observes, and what the first label of a service's name says it is:
#: a claim that names a kind ("die Webseite", "mail") applies to the services of that kind
KIND_OF_CHECK = {"http": "web", "https": "web", "smtp": "mail", "imap": "mail", "pop3": "mail"}
KIND_OF_LABEL = {"www": "web", "web": "web", "shop": "web", "api": "api", "mail": "mail", "mx": "mail", "smtp": "mail",
                 "imap": "mail", "pop": "mail", "pop3": "mail", "webmail": "mail"}


class OutageTracker:
    def __init__(self) -> None:
        self._kinds: dict[str, set[str]] = {}
        #: services a state-change monitor shows down (its last word on them was "down")
        self._held_down: set[str] = set()
        self._down: dict[str, tuple[float, str, str]] = {}
        self._seen: set[str] = set()
        self._hosts: dict[str, str] = {}
        self._last_start: dict[str, float] = {}
        self._requested: dict[str, list[str]] = {}
        self._targets: dict[str, set[str]] = {}
        #: maintenance windows announced before they start
        self._windows: list[Window] = []
        #: services whose open outage began inside an announced window: the window's end, and
        #: whether an event past that end has already been marked as the overrun
        self._planned: dict[str, tuple[float, bool]] = {}
        #: the latest warning or suspension notice per service (None: one naming no service)
        self._warned: dict[str | None, float] = {}
        self.closed: list[Outage] = []
        #: the services whose planned outage the last observed event shows past its window
        self.overran: list[str] = []

    def note_change(self, event_type: str, change: str | None, host: str | None, services: list[str]) -> None:
        """Remember what a change is for: the requested services, else those it was deployed to."""
        if not change:
            return
        if event_type == "change.requested" and services:
            self._requested.setdefault(change, []).extend(services)
        elif event_type == "change.completed" and host:
            self._targets.setdefault(host, set()).update(self._requested.get(change) or services)

    def change_target(self, service: str, host: str) -> bool | None:
        """Was ``service`` a target of a change deployed onto ``host``? None: no change on that host."""
        targets = self._targets.get(host)
        return None if targets is None else service in targets

    def observe(self, event_type: str, services: list[str], at: float, up: bool | None = None,
                event_id: str = "", host: str | None = None, state_change: bool = False) -> tuple[list[str], list[str]]:
        """Record the event; return (services whose outage it opens, services whose outage it closes)."""
        self._seen.update(services)
        if event_type == "probe":
            for svc in services:
                if state_change and up is False:
                    self._held_down.add(svc)
                else:
                    self._held_down.discard(svc)
        if host and event_type in ("change.completed", "host.failed"):
            for svc in services:
                self._hosts[svc] = host
        self.overran = [svc for svc in services if self._overrun_now(svc, at)]
        going_down = event_type in DOWN_TYPES or (event_type == "probe" and up is False)
        coming_up = event_type in UP_TYPES or (event_type == "probe" and up is True)
        opened, closed = [], []
        for svc in services:
            if going_down and svc not in self._down:
                self._down[svc] = (at, event_id, event_type)
                self._last_start[svc] = at
                window_end = next((w.end for w in self._windows if w.start <= at < w.end and (not w.services or svc in w.services)),
                                  None)
                if window_end is not None:
                    self._planned[svc] = (window_end, False)
                opened.append(svc)
            elif coming_up and svc in self._down:
                start, cause, cause_type = self._down.pop(svc)
                self._planned.pop(svc, None)
                self.closed.append(Outage(svc, start, at, cause, cause_type))
                closed.append(svc)
        return opened, closed

    def note_maintenance(self, window: Window) -> None:
        """Remember a maintenance window announced before it starts (a notice sent during the
        work announces nothing)."""
        if window.announced < window.start:
            self._windows.append(window)

    def note_notice(self, service: str | None, at: float) -> None:
        """Remember a warning or suspension notice (``service`` None: it warns of every service)."""
        self._warned[service] = max(at, self._warned.get(service, at))

    def notice_before(self, service: str, at: float) -> float | None:
        """When the latest notice for ``service`` (or for all) up to ``at`` came; None if none did."""
        times = [t for key in (service, None) if (t := self._warned.get(key)) is not None and t <= at]
        return max(times) if times else None

    def planned(self, service: str) -> bool:
        """Did the service's open outage begin inside an announced maintenance window?"""
        return service in self._planned

    def _overrun_now(self, service: str, at: float) -> bool:
        """True once, at the first event of the service past the end of the window its planned
        outage began in (still down, or back only now): the overrun is impact nobody announced."""
        entry = self._planned.get(service)
        if entry is None or entry[1] or at <= entry[0]:
            return False
        self._planned[service] = (entry[0], True)
        return True

    def note_check(self, services: list[str], check: str | None) -> None:
        kind = KIND_OF_CHECK.get(check or "")
        if kind:
            for svc in services:
                self._kinds.setdefault(svc, set()).add(kind)

    def kinds(self, service: str) -> set[str]:
        """What a service is (web, mail): the first label of its name says it ("mail.kunde.de" is
        mail, whatever its monitor checks); else the checks run on it."""
        label = KIND_OF_LABEL.get(service.split(".", 1)[0].lower())
        return {label} if label else self._kinds.get(service, set())

    def down(self) -> list[str]:
        return sorted(self._down)

    def held_down(self, service: str) -> bool:
        """Does a monitor that records only changes of state show the service down now?"""
        return service in self._held_down and service in self._down

    def down_since(self, service: str) -> float | None:
        entry = self._down.get(service)
        return entry[0] if entry else None

    def last_outage_start(self, service: str) -> float | None:
        return self._last_start.get(service)

    def seen(self) -> list[str]:
        return sorted(self._seen)

    def host_of(self, service: str) -> str | None:
        return self._hosts.get(service)

    def intervals(self, until: float) -> list[Outage]:
        """Every outage of the case, those still open cut at ``until`` (the case end)."""
        still_open = [Outage(s, start, max(start, until), cause, kind) for s, (start, cause, kind) in self._down.items()]
        return sorted([*self.closed, *still_open], key=lambda o: (o.service, o.start))


@dataclass(frozen=True)
class Span:
    """Downtime of one service, merged across cases: overlapping outages count once."""

    service: str
    start: float
    end: float
    causes: tuple[str, ...]
    incidents: tuple[str, ...]


@dataclass(frozen=True)
class Window:
    """An announced maintenance window; ``services`` empty = every service of the vendor."""

    start: float
    end: float
    services: frozenset[str]
    announced: float
    event: str


def maintenance_window(event_type: str, data: Mapping[str, Any], service: str | None, announced: float,
                       event: str, read: tuple[float, float] | None = None) -> Window | None:
    """The window a maintenance notice announces (``starts``/``ends`` in its data, else the window
    ``read`` from its text), for the service it names or, naming none, every service of the vendor;
    None for any other event."""
    if event_type != "notice.sent" or data.get("kind") != "maintenance":
        return None
    if data.get("starts") and data.get("ends"):
        start, end = stamp_epoch(data["starts"]), stamp_epoch(data["ends"])
    elif read is not None:
        start, end = read
    else:
        return None
    return Window(start=start, end=end, services=frozenset([service] if service else []), announced=announced, event=event)


def merge_outages(outages: list[tuple[Outage, str | None]]) -> list[Span]:
    """Union of the outage intervals per service, whatever case (incident id) they were recorded under."""
    out: list[Span] = []
    for o, incident in sorted(outages, key=lambda p: (p[0].service, p[0].start, p[0].end, p[0].cause)):
        tag = (incident,) if incident else ()
        last = out[-1] if out else None
        if last is not None and last.service == o.service and o.start <= last.end:
            out[-1] = Span(o.service, last.start, max(last.end, o.end), tuple(dict.fromkeys([*last.causes, o.cause])),
                           tuple(sorted({*last.incidents, *tag})))
        else:
            out.append(Span(o.service, o.start, o.end, (o.cause,), tag))
    return out


def without_windows(spans: list[Span], windows: list[Window]) -> tuple[list[Span], dict[str, float]]:
    """Cut maintenance windows out of the spans; also the seconds excluded per service."""
    out: list[Span] = []
    excluded: dict[str, float] = {}
    for span in spans:
        pieces = [(span.start, span.end)]
        for w in sorted(windows, key=lambda w: (w.start, w.end)):
            if w.services and span.service not in w.services:
                continue
            cut = []
            for a, b in pieces:
                lo, hi = max(a, w.start), min(b, w.end)
                if lo >= hi:
                    cut.append((a, b))
                    continue
                excluded[span.service] = excluded.get(span.service, 0.0) + hi - lo
                cut += [p for p in ((a, lo), (hi, b)) if p[1] > p[0]]
            pieces = cut
        out += [Span(span.service, a, b, span.causes, span.incidents) for a, b in pieces]
    return out, excluded


def _month_bounds(moment: datetime) -> tuple[datetime, datetime]:
    start = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def month_end(month: str, tz: str) -> datetime:
    """The first instant after the calendar month "YYYY-MM" in the zone (credits fall due from it)."""
    year, mon = (int(x) for x in month.split("-"))
    return _month_bounds(datetime(year, mon, 1, tzinfo=ZoneInfo(tz)))[1]


@dataclass
class MonthDown:
    down: float  # seconds
    length: float  # seconds in the month (DST months are an hour shorter or longer)
    causes: list[str]
    incidents: list[str]


def monthly_downtime(outages: list[Outage] | list[Span], tz: str) -> dict[tuple[str, str], MonthDown]:
    """(service, "YYYY-MM") → downtime in that month of contract time, with its causes and incidents."""
    zone = ZoneInfo(tz)
    out: dict[tuple[str, str], MonthDown] = {}
    for o in outages:
        causes, incidents = (list(o.causes), list(o.incidents)) if isinstance(o, Span) else ([o.cause], [])
        cursor = datetime.fromtimestamp(o.start, zone)
        end = datetime.fromtimestamp(o.end, zone)
        while cursor < end:
            m_start, m_end = _month_bounds(cursor)
            piece_end = min(end, m_end)
            key = (o.service, m_start.strftime("%Y-%m"))
            # Timestamps, not wall-clock differences: a DST month is an hour shorter or longer.
            month = out.setdefault(key, MonthDown(0.0, m_end.timestamp() - m_start.timestamp(), [], []))
            month.down += piece_end.timestamp() - cursor.timestamp()
            month.causes += [c for c in causes if c not in month.causes]
            month.incidents = sorted({*month.incidents, *incidents})
            cursor = piece_end
    return out
