"""Timeline geometry: one lane per service, outage bars, event markers — as numbers.

The SVG itself is drawn by the HTML template from these shapes; this module only
decides where things go, so it can be tested without a browser.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .. import i18n
from .._time import format_local, stamp_epoch
from ..models.report import CaseDetail

__all__ = ["Timeline", "layout", "MARKER_STYLE"]

#: event kind → (colour, shape, legend key) ; shapes: circle, square, diamond, triangle
MARKER_STYLE: dict[str, tuple[str, str]] = {
    "notice.sent": ("#1565c0", "triangle"),
    "service.suspended": ("#b71c1c", "square"),
    "service.restored": ("#2e7d32", "square"),
    "change.requested": ("#6a1b9a", "diamond"),
    "change.completed": ("#6a1b9a", "diamond"),
    "host.tested": ("#2e7d32", "triangle"),
    "host.failed": ("#b71c1c", "diamond"),
    "probe.down": ("#d32f2f", "circle"),
    "probe.up": ("#43a047", "circle"),
    "status.claimed": ("#ef6c00", "square"),
    "claim": ("#ef6c00", "square"),
    "message.vendor": ("#ef6c00", "circle"),
    "message.customer": ("#455a64", "circle"),
    "referral": ("#8d6e63", "triangle"),
    "compensation.offered": ("#00838f", "diamond"),
    "incident.closed": ("#000000", "triangle"),
}

LANE_H = 26
LEFT = 150
TOP = 24
#: a stretch without any event or outage edge this long (and this share of the case) is drawn
#: as a break of fixed width, so a 9-hour outage in a 10-day case is not 45 px of 790
QUIET_SECONDS = 12 * 3600
QUIET_SHARE = 0.2
BREAK_W = 28.0
#: no outage bar is thinner than this (a five-minute outage is still visible)
MIN_BAR_W = 4.0


@dataclass
class Shape:
    x: float
    y: float
    kind: str
    colour: str
    shape: str
    title: str


@dataclass
class Timeline:
    width: int
    height: int
    lanes: list[tuple[str, float]] = field(default_factory=list)
    bars: list[tuple[float, float, float, str]] = field(default_factory=list)  # x, y, w, title
    marks: list[Shape] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    legend: list[tuple[str, str, str]] = field(default_factory=list)
    #: compressed quiet stretches: x from, x to, what was left out ("≈ 6 d")
    breaks: list[tuple[float, float, str]] = field(default_factory=list)


class _Axis:
    """Event time → x, linear except across long quiet stretches, which get a fixed width."""

    def __init__(self, t0: float, t1: float, moments: list[float], outages: list[tuple[float, float]], left: float,
                 width: float):
        inside = sorted({min(max(t, t0), t1) for t in [t0, t1, *moments, *(t for o in outages for t in o)]})
        span = t1 - t0
        # quiet: long, and no outage running (an outage is drawn at its true length)
        self.gaps = [(a, b) for a, b in itertools.pairwise(inside)
                     if b - a >= QUIET_SECONDS and b - a >= QUIET_SHARE * span
                     and not any(start < b and end > a for start, end in outages)]
        quiet = sum(b - a for a, b in self.gaps)
        self.scale = (width - BREAK_W * len(self.gaps)) / max(span - quiet, 1.0)
        self.t0, self.left = t0, left

    def __call__(self, t: float) -> float:
        x, last = self.left, self.t0
        for a, b in self.gaps:
            if t <= a:
                break
            x += (a - last) * self.scale
            if t < b:
                return x + (t - a) / (b - a) * BREAK_W
            x += BREAK_W
            last = b
        return x + (max(t, last) - last) * self.scale

    def hidden(self, t: float) -> bool:
        return any(a < t < b for a, b in self.gaps)


def describe_gap(seconds: float) -> str:
    """How long a break in the axis is, roughly: "≈ 6 d", "≈ 14 h"."""
    return f"≈ {round(seconds / 86400)} d" if seconds >= 2 * 86400 else f"≈ {round(seconds / 3600)} h"


def _kind(marker_type: str, actor: str | None) -> str:
    if marker_type == "message.sent":
        return "message.customer" if actor == "customer" else "message.vendor"
    return marker_type


def layout(case: CaseDetail, tz: str, width: int = 960, language: str = "en") -> Timeline:
    """Lanes: one per service (sorted), then one for events without a service."""
    services = sorted({s for m in case.markers for s in m.services} | {o.service for o in case.outages})
    lane_names = [*services, "—"]
    t0, t1 = stamp_epoch(case.start), max(stamp_epoch(case.end), stamp_epoch(case.start) + 3600)
    span = t1 - t0
    x = _Axis(t0, t1, [stamp_epoch(m.at) for m in case.markers],
              [(stamp_epoch(o.start), stamp_epoch(o.end)) for o in case.outages], LEFT, width - LEFT - 20)

    y = {name: TOP + i * LANE_H + LANE_H / 2 for i, name in enumerate(lane_names)}
    tl = Timeline(width=width, height=TOP + len(lane_names) * LANE_H + 30)
    tl.lanes = [(name, y[name]) for name in lane_names]
    def local(stamp: str) -> str:  # tooltips in contract time, as the rest of the page
        return format_local(stamp_epoch(stamp), tz, language)

    for o in case.outages:
        tl.bars.append((x(stamp_epoch(o.start)), y[o.service] - 7, max(MIN_BAR_W, x(stamp_epoch(o.end)) - x(stamp_epoch(o.start))),
                        f"{o.service}: {local(o.start)} – {local(o.end)}"))
    used: set[str] = set()
    for m in case.markers:
        kind = "claim" if "claims-resolution" in m.flags else (
            ("probe.up" if "up" in m.flags else "probe.down") if m.type == "probe" else _kind(m.type, m.actor))
        colour, shape = MARKER_STYLE.get(kind, ("#616161", "circle"))
        used.add(kind)
        for lane in m.services or ["—"]:
            title = f"{local(m.at)} {m.type}" + (f": {m.text}" if m.text else "")
            tl.marks.append(Shape(x(stamp_epoch(m.at)), y[lane], kind, colour, shape, title))
    zone = ZoneInfo(tz)
    day = datetime.fromtimestamp(t0, zone).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    step = max(1, int(span / 86400 / 12) + 1)
    if x.gaps:  # the axis shows the busy stretches: a tick a day there, none inside a break
        step = max(1, int((span - sum(b - a for a, b in x.gaps)) / 86400 / 12) + 1)
    while day.timestamp() < t1:
        if not x.hidden(day.timestamp()):
            tl.ticks.append((x(day.timestamp()), i18n.day(day.date(), language, "tick")))
        day += timedelta(days=step)
    for a, b in x.gaps:
        tl.breaks.append((x(a), x(b), describe_gap(b - a)))
    tl.legend = [(k, *MARKER_STYLE[k]) for k in MARKER_STYLE if k in used]
    tl.height += 13 * ((len(tl.legend) + 4) // 5)
    return tl
