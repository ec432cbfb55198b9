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

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..ingest.stream import IngestSummary
from ..models.events import Event
from ..models.report import Outcome, Violation
from ..remedies.waivers import apply_waivers
from ..rules.compiler import cross_case
from .engine import Evaluator, _Case, _Run
from .outcomes import Applies, CaseRecord, outcomes
from .violations import Match, build_violations, group_key

if TYPE_CHECKING:
    from ..enrich.messages import Analysis

__all__ = ["IncrementalRun", "finding_key"]


def finding_key(case_key: str, match: Match) -> str:
    """The identity of the finding a match belongs to: its case and its group there."""
    return "\x1f".join([case_key, *group_key(match)])


#: (time, event, where it was read, position in the input) of one case's events, in the order fed
CaseEvents = Iterable[tuple[float, Event, tuple[str, int | None] | None, int]]


@dataclass(frozen=True)
class _SetAside:
    """What is kept in memory of an evicted case: enough to bring it back under the same serial."""

    serial: int
    vendor: str
    incident: str | None
    first: int
    at: float


class IncrementalRun(_Run):
    """A first and (at :meth:`finish`) second stage that hands out findings as time decides them.

    With ``load_case`` (a case's events as they were fed, from the caller's store: those of
    its key from position ``first`` on — a key closed and opened again is two cases) and
    ``resident`` (how many open cases to keep in memory), the least recently active open
    cases beyond ``resident`` are evicted by :meth:`evict`: their durable_rules session is
    emptied and only a few fields stay. A later event of the case, or one of its deadlines,
    brings it back by replaying its events into a fresh session on a heap of its own, up to
    the instant it is needed, so every deadline in between is decided where it falls and
    nothing it contributes across cases (outages aside, which its tracker recomputes) is
    counted twice. Memory then follows the active cases, not the open ones.
    """

    keeps_availability = False

    def __init__(self, ev: Evaluator, summary: IngestSummary, emitted: set[str], *,
                 load_case: Callable[[str, int], CaseEvents] | None = None, resident: int | None = None):
        super().__init__(ev, summary)
        #: identities of the findings already handed out (kept by the caller across restarts)
        self.emitted = emitted
        #: open cases with matches not yet handed out, by serial
        self.dirty: dict[int, _Case] = {}
        #: decided and not yet taken
        self.ready: list[tuple[str, Violation]] = []
        self.load_case = load_case
        self.resident = resident
        #: open cases by how recently an event came for them (least recent first)
        self.recent: dict[str, None] = {}
        self.set_aside: dict[str, _SetAside] = {}
        self.set_aside_serials: dict[int, str] = {}
        self._replaying = False
        # Outcomes: a case's obligations are decided when it closes, except those judged across cases
        # (repeat incidents, availability and what it owes), which only the end of the input decides.
        across = {r.id for r in ev.library.rules if cross_case(r)}
        self._per_case = [a for a in ev.applies if not a.service_level and a.rule.id not in across]
        self._at_end = [a for a in ev.applies if a.service_level or a.rule.id in across]
        self._at_end_ids = {a.rule.id for a in self._at_end}
        #: findings of the second stage, which the outcomes decided at the end quote, and the ids
        #: of the lines written for them
        self._second: list[Violation] = []
        self._second_written: dict[str, str] = {}
        #: finding identity → id of the line written for it, while its case is open (outcomes name it)
        self.handed: dict[str, str] = {}
        #: (case's input position, identity, outcome) decided and not yet taken, and the keys that say so
        self.outcomes_ready: list[tuple[int, str, Outcome]] = []
        self.outcome_keys: list[str] = []

    # -- hooks into the batch run ---------------------------------------------------
    def feed(self, epoch: float, event: Event, origin: tuple[str, int | None] | None = None, seq: int = 0,
             analysis: Analysis | None = None) -> None:
        key = event.case_key
        if event.type != "clock" and epoch >= self.now:
            # Time first: the deadlines before this event may bring set-aside cases back and set
            # others aside — this event's own case included, were it brought back before them.
            if epoch > self.now:
                self._advance(epoch)
                self.now = epoch
            if key in self.set_aside:
                self._make_room(epoch)
                self._restore(key, epoch)
        super().feed(epoch, event, origin, seq, analysis)
        if key in self.cases:
            self.recent.pop(key, None)
            self.recent[key] = None

    def _found(self, case: _Case, match: Match, phase: str) -> None:
        super()._found(case, match, phase)
        self.dirty[case.serial] = case

    def _absorb(self, case: _Case, part: _Case, at: float) -> None:
        super()._absorb(case, part, at)
        if self.dirty.pop(part.serial, None) is not None:  # the part's findings are the case's now
            self.dirty[case.serial] = case

    def _close(self, case: _Case, at: float) -> None:
        records = len(self.records)
        super()._close(case, at)  # decides what falls due at the case's end into case.matches
        self.dirty.pop(case.serial, None)
        self.recent.pop(case.key, None)
        self._collect(case, None)
        # The batch run's findings of the case, one per group in the order of the matches, under the
        # ids of the lines written for them (a finding is written as it stood when it was detected).
        keys = list(dict.fromkeys(finding_key(case.key, m) for m in case.matches))
        ids = [self.handed.pop(k, None) for k in keys]
        written = {v.id: i for v, i in zip(self.violations, ids, strict=True) if i is not None} \
            if len(ids) == len(self.violations) else {}
        if case.service_level or case.cross:
            self._second += self.violations
            self._second_written.update(written)
        elif len(self.records) > records:
            record = self.records[-1]
            self._decided("case", record, self._per_case, apply_waivers(self.violations, self.ev.contract), written)
            # Of the record, the end of the input needs only what the rules judged across cases quote.
            record.applied = {k: v for k, v in record.applied.items() if k[0] in self._at_end_ids}
            record.missing = {k: v for k, v in record.missing.items() if k[0] in self._at_end_ids}
            record.pending = [x for x in record.pending if x.rule in self._at_end_ids]
            record.violations = []
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
        self._collect_dirty(self.now)
        ready, self.ready = self.ready, []
        waived = apply_waivers([v for _, v in ready], self.ev.contract)
        pairs = sorted(zip((k for k, _ in ready), waived, strict=True), key=lambda p: (p[1].at, p[1].rule, p[1].id))
        return pairs

    def finish(self) -> list[tuple[str, Violation]]:
        """The input is complete: decide what falls due at its end, close every case, run the second stage."""
        self.finish_cases(None)
        for key in sorted(self.set_aside, key=lambda k: self.set_aside[k].serial):  # one at a time
            case = self._restore(key, self.now)
            self._advance(self.now, inclusive=True)
            if case.serial in self.by_serial:
                self._close(case, self.now)
            self.heap.clear()
        self.across_cases()
        # Waived once, and each record given only its own findings: with every record against every
        # finding the end of a long watch took time and memory in the square of its cases.
        second = {v.id: v for v in apply_waivers(self._second, self.ev.contract)}
        for record in self.records:  # in input order, as across_cases sorted them
            # the service-level case's obligations all arise across cases (a credit owed for a month)
            self._decided("end", record, self.ev.applies if record.service_level else self._at_end,
                          [second[i] for i in record.violations if i in second], self._second_written)
        return self.take()

    def take_outcomes(self) -> tuple[list[str], list[tuple[str, Outcome]]]:
        """The outcomes decided since the last call — a case's when it closed, those judged across
        cases at :meth:`finish` —: the keys to keep as handed out (one per case and stage), and
        (identity, outcome) of each, in case and rule order."""
        ready, self.outcomes_ready = self.outcomes_ready, []
        keys, self.outcome_keys = self.outcome_keys, []
        return keys, [(ident, o) for _, ident, o in sorted(ready, key=lambda r: (r[0], r[2].rule, r[2].service or ""))]

    def _decided(self, stage: str, record: CaseRecord, applies: list[Applies], found: list[Violation],
                 written: dict[str, str]) -> None:
        """A case's outcomes for these rules, once (a restart replays the case's close: the key of the
        case and stage, not of each outcome, is kept, a dozen times fewer); a violated one names the
        finding by the id of the line written for it. ``found``: the case's findings, waivers applied."""
        # a vendor's service-level case has no input position of its own: its vendor tells it apart
        key = "\x1f".join(["outcomes", stage, str(record.first), record.vendor, record.incident or "",
                           "service" if record.service_level else "case"])
        if key in self.emitted:
            return
        self.emitted.add(key)
        self.outcome_keys.append(key)
        for o in outcomes([record], applies, found):
            if o.violation is not None:
                o = o.model_copy(update={"violation": written.get(o.violation, o.violation)})
            ident = "\x1f".join([key, o.rule, o.service or ""])
            self.outcomes_ready.append((record.first, ident, o))

    # -- eviction ---------------------------------------------------------------------
    def evict(self, keep: int | None = None) -> int:
        """Set aside the least recently active open cases beyond ``resident`` (or ``keep``); how many were."""
        keep = self.resident if keep is None else keep
        if keep is None or self.load_case is None or len(self.cases) <= keep:
            return 0
        excess = len(self.cases) - keep
        evicted = 0
        for key in list(self.recent):
            if evicted >= excess:
                break
            case = self.cases.get(key)
            if case is None or case.serial in self.dirty or case.service_level or case.cross:
                continue  # a case with a finding still to hand out stays until it is handed out
            self.set_aside[key] = _SetAside(case.serial, case.vendor, case.incident, case.first, self.now)
            self.set_aside_serials[case.serial] = key
            del self.recent[key]
            self._drop_case(case)
            evicted += 1
        return evicted

    def _absent(self, serial: int, at: float) -> _Case | None:
        key = self.set_aside_serials.get(serial)
        if key is None:
            return None
        self._make_room(at)
        return self._restore(key, at)

    def _make_room(self, at: float) -> None:
        """Before a case comes back: what the resident cases found before ``at`` is final, so it
        is moved to ``ready`` (to be handed out in order by :meth:`take`) and the least recently
        active are set aside — a wave of deadlines brings back one case at a time, not all."""
        if self.resident is None or len(self.cases) < self.resident:
            return
        self._collect_dirty(at)
        self.evict(self.resident - 1)

    def _restore(self, key: str, until: float) -> _Case:
        """Bring a set-aside case back: its events replayed on a heap of its own, its deadlines
        before ``until`` decided in between as they were before it was set aside."""
        assert self.load_case is not None
        info = self.set_aside.pop(key)
        del self.set_aside_serials[info.serial]
        heap, now = self.heap, self.now
        self.heap, self.now = [], float("-inf")
        self._replaying = True
        try:
            case = self._open_case(key, info.vendor, info.incident, info.at, info.first)
            del self.by_serial[case.serial]  # under its old serial: its deadlines in the heap are filed so
            case.serial = info.serial
            self.by_serial[case.serial] = case
            for epoch, event, origin, seq in self.load_case(key, info.first):
                _Run.feed(self, epoch, event, origin, seq)
            self._advance(until)
            local = self.heap
        finally:
            self.heap, self.now, self._replaying = heap, now, False
        for entry in local:
            heapq.heappush(self.heap, entry)
        self.recent[key] = None
        return case

    # What a case contributes beyond itself was counted when its events first came.
    def _accept(self, event: Event, seq: int, raw: bytes | None = None) -> None:
        if not self._replaying:
            super()._accept(event, seq, raw)

    def _note_openings(self, case: _Case, event: Event, seq: int, facts: list[dict[str, Any]]) -> None:
        if not self._replaying:
            super()._note_openings(case, event, seq, facts)

    def _note_service_level(self, event: Event, epoch: float, facts: list[dict[str, Any]]) -> None:
        if not self._replaying:
            super()._note_service_level(event, epoch, facts)

    def _conflict(self, event: Event, origin: tuple[str, int | None] | None,
                  first: tuple[str, int | None] | None) -> None:
        if not self._replaying:
            super()._conflict(event, origin, first)

    # -- findings ---------------------------------------------------------------------
    def _collect_dirty(self, upto: float) -> None:
        """Move what the cases with new matches detected before ``upto`` to ``ready``, in serial order."""
        for serial in sorted(self.dirty):
            if self._collect(self.dirty[serial], upto):
                del self.dirty[serial]

    def _collect(self, case: _Case, upto: float | None) -> bool:
        """Move the case's findings detected before ``upto`` (all: None) to ``ready``; True if none is left."""
        groups: dict[str, list[Match]] = {}
        for m in case.matches:
            groups.setdefault(finding_key(case.key, m), []).append(m)
        left = False
        for key in sorted(groups):
            written = key in self.emitted
            if written and key in self.handed:
                continue
            members = sorted(groups[key], key=Match.order)
            first = members[0].detected
            if not written and upto is not None and first >= upto:
                left = True
                continue
            # The finding as it stands at the instant it was detected: what came after is not in it.
            # (Written before a restart: built again only for its id, which the case's outcomes name.)
            instant = [m for m in members if m.detected == first]
            facts = {i: f for i, f in case.facts.items() if _at(f) <= first}
            for v in build_violations(instant, case.events, self.ev.contract, case.key, facts, self.ev.library.concepts):
                self.handed[key] = v.id
                if not written:
                    self.ready.append((key, v))
            self.emitted.add(key)
        return not left


def _at(fact: dict[str, Any]) -> float:
    at = fact.get("at")
    return float(at) if isinstance(at, int | float) else float("-inf")
