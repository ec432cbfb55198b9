"""An evaluation fed event by event that hands out each finding once event time has decided it.

The batch run (``engine._Run``) builds a case's findings when the case closes. A watcher
(``pactwatch watch``) cannot wait for that: a suspension without notice is a finding the
moment it happens, a missed deadline the moment time passes it. This run hands out each
finding once event time has moved past the instant it was detected, as the group it opens
stands *at that instant* (later matches of the same finding do not make a second one, and
later events do not change the one handed out). What is handed out therefore depends only on
the events and on how far event time has come, never on how the input was batched, when it
was read or whether the process was restarted in between: the identity of each finding
handed out (case, rule, trigger) is the caller's to keep (``emitted``), and a restart that
replays the same events hands out nothing twice.
"""

from __future__ import annotations

from typing import Any

from ..ingest.stream import IngestSummary
from ..models.report import Violation
from ..remedies.waivers import apply_waivers
from .engine import Evaluator, _Case, _Run
from .violations import Match, build_violations, group_key

__all__ = ["IncrementalRun", "finding_key"]


def finding_key(case_key: str, match: Match) -> str:
    """The identity of the finding a match belongs to: its case and its group there."""
    return "\x1f".join([case_key, *group_key(match)])


class IncrementalRun(_Run):
    """A first and (at :meth:`finish`) second stage that hands out findings as time decides them."""

    def __init__(self, ev: Evaluator, summary: IngestSummary, emitted: set[str]):
        super().__init__(ev, summary)
        #: identities of the findings already handed out (kept by the caller across restarts)
        self.emitted = emitted
        #: open cases with matches not yet handed out, by serial
        self.dirty: dict[int, _Case] = {}
        #: decided and not yet taken
        self.ready: list[tuple[str, Violation]] = []

    # -- hooks into the batch run ---------------------------------------------------
    def _found(self, case: _Case, match: Match, phase: str) -> None:
        super()._found(case, match, phase)
        self.dirty[case.serial] = case

    def _close(self, case: _Case, at: float) -> None:
        super()._close(case, at)  # decides what falls due at the case's end into case.matches
        self.dirty.pop(case.serial, None)
        self._collect(case, None)
        # The batch run keeps each closed case's findings for its report; here they are handed
        # out already, and a watcher that runs for months must not hold them.
        self.violations.clear()
        self.pending.clear()
        self.details.clear()

    # -- time -------------------------------------------------------------------------
    def advance_to(self, watermark: float) -> None:
        """No event earlier than ``watermark`` will come: decide every deadline before it."""
        if watermark > self.now:
            self._advance(watermark)
            self.now = watermark

    def take(self) -> list[tuple[str, Violation]]:
        """(identity, finding) of each finding decided since the last call, in (time, rule, id) order."""
        for serial in sorted(self.dirty):
            case = self.dirty[serial]
            if self._collect(case, self.now):
                del self.dirty[serial]
        ready, self.ready = self.ready, []
        waived = apply_waivers([v for _, v in ready], self.ev.contract)
        pairs = sorted(zip((k for k, _ in ready), waived, strict=True), key=lambda p: (p[1].at, p[1].rule, p[1].id))
        return pairs

    def finish(self) -> list[tuple[str, Violation]]:
        """The input is complete: decide what falls due at its end, close every case, run the second stage."""
        self.finish_cases(None)
        self.second_stage()
        return self.take()

    # -- findings ---------------------------------------------------------------------
    def _collect(self, case: _Case, upto: float | None) -> bool:
        """Move the case's findings detected before ``upto`` (all: None) to ``ready``; True if none is left."""
        groups: dict[str, list[Match]] = {}
        for m in case.matches:
            groups.setdefault(finding_key(case.key, m), []).append(m)
        left = False
        for key in sorted(groups):
            if key in self.emitted:
                continue
            members = sorted(groups[key], key=Match.order)
            first = members[0].detected
            if upto is not None and first >= upto:
                left = True
                continue
            # The finding as it stands at the instant it was detected: what came after is not in it.
            instant = [m for m in members if m.detected == first]
            facts = {i: f for i, f in case.facts.items() if _at(f) <= first}
            for v in build_violations(instant, case.events, self.ev.contract, case.key, facts, self.ev.library.concepts):
                self.ready.append((key, v))
            self.emitted.add(key)
        return not left


def _at(fact: dict[str, Any]) -> float:
    at = fact.get("at")
    return float(at) if isinstance(at, int | float) else float("-inf")
