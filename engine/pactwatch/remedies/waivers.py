"""Contract waivers: findings a contract switched off or re-rated stay visible, marked."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from .._time import parse_stamp
from ..models.contract import Contract
from ..models.report import Violation, Waived

__all__ = ["apply_waivers", "is_active"]


def _day(stamp: str, tz: str) -> date:
    return parse_stamp(stamp).astimezone(ZoneInfo(tz)).date()


def apply_waivers(violations: list[Violation], contract: Contract) -> list[Violation]:
    """Each finding with the first waiver of its rule that is in force on the finding's day."""
    out = []
    for v in violations:
        waiver = next((w for w in contract.waivers
                       if w.rule == v.rule and (w.expires is None or _day(v.at, contract.timezone) <= w.expires)), None)
        if waiver is None:
            out.append(v)
            continue
        expires = waiver.expires.isoformat() if waiver.expires else None
        if waiver.severity == "off":
            out.append(v.model_copy(update={"waived": Waived(justification=waiver.justification, expires=expires)}))
        else:
            out.append(v.model_copy(update={"severity": waiver.severity, "waived": Waived(
                justification=waiver.justification, expires=expires, severity_was=v.severity)}))
    return out


def is_active(v: Violation) -> bool:
    """Counts towards the verdict: not switched off by a waiver, not covered by a carve-out."""
    return v.exempted is None and (v.waived is None or v.waived.severity_was is not None)
