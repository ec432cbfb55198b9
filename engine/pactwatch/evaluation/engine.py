"""The event-time driver: feed events in canonical order, fire deadlines, close cases.

durable_rules does the matching; this module owns time. "Now" is the latest event time
seen. A deadline fires only once event time has moved *past* it, so every event at or
before the deadline is in, however simultaneous events were ordered or how fast they
were fed. Each case (vendor + incident) is a durable_rules session, emptied and
released when the case closes (``incident.closed``, once time moves on) or the input
ends, so memory follows the open cases, not the history.

Evaluation has two stages. The first judges each case on its own events: nothing in it
reads another case, so cases can be evaluated interleaved in one stream (:meth:`Evaluator.run`)
or one by one in worker processes (``workers.py``) with the same result. What needs all
cases is gathered as each case closes (its outages, maintenance windows, compensation
offers, the facts that opened an outage) and judged in the second stage: availability per
service and month, and repeat incidents across cases.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import itertools
import json
import pickle
import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import structlog

from .._time import format_local, format_utc
from .._version import __version__
from ..business_time import BusinessCalendar
from ..contracts import effective_params
from ..enrich.outages import Outage, OutageTracker, Window, maintenance_window, merge_outages, monthly_downtime, without_windows
from ..enrich.review import Annotations
from ..errors import PactwatchError, Problem
from ..facts import build_facts
from ..ingest.stream import IngestSummary, Timed, order_ties_by_content
from ..models.contract import Contract
from ..models.events import DATA_MODELS, Event
from ..models.report import CaseDetail, FailedCase, Outcome, Pending, Rejection, Report, ServiceMonth, Violation
from ..remedies.waivers import apply_waivers, is_active
from ..rules.compiler import CASE_END, CompiledAlternative, CompiledRuleset, compile_rules, cross_case, guard_of, service_level
from ..rules.loader import RuleLibrary
from .detail import case_detail
from .explain import Trace
from .findings import FindingStore, SpilledReport
from .gc_policy import collector_paused
from .lookahead import read_ahead
from .memory import MemoryGuard
from .outcomes import Applies, CaseRecord, holds, outcomes
from .service_level import OfferFilter, month_fact, months_apart, slices
from .sessions import Session, SessionPool, borrow_pool, definition_key, return_pool
from .violations import Match, build_violations

if TYPE_CHECKING:
    from ..enrich.messages import Analysis

__all__ = ["Evaluator", "Partial"]

_DEADLINE, _CLOSE = 0, 1
#: the bytes of ``event.model_dump_json()`` without the str round trip (a tenth of a run's
#: per-event cost went to the digest)
_event_json = Event.__pydantic_serializer__.to_json
_SEVERITIES = ("critical", "high", "medium", "low")
#: the position given to a vendor's service-level case: after every case of the input
_SERVICE_LEVEL = 2**63 - 1
#: events between two looks at the process's size (a read of /proc/self/statm, ~10 µs)
_MEMORY_EVERY = 256


@dataclass(frozen=True)
class _Opening:
    """A fact that took a service down, kept for the second stage (repeat incidents across cases).

    A run keeps one for every outage of every case until the end; only those with a
    predecessor on the same service are read again. So the fact and its event are kept
    packed (:meth:`of`, :meth:`unpack`): a few hundred bytes instead of kilobytes of objects.
    """

    at: float
    seq: int
    index: int
    #: the opening case's identity across stages: the position of its first event in the input
    case: int
    key: str
    vendor: str
    incident: str | None
    service: Any
    outage_kind: Any
    #: the fact and the event, pickled and compressed
    packed: bytes

    @classmethod
    def of(cls, case: _Case, seq: int, index: int, fact: dict[str, Any], event: Event) -> _Opening:
        return cls(fact["at"], seq, index, case.first, case.key, case.vendor, case.incident, fact.get("service"),
                   fact.get("outage_kind"), zlib.compress(pickle.dumps((fact, event), pickle.HIGHEST_PROTOCOL), 1))

    def unpack(self) -> tuple[dict[str, Any], Event]:
        fact, event = pickle.loads(zlib.decompress(self.packed))  # noqa: S301 - packed by this run
        return fact, event


@dataclass
class Partial:
    """What the first stage found in some of the cases: merged, in any grouping, into one report."""

    violations: list[Violation] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    records: list[CaseRecord] = field(default_factory=list)
    details: list[CaseDetail] = field(default_factory=list)
    outages: dict[str, list[tuple[Outage, str | None]]] = field(default_factory=dict)
    windows: dict[str, list[Window]] = field(default_factory=dict)
    offers: dict[str, list[tuple[dict[str, Any], Event]]] = field(default_factory=dict)
    openings: list[_Opening] = field(default_factory=list)
    #: (position in the input, sha256 of the event) of each accepted event, packed (the input digest)
    hashes: bytes = b""
    accepted: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    #: audit entries (method, fields) to be written by the process that owns the log
    audit: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


#: audit entries (method, fields) kept for the process that owns the log
AuditEntries = list[tuple[str, dict[str, Any]]]


@dataclass
class VendorStage:
    """The second stage of one vendor, computed apart from the run that reports it (a Spark task,
    :meth:`_Run.vendor_stage`) and merged there (:meth:`_Run.across_cases`).

    A vendor's repeat incidents and availability depend on that vendor's cases only, so vendors can
    be judged in parallel; what a run merges keeps the order a run judging them itself would give.
    """

    vendor: str
    #: per repeat-incident case, by the position of its first event: its findings and audit entries
    repeats: list[tuple[int, list[Violation], AuditEntries]] = field(default_factory=list)
    #: the service-level case's findings, record and audit entries, and the availability per month
    service: list[Violation] = field(default_factory=list)
    records: list[CaseRecord] = field(default_factory=list)
    service_audit: AuditEntries = field(default_factory=list)
    availability: list[ServiceMonth] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)


#: a (position, sha256) pair in :attr:`Partial.hashes`
HASH_RECORD = struct.Struct(">Q32s")


@dataclass
class _Case:
    serial: int
    key: str
    vendor: str
    incident: str | None
    session: Session
    compiled: CompiledRuleset
    #: the position in the input of the case's first event: its identity across stages
    first: int = 0
    #: ids of every event of the case (for dedupe) ...
    #: event id → (hash of its JSON, where it was read): a second event with the same
    #: id is a duplicate if its content is the same, a conflict if not
    seen: dict[str, tuple[int, tuple[str, int | None] | None]] = field(default_factory=dict)
    #: ... but only the events a finding may quote: those with a fact kept for the rules
    #: or as context (all of them for per-case detail). Two thirds of a monitoring stream
    #: are passing probes no rule reads; holding them cost memory and time per open case.
    events: dict[str, Event] = field(default_factory=dict)
    #: full facts by id; durable_rules holds only the fields rules read
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    tracker: OutageTracker = field(default_factory=OutageTracker)
    armed: dict[tuple[str, str], tuple[CompiledAlternative, dict[str, Any], float | str]] = field(default_factory=dict)
    matches: list[Match] = field(default_factory=list)
    close_at: float | None = None
    #: the per-vendor service-level case (availability across cases), evaluated after the others
    service_level: bool = False
    #: the second-stage part of a case: the rules on what only all cases together tell
    cross: bool = False
    #: (rule id, service) → the first fact the rule applied to (for outcomes)
    applied: dict[tuple[str, str | None], dict[str, Any]] = field(default_factory=dict)
    #: (event type, service) → the latest time such an event was seen (for rules' ``needs``)
    last_seen: dict[tuple[str, str | None], float] = field(default_factory=dict)
    #: obligations not yet due, settled in the sessions of parts absorbed into this case (``_absorb``)
    owed: list[_Owed] = field(default_factory=list)
    #: once-per-case alternative → the time of its earliest trigger armed (only that one may decide)
    first_armed: dict[str, float] = field(default_factory=dict)


_AppliesTest = tuple[Applies, dict[str, Any], str, frozenset[Any]]
#: an obligation armed and not yet due when its case ended: (due, armed key, alternative, trigger, unmet)
_Owed = tuple[float, tuple[str, str], CompiledAlternative, dict[str, Any], bool]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _in_time(pair: tuple[dict[str, Any], Event]) -> tuple[float, str]:
    """The order facts are asserted into a second-stage session: by time, then id."""
    return pair[0]["at"], pair[0]["id"]


def _null_logger() -> Any:
    return structlog.wrap_logger(structlog.ReturnLogger(), processors=[])


def out_of_order(event: Event, epoch: float, now: float) -> PactwatchError:
    """An event earlier than one already fed: the caller did not sort the stream."""
    return PactwatchError(Problem("events-out-of-order", f"event {event.id} at {format_utc(epoch)} comes after "
                                  f"{format_utc(now)}: Evaluator.run needs events in event-time order "
                                  "(stream_events and run_events sort them)"))


class Evaluator:
    """Rules compiled once for a contract; :meth:`run` evaluates any number of inputs."""

    def __init__(self, library: RuleLibrary, contract: Contract, *, audit: Any = None,
                 explain: frozenset[str] = frozenset(), max_memory: int | None = None):
        """``explain``: rule ids whose evaluation is traced (``run(..., trace=Trace())``; costs time).

        ``max_memory`` (bytes): a run that grows beyond it stops with ``PactwatchError``
        (code ``memory-limit``) instead of being killed; default 90 % of what the process may use.
        """
        self.memory = MemoryGuard.of(max_memory)
        self.library = library
        self.contract = contract
        self.params = effective_params(contract, library.concepts)
        # Three rulesets: the first stage's (per case), and the second stage's on a vendor's months
        # of availability and on what compares cases (repeat incidents). Each case sees only its
        # own: a compensation offer brought into the service-level case must not be judged again
        # as a resolution claim there.
        per_case = [r for r in library.rules if not cross_case(r)]
        self.compiled = compile_rules(per_case, self.params, explain, keep=lambda alt: not service_level(alt))
        self.service = compile_rules(per_case, self.params, explain, keep=service_level)
        self.months_apart = months_apart(per_case)
        self.offer_filter = OfferFilter.of(per_case, self.params)
        cross = [r for r in library.rules if cross_case(r)]
        self.cross = compile_rules(cross, self.params, explain) if cross else None
        self.actions = {**self.compiled.actions, **self.service.actions, **(self.cross.actions if self.cross else {})}
        self._stages = {"first": self.compiled, "service": self.service, "cross": self.cross}
        self._keys = {stage: definition_key(c.definition) for stage, c in self._stages.items() if c is not None}
        self.explained = explain
        self.analyzer = library.analyzer()
        self.calendar = BusinessCalendar.of(contract.timezone, contract.calendar)
        self.applies = [Applies.of(rule, self.params) for rule in library.rules]
        by_type: dict[Any, list[_AppliesTest]] = {}
        untyped: list[_AppliesTest] = []
        for a in self.applies:
            for m in a.matches:
                guard = guard_of({k: v for k, v in m.items() if k != "type"})
                first = guard[0] if guard else ("type", frozenset([None]) | frozenset(_as_list(m.get("type"))))
                test = (a, m, first[0], first[1])
                types = m.get("type")
                if isinstance(types, (str, list)):
                    for t in _as_list(types):
                        by_type.setdefault(t, []).append(test)
                else:
                    untyped.append(test)
        #: event type → the applies conditions that may hold for it, each with one literal test to
        #: reject most facts cheaply (outcomes are noted on the hot path)
        self.applies_by_type = {t: [*ms, *untyped] for t, ms in by_type.items()}
        self.applies_untyped = untyped
        self.audit = audit if audit is not None else _null_logger()
        #: without an audit log the per-event entries are not even built (~3 % of a run)
        self.audited = audit is not None

    def _borrow_pool(self, on_action: Any, stage: str = "first") -> SessionPool:
        """A session pool for one run: an idle one of the same compiled rules if the process has
        one (sessions.borrow_pool), else a new one."""
        compiled = self._stages[stage]
        assert compiled is not None
        return borrow_pool(compiled.definition, self._keys[stage], on_action)

    def _return_pool(self, pool: SessionPool, finished: bool, stage: str = "first") -> None:
        """Keep a clean pool for the next run of these rules; free one a failed run may have left facts in."""
        return_pool(pool, self._keys[stage], finished)

    def close(self) -> None:
        """Nothing to free: idle pools are kept per process for the next evaluator of the same rules."""

    def run(self, stream: Iterable[Timed], summary: IngestSummary, *, detail: bool = False,
            annotations: Annotations | None = None, as_of: float | None = None, trace: Trace | None = None,
            workers: int = 0, spill_dir: str | None = None) -> Report:
        """Evaluate; ``detail`` adds per-case timelines (memory grows with the events then).

        ``workers`` 0 evaluates in this process, every case interleaved in event time (memory
        follows the cases open at once). ``workers`` N ≥ 1 groups the events by case on disk
        (in ``spill_dir``, default the system's temporary directory) and evaluates the cases
        one by one in N worker processes (workers.py): memory follows the largest case, a
        crash loses at most that case (``Report.failed``), and the report is the same.

        ``annotations`` (event id → reviewed sentences, from a case folder's
        ``annotations.yaml``) make those sentences read as the reviewer said. ``as_of``
        (epoch seconds) evaluates the case as of that instant: later events are not yet
        known, and every deadline up to it is decided as if event time had reached it.
        ``trace`` collects what the engine saw for the rules compiled with ``explain`` (in
        this process only).
        """
        out = self._run(stream, summary, detail=detail, annotations=annotations, as_of=as_of, trace=trace,
                        workers=workers, spill_dir=spill_dir, spill=False)
        assert isinstance(out, Report)
        return out

    def run_spilled(self, stream: Iterable[Timed], summary: IngestSummary, *, detail: bool = False,
                    annotations: Annotations | None = None, as_of: float | None = None, workers: int = 0,
                    spill_dir: str | None = None) -> SpilledReport:
        """:meth:`run`, with the report's findings and outcomes kept on disk (in ``spill_dir``) as they arrive.

        For reports larger than memory: the main process then holds neither every finding nor
        every outcome, and :meth:`SpilledReport.write_json` / ``write_csv`` write the same bytes
        as the whole report would. Close the result when it is written.
        """
        out = self._run(stream, summary, detail=detail, annotations=annotations, as_of=as_of, trace=None,
                        workers=workers, spill_dir=spill_dir, spill=True)
        assert isinstance(out, SpilledReport)
        return out

    def _run(self, stream: Iterable[Timed], summary: IngestSummary, *, detail: bool, annotations: Annotations | None,
             as_of: float | None, trace: Trace | None, workers: int, spill_dir: str | None,
             spill: bool) -> Report | SpilledReport:
        if workers:
            if trace is not None:
                raise ValueError("a trace is collected in this process only: use workers=0")
            from .workers import run_partitioned

            return run_partitioned(self, stream, summary, workers=workers, detail=detail, annotations=annotations,
                                   as_of=as_of, spill_dir=spill_dir, spill=spill)
        with collector_paused():
            run = _Run(self, summary, detail, annotations or {}, as_of, trace)
            if spill:
                run.spill = FindingStore(spill_dir)
            return run.execute(stream)

    def run_events(self, events: Iterable[Event], summary: IngestSummary | None = None, *, detail: bool = False,
                   annotations: Annotations | None = None, as_of: float | None = None, workers: int = 0) -> Report:
        """Evaluate already-loaded events (sorted into canonical order here)."""
        timed = order_ties_by_content(iter(sorted(((e.at.timestamp(), e.id or "", e) for e in events), key=lambda t: t[:2])))
        return self.run(timed, summary or IngestSummary(), detail=detail, annotations=annotations, as_of=as_of,
                        workers=workers)


class _Run:
    #: the report's table of availability per service and month (a watcher writes no report)
    keeps_availability = True

    def __init__(self, ev: Evaluator, summary: IngestSummary, detail: bool = False, annotations: Annotations | None = None,
                 as_of: float | None = None, trace: Trace | None = None):
        self.ev = ev
        self.trace = trace
        self.annotations = annotations or {}
        self.as_of = as_of
        self.after_as_of = 0
        self.detail = detail
        self.details: list[CaseDetail] = []
        self.summary = summary
        self.log = ev.audit
        self.audited = ev.audited
        self.pool = ev._borrow_pool(self._on_action)
        #: the second stage's session pools, borrowed when first needed
        self.stage_pools: dict[str, SessionPool] = {}
        self.now = float("-inf")
        self.heap: list[tuple[float, int, str, str, int]] = []
        self.cases: dict[str, _Case] = {}
        self.by_serial: dict[int, _Case] = {}
        self.by_sid: dict[str, _Case] = {}
        self.serial = 0
        self.violations: list[Violation] = []
        #: where findings go instead of :attr:`violations` when the report is kept on disk
        #: (:meth:`Evaluator.run_spilled`), with their counts for the report
        self.spill: FindingStore | None = None
        self.counts = _no_counts()
        self.pending: list[Pending] = []
        self.digest = hashlib.sha256()
        #: in a worker: (position, sha256) of each accepted event, for the parent's digest
        self.hashes: bytearray | None = None
        self.accepted = 0
        #: what the decide rules reported during the one decision being asked (see _decide)
        self._decisions: list[tuple[CompiledAlternative, dict[str, Any], dict[str, Any]]] = []
        #: the facts that opened an outage, for repeat incidents in the second stage
        self.openings: list[_Opening] = []
        #: what the per-vendor service-level case needs, gathered as cases close
        self.outages: dict[str, list[tuple[Outage, str | None]]] = {}
        self.windows: dict[str, list[Window]] = {}
        self.offers: dict[str, list[tuple[dict[str, Any], Event]]] = {}
        self.availability: list[ServiceMonth] = []
        self.records: list[CaseRecord] = []
        #: a case's record by its first event's position (second-stage findings join it)
        self.record_of: dict[int, CaseRecord] = {}
        #: second-stage findings of cases whose record is on disk (:attr:`spill`), by first event
        self.joined: dict[int, list[str]] = {}
        #: cases whose evaluation failed (partitioned runs only: see workers.py)
        self.failed: list[FailedCase] = []

    # -- durable_rules callbacks -------------------------------------------------
    def _on_action(self, rule_name: str, sid: str, matched: dict[str, dict[str, Any]]) -> None:
        case = self.by_sid.get(sid)
        if case is None:
            return  # a case being closed (see _close), or a session already handed back
        alt, phase = self.ev.actions[rule_name]
        matched = {k: case.facts.get(str(v.get("id")), v) for k, v in matched.items()}
        trigger = matched["t"]
        if phase in ("seen", "witness"):
            if self.trace is not None:
                self.trace.seen(case.key, alt, trigger)
                for role, fact in matched.items():
                    if role != "t":
                        self.trace.witness(case.key, alt, trigger, role, fact)
            return
        if phase == "join" and self.trace is not None and alt.rule.id in self.ev.explained:
            self.trace.joined(case.key, alt, trigger)
        if phase == "arm":
            due = alt.due(trigger)
            case.armed[(alt.key, trigger["id"])] = (alt, trigger, due)
            if alt.rule.once_per == "case":
                case.first_armed[alt.key] = min(float(trigger["at"]), case.first_armed.get(alt.key, float("inf")))
            if due != CASE_END:
                heapq.heappush(self.heap, (float(due), _DEADLINE, alt.key, trigger["id"], case.serial))
            return
        present = {k[2:]: v for k, v in matched.items() if k.startswith("p_")}
        if phase == "decide":  # an answer to the question _decide is asking: it says what it means
            self._decisions.append((alt, trigger, present))
            return
        detected = max([trigger["at"], *[f["at"] for f in present.values()]])
        self._found(case, Match(alt, trigger, present, detected), phase)

    def _found(self, case: _Case, match: Match, phase: str) -> None:
        case.matches.append(match)
        if self.audited:
            self.log.info("rule.fired", rule=match.alt.rule.id, alternative=match.alt.index, phase=phase,
                          case=case.key.replace("\x1f", "/"), trigger=match.trigger["ev"],
                          at=format_utc(match.detected))

    # -- time ---------------------------------------------------------------------
    def _unmet(self, case: _Case, alt: CompiledAlternative, trigger: dict[str, Any],
               at: float) -> list[tuple[CompiledAlternative, dict[str, Any], dict[str, Any]]]:
        """Ask whether the obligation armed by ``trigger`` is unmet at ``at``: a deadline fact for it
        goes in and out of the session, and the decide rules that fire on it are the answer."""
        fact = {"id": f"dl|{alt.key}|{trigger['id']}", "pw": "dl", "alt": alt.key, "trigger": trigger["id"], "due": at}
        self._decisions = []
        try:
            case.session.assert_fact(fact)
            case.session.retract_fact(fact["id"])
            return self._decisions
        finally:
            self._decisions = []

    def _decide(self, case: _Case, alt: CompiledAlternative, trigger: dict[str, Any], at: float) -> None:
        """The deadline has come: an obligation still unmet now is a finding, detected at the deadline."""
        unmet = self._unmet(case, alt, trigger, at)
        for fired_alt, fired_trigger, present in unmet:
            self._found(case, Match(fired_alt, fired_trigger, present, at, deadline=at), "decide")
        if self.trace is not None and alt.rule.id in self.ev.explained:
            self.trace.decided(case.key, alt, trigger, at, bool(unmet))

    def _advance(self, until: float, inclusive: bool = False) -> None:
        while self.heap and (self.heap[0][0] < until or (inclusive and self.heap[0][0] <= until)):
            at, kind, alt_key, trigger_id, serial = heapq.heappop(self.heap)
            case = self.by_serial.get(serial) or self._absent(serial, at)
            if case is None:
                continue
            if kind == _CLOSE:
                self._close(case, at)
                continue
            armed = case.armed.pop((alt_key, trigger_id), None)
            if armed is not None:
                self._decide(case, armed[0], armed[1], at)

    def _absent(self, serial: int, at: float) -> _Case | None:
        """A deadline of a case not in memory has come: closed (None), or set aside by a subclass
        that can bring it back (the streaming run evicts idle cases)."""
        return None

    # -- cases --------------------------------------------------------------------
    def _open(self, event: Event, seq: int) -> _Case:
        return self._open_case(event.case_key, event.vendor or "", event.incident, event.at.timestamp(), seq)

    def _open_case(self, key: str, vendor: str, incident: str | None, at: float, first: int,
                   stage: str = "first") -> _Case:
        self.serial += 1
        if stage == "first":
            case = _Case(self.serial, key, vendor, incident, self.pool.open(), self.ev.compiled, first)
        else:
            if stage not in self.stage_pools:
                self.stage_pools[stage] = self.ev._borrow_pool(self._on_action, stage)
            compiled = self.ev._stages[stage]
            assert compiled is not None
            case = _Case(self.serial, key, vendor, incident, self.stage_pools[stage].open(), compiled, first,
                         service_level=stage == "service", cross=stage == "cross")
        self.cases[case.key] = case
        self.by_serial[case.serial] = case
        self.by_sid[case.session.sid] = case
        if self.audited:
            self.log.debug("case.opened", case=case.key.replace("\x1f", "/"), at=format_utc(at))
        return case

    def _close(self, case: _Case, at: float) -> None:
        if not case.service_level and not case.cross:
            self.outages.setdefault(case.vendor, []).extend((o, case.incident) for o in case.tracker.intervals(at))
        owed = sorted([*case.owed, *self._settle(case, at)], key=lambda o: (o[0], o[1]))
        found = build_violations(case.matches, case.events, self.ev.contract, case.key, case.facts, self.ev.library.concepts)
        fired = {v.rule for v in found}
        seen: set[tuple[str, str]] = set()
        pending: list[Pending] = []
        for due, _, alt, trigger, unmet in owed:
            # One pending entry per trigger; for a once-per-case rule, one per case (the earliest due).
            ident = (alt.rule.id, "" if alt.rule.once_per == "case" else trigger["ev"])
            if ident in seen or (alt.rule.once_per == "case" and alt.rule.id in fired):
                continue
            # Deadline not reached: an obligation is pending only if it is still unmet now.
            if unmet:
                seen.add(ident)
                pending.append(Pending(rule=alt.rule.id, vendor=case.vendor, incident=case.incident,
                                       trigger=trigger["ev"], due=format_utc(due)))
        self.pending += pending
        # Only what an outcome quotes is kept (the run holds one record per case).
        applied = {key: {"ev": f["ev"], "at": f["at"]} for key, f in case.applied.items()}
        if case.cross:  # findings of the second stage belong to the case they are about
            self._join(case.first, found)
        else:
            self.records.append(CaseRecord(case.vendor, case.incident, case.service_level, applied,
                                           self._missing(case), [v.id for v in found], pending, case.first))
        for v in found if self.audited else ():
            self.log.info("violation.emitted", rule=v.rule, id=v.id, vendor=v.vendor, incident=v.incident, at=v.at)
        self._keep(found)
        if self.detail and not case.service_level and not case.cross:
            self.details.append(case_detail(case.vendor, case.incident, case.events, case.facts, case.tracker, at,
                                            self.ev.contract.timezone))
        self._drop_case(case)
        if self.audited:
            self.log.debug("case.closed", case=case.key.replace("\x1f", "/"), at=format_utc(at), violations=len(found))

    def _join(self, first: int, found: list[Violation]) -> None:
        """Second-stage findings to the record of the case they are about (by its first event)."""
        record = self.record_of.get(first)
        if record is not None:
            record.violations.extend(v.id for v in found)
        else:  # the case's record is on disk (spill): joined to it when the outcomes are decided
            self.joined.setdefault(first, []).extend(v.id for v in found)

    def _settle(self, case: _Case, at: float) -> list[_Owed]:
        """What only the case's session can answer at its end: the obligations due at the case end are
        decided (into its matches), and of those not yet due, whether each is still unmet."""
        for key in sorted(k for k, v in case.armed.items() if v[2] == CASE_END):
            alt, trigger, _ = case.armed.pop(key)
            self._decide(case, alt, trigger, at)
        owed: list[_Owed] = []
        for key in sorted(case.armed, key=lambda k: (float(case.armed[k][2]), k)):
            alt, trigger, due = case.armed.pop(key)
            owed.append((float(due), key, alt, trigger, bool(self._unmet(case, alt, trigger, at))))
        return owed

    def _absorb(self, case: _Case, part: _Case, at: float) -> None:
        """Settle a part of a case in its own session, then keep what the case's close needs of it (its
        findings, the events and facts they quote, what applied) and drop the part's session."""
        case.owed += self._settle(part, at)
        case.matches += part.matches
        case.events.update(part.events)
        case.facts.update(part.facts)
        for key, fact in part.applied.items():
            first = case.applied.get(key)
            if first is None or (fact["at"], fact["id"]) < (first["at"], first["id"]):
                case.applied[key] = fact
        for seen_key, seen in part.last_seen.items():
            case.last_seen[seen_key] = max(seen, case.last_seen.get(seen_key, seen))
        for alt_key, earliest in part.first_armed.items():
            case.first_armed[alt_key] = min(earliest, case.first_armed.get(alt_key, earliest))
        self._drop_case(part)

    @staticmethod
    def _earliest_only(case: _Case) -> None:
        """After parts were absorbed: a once-per-case rule is decided by the case's earliest trigger
        alone (its session arms no later one), so what later triggers of other parts armed goes."""
        def first(alt: CompiledAlternative, trigger: dict[str, Any]) -> bool:  # (a join is not armed: all count)
            return alt.rule.once_per != "case" or float(trigger["at"]) <= case.first_armed.get(alt.key, float("inf"))

        case.matches = [m for m in case.matches if first(m.alt, m.trigger)]
        case.owed = [o for o in case.owed if first(o[2], o[3])]

    def _drop_case(self, case: _Case) -> None:
        """Forget a case's session (closed, or set aside by a watcher to be replayed later)."""
        # Unknown to the callback from here on: retracting its facts re-evaluates $not conditions,
        # and what that reports about a case being closed is not a finding.
        del self.by_sid[case.session.sid]
        case.session.close()
        del self.by_serial[case.serial]
        if self.cases.get(case.key) is case:
            del self.cases[case.key]

    # -- events -------------------------------------------------------------------
    def _conflict(self, event: Event, origin: tuple[str, int | None] | None,
                  first: tuple[str, int | None] | None) -> None:
        """Two different events under one id: the first stands, the second is rejected naming both places."""
        file, line = origin or ("<input>", None)
        where = f"{first[0]}:{first[1]}" if first and first[1] is not None else (first[0] if first else "an earlier event")
        self.summary.reject([Problem("event-id-conflict", f"id {event.id!r} is already used by a different event "
                                     f"({where}); the first is kept, this one is not read. Give one of them another id",
                                     file=file, line=line, field="id")])
        if self.audited:
            self.log.warning("event.id_conflict", id=event.id, first=where)

    def feed(self, epoch: float, event: Event, origin: tuple[str, int | None] | None = None, seq: int = 0,
             analysis: Analysis | None = None) -> None:
        """Evaluate one event, in event time; ``analysis``: its text already read (lookahead.py)."""
        if epoch < self.now:
            raise out_of_order(event, epoch, self.now)
        if epoch > self.now:
            self._advance(epoch)
            self.now = epoch
        if event.type == "clock":
            self._accept(event, seq)
            return
        case = self.cases.get(event.case_key)
        raw = _event_json(event)  # for the input digest, and to tell a duplicate from a conflict
        # Known types' data is normalised in field order; data of an unknown type keeps its key order.
        content = hash(raw if event.type in DATA_MODELS else json.dumps(event.model_dump(mode="json"), sort_keys=True))
        if case is not None and event.id in case.seen:
            first, first_origin = case.seen[event.id or ""]
            if first != content:
                self._conflict(event, origin, first_origin)
                return
            self.summary.duplicates += 1
            if self.audited:
                self.log.info("event.duplicate", id=event.id, at=format_utc(epoch))
            return
        self._accept(event, seq, raw)
        if case is None:
            case = self._open(event, seq)
        case.seen[event.id or ""] = (content, origin)
        if event.type not in DATA_MODELS:  # unknown types are kept and counted, never matched
            if self.detail:
                case.events[event.id or ""] = event
            return
        facts = build_facts(event, epoch, self.ev.analyzer, case.tracker, self.ev.contract.timezone,
                            self.annotations.get(event.id or "", ()), analysis)
        if self.ev.cross is not None:
            self._note_openings(case, event, seq, facts)
        self._note_service_level(event, epoch, facts)
        for fact in facts:
            case.last_seen[(event.type, fact.get("service"))] = epoch
        if self._assert(case, facts) or self.detail:
            case.events[event.id or ""] = event
        if event.type == "incident.closed" and case.close_at is None:
            # Evaluated as of a later instant, a closed incident's obligations still fall due until then.
            case.close_at = max(epoch, self.as_of) if self.as_of is not None else epoch
            heapq.heappush(self.heap, (case.close_at, _CLOSE, "", "", case.serial))

    def _assert(self, case: _Case, facts: list[dict[str, Any]]) -> bool:
        """Hand the facts to durable_rules (those a rule may match); True if any is kept."""
        compiled = case.compiled
        kept = False
        for fact in facts:
            for derived in compiled.derived:  # windows in business time: the bound, computed per trigger
                if all(fact.get(k) in values for k, values in derived.guard):
                    bound = derived.compute(fact, self.ev.calendar.add)
                    if bound is not None:
                        fact[derived.field] = bound
            for test in compiled.tests:  # a time compared with the fact's own (e.g. a notice long enough before)
                if all(fact.get(k) in values for k, values in test.guard):
                    holds = test.compute(fact, self.ev.calendar.add)
                    if holds is not None:
                        fact[test.field] = holds
            if compiled.could_match(fact):
                if not case.service_level or fact.get("type") == "availability.month":
                    self._note_applies(case, fact)
                case.facts[fact["id"]] = fact
                if not case.session.assert_fact({k: v for k, v in fact.items() if k in compiled.fields}):
                    del case.facts[fact["id"]]
            if (self.detail or compiled.context_guards) and fact["id"] not in case.facts and (
                    self.detail or compiled.for_context(fact)):
                case.facts[fact["id"]] = fact  # not for rules: evidence (context) or the timeline only
            kept = kept or fact["id"] in case.facts
        return kept

    def _note_applies(self, case: _Case, fact: dict[str, Any]) -> None:
        """Which obligations this fact gives rise to (first fact per rule and service)."""
        for a, match, name, values in self.ev.applies_by_type.get(fact.get("type"), self.ev.applies_untyped):
            if fact.get(name) not in values:
                continue
            key = (a.rule.id, fact.get("service"))
            if key not in case.applied and holds(match, fact, a.params):
                case.applied[key] = fact

    def _note_openings(self, case: _Case, event: Event, seq: int, facts: list[dict[str, Any]]) -> None:
        """Keep each fact that takes a service down: the second stage compares them across cases."""
        for index, fact in enumerate(facts):
            if fact.get("opens_outage"):
                self.openings.append(_Opening.of(case, seq, index, fact, event))

    def _repeats(self) -> None:
        """Across cases: when did each service last go down the same way? Then the rules on it.

        Openings are taken in input order (event time, then canonical position), so the
        answer is the same however the first stage grouped the cases. Each case with an
        opening that has a predecessor gets a second-stage session holding those facts only.
        """
        for first, openings in self._repeat_openings():
            self._repeat_case(first, openings)

    def _repeat_openings(self) -> list[tuple[int, list[tuple[_Opening, dict[str, Any], Event]]]]:
        """Each case with an opening that has a predecessor, by its first event: those openings, each
        with the fact the second stage asserts for it."""
        if self.ev.cross is None:
            return []
        tz, lang = self.ev.contract.timezone, self.ev.contract.language
        # when each service came back, whatever case recorded the outage: a service that fails again
        # minutes after it came back is flapping, not failing anew (``hours_up_before``)
        spans: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for vendor in sorted(self.outages):
            for span in merge_outages(self.outages[vendor]):
                spans.setdefault((vendor, span.service), []).append((span.start, span.end))
        last: dict[tuple[str, Any, Any], float] = {}
        by_case: dict[int, list[tuple[_Opening, dict[str, Any], Event]]] = {}
        for op in sorted(self.openings, key=lambda o: (o.at, o.seq, o.index)):
            key = (op.vendor, op.service, op.outage_kind)
            previous = last.get(key)
            last[key] = op.at
            if previous is not None:
                before = spans.get((op.vendor, str(op.service)), [])
                n = bisect.bisect_left(before, (op.at,))  # the outages that began before this one
                up_since = min(before[n - 1][1], op.at) if n else previous
                opened, event = op.unpack()
                fact = dict(opened, days_since_previous_outage=round((op.at - previous) / 86400, 4),
                            previous_outage=format_local(previous, tz, lang),
                            hours_up_before=round((op.at - up_since) / 3600, 4))
                by_case.setdefault(op.case, []).append((op, fact, event))
        return sorted(by_case.items(), key=lambda item: item[0])

    def _repeat_case(self, first: int, openings: list[tuple[_Opening, dict[str, Any], Event]]) -> None:
        """One case's repeat incidents, judged in a second-stage session holding those facts only."""
        head = openings[0][0]
        case = self._open_case(head.key, head.vendor, head.incident, head.at, first, "cross")
        for _, fact, event in openings:
            case.events[event.id or ""] = event
            self._assert(case, [fact])
        self._close(case, self.now)

    def _missing(self, case: _Case) -> dict[tuple[str, str | None], str]:
        """For each rule that applied and ``needs`` evidence: what was never seen after the fact it applied to."""
        out: dict[tuple[str, str | None], str] = {}
        lang = self.ev.contract.language
        for (rule_id, service), fact in case.applied.items():
            rule = self.ev.library.get(rule_id)
            for need in rule.needs if rule is not None else ():
                after = fact.get(need.after)
                seen = case.last_seen.get((need.type, service))
                if isinstance(after, int | float) and (seen is None or seen <= after):
                    out[(rule_id, service)] = need.missing.get(lang) or need.missing.get("en", "")
                    break
        return out

    def vendor_stage(self, vendor: str, entries: AuditEntries) -> VendorStage:
        """The second stage over one vendor's cases (this run holds their outages, windows, offers
        and openings, and nothing of other vendors), kept for another run to merge. ``entries``: the
        list this run's audit logger fills (:func:`~.workers.capture_log`), split here by case."""
        out = VendorStage(vendor)
        for first, openings in self._repeat_openings():
            mark, kept = len(entries), len(self.violations)
            self._repeat_case(first, openings)
            out.repeats.append((first, self.violations[kept:], entries[mark:]))
        mark, kept = len(entries), len(self.violations)
        self._service_level()
        out.service, out.service_audit = self.violations[kept:], entries[mark:]
        out.records, out.availability, out.pending = self.records, self.availability, self.pending
        return out

    def _merge_vendors(self, vendors: list[VendorStage]) -> None:
        """Vendors' second stages into this run, in the order :meth:`_repeats` and :meth:`_service_level`
        would have judged them here: the repeat-incident cases by their first event across vendors,
        then each vendor's service level."""
        ordered = sorted(vendors, key=lambda v: v.vendor)
        for first, found, entries in sorted((r for v in ordered for r in v.repeats), key=lambda r: r[0]):
            self._write_audit(entries)
            self._join(first, found)
            self._keep(found)
        for stage in ordered:
            self._write_audit(stage.service_audit)
            self._keep(stage.service)
            self.records += stage.records
            self.availability += stage.availability
            self.pending += stage.pending

    def _write_audit(self, entries: AuditEntries) -> None:
        for method, entry in entries:
            entry = dict(entry)
            getattr(self.log, method)(entry.pop("event"), **entry)

    def _note_service_level(self, event: Event, epoch: float, facts: list[dict[str, Any]]) -> None:
        """Keep what availability across cases needs: maintenance windows and compensation offers."""
        vendor = event.vendor or ""
        read = (facts[0]["window_starts"], facts[0]["window_ends"]) if facts and "window_starts" in facts[0] else None
        window = maintenance_window(event.type, event.data, event.service, epoch, event.id or "", read)
        if window is not None:
            self.windows.setdefault(vendor, []).append(window)
        if event.actor == "vendor" and event.type in ("message.sent", "compensation.offered"):
            offer = next((f for f in facts if f.get("offers_compensation")), None)
            if offer is not None:
                self.offers.setdefault(vendor, []).append((offer, event))

    def _service_level(self) -> None:
        """Per vendor: availability per service and calendar month across every case, then its rules.

        An SLA is per service and month whatever the ticketing: outages of all cases are merged
        (overlaps count once), announced maintenance is cut out when the contract says so, and
        the month facts are evaluated in one service-level case per vendor together with the
        vendor's compensation offers, so the rules on them see one month, not one case. The case's
        facts are judged in slices of services, each in a session of its own (``service_level.py``),
        where no rule relates one month's fact to another's.
        """
        tz = self.ev.contract.timezone
        params = self.ev.params.get("availability", {})
        for vendor in sorted(self.outages):
            spans = merge_outages(self.outages[vendor])
            excluded: dict[str, float] = {}
            if params.get("exclude_maintenance"):
                notice = float(params.get("maintenance_notice_hours") or 0) * 3600
                windows = [w for w in self.windows.get(vendor, []) if w.start - w.announced >= notice]
                spans, excluded = without_windows(spans, windows)
            months = sorted(monthly_downtime(spans, tz).items())
            if not months:  # no outage at all: the availability obligations did not arise
                self.records.append(CaseRecord(vendor, None, True, first=_SERVICE_LEVEL))
                continue
            key = f"{vendor}\x1f\x1eservice-level"
            judged: list[tuple[dict[str, Any], Event]] = []
            for (service, month), m in months:
                percent = round(100 * (1 - m.down / m.length), 3)
                if self.keeps_availability:
                    self.availability.append(ServiceMonth(vendor=vendor, service=service, month=month, percent=percent,
                                                          downtime_hours=round(m.down / 3600, 2),
                                                          excluded_hours=round(excluded.get(service, 0.0) / 3600, 2),
                                                          incidents=m.incidents))
                judged.append(month_fact(vendor, service, month, percent, m.down, m.incidents, m.causes, tz, self.now))
            case: _Case | None = None
            parts = slices(judged, self.ev.months_apart and self.trace is None)  # a trace names one case
            offers = sorted(self.offers.get(vendor, []), key=_in_time)
            if not (self.detail or self.ev.explained):  # a timeline or explain shows every offer
                offers = self.ev.offer_filter.needed(offers)
            for n, part in enumerate(parts):
                here = self._open_case(key if n == 0 else f"{key}\x1f{n}", vendor, None, self.now, _SERVICE_LEVEL, "service")
                for fact, event in sorted([*offers, *part], key=_in_time):
                    here.events[fact["ev"]] = event
                    self._assert(here, [dict(fact)])
                self._advance(self.now, inclusive=True)
                if case is None:
                    case = here
                else:
                    self._absorb(case, here, self.now)
            assert case is not None
            if len(parts) > 1:
                self._earliest_only(case)
            self._close(case, self.now)

    def _accept(self, event: Event, seq: int, raw: bytes | None = None) -> None:
        """Count an accepted event into the input digest: sha256 over each event's sha256, in input order."""
        self.accepted += 1
        h = hashlib.sha256(raw if raw is not None else _event_json(event)).digest()
        if self.hashes is None:
            self.digest.update(h)
        else:
            self.hashes += HASH_RECORD.pack(seq, h)

    def execute(self, stream: Iterable[Timed]) -> Report | SpilledReport:
        """Both stages over one stream, every case interleaved in event time, in this process."""
        self.log.info("run.started", ruleset_hash=self.ev.library.hash, contract=self.ev.contract.id, version=__version__)
        finished = False
        try:
            for (epoch, event, origin, n), analysis in read_ahead(self._admitted(stream), lambda item: item[1],
                                                                   self.ev.analyzer, self.annotations):
                self.feed(epoch, event, origin, n, analysis)
            self.finish_cases(self.as_of)
            report = self.conclude()
            finished = True
        except MemoryError:
            raise self._out_of_memory() from None
        finally:
            self.release(finished)
            if not finished and self.spill is not None:
                self.spill.close()
        return report

    def _admitted(self, stream: Iterable[Timed]) -> Iterator[tuple[float, Event, tuple[str, int | None] | None, int]]:
        """The events to evaluate, numbered in the stream's order: those known by ``as_of`` (all without it)."""
        for n, (epoch, _, event) in enumerate(stream, 1):
            origin = self.summary.origins.pop(id(event), None)
            if self.as_of is not None and epoch > self.as_of:
                self.after_as_of += 1  # not yet known at that instant
                continue
            if not n % _MEMORY_EVERY:
                self._check_memory()
            yield epoch, event, origin, n

    def conclude(self, vendors: list[VendorStage] | None = None) -> Report | SpilledReport:
        """The second stage (or its vendors' parts judged elsewhere, see :meth:`across_cases`), then
        the report: on disk if the findings went there."""
        return self.spilled_report(vendors) if self.spill is not None else self.second_stage(vendors)

    def release(self, finished: bool) -> None:
        """Hand the session pools back to the evaluator (a failed run's are freed, not kept)."""
        self.ev._return_pool(self.pool, finished)
        for stage, pool in self.stage_pools.items():
            self.ev._return_pool(pool, finished, stage)
        self.stage_pools = {}

    def _out_of_memory(self) -> PactwatchError:
        open_cases = len(self.cases)
        self.cases.clear()
        return PactwatchError(Problem("out-of-memory", f"out of memory with {open_cases:,} cases open after "
                                      f"{self.accepted:,} events; evaluate fewer cases at once or give the "
                                      "process more memory"))

    def finish_cases(self, end: float | None) -> None:
        """The input is over (up to ``end``, when given): decide what fell due, close every open case."""
        if end is not None and end > self.now:
            self.now = end
        self._advance(self.now, inclusive=True)
        for serial in sorted(self.by_serial):
            self._close(self.by_serial[serial], self.now)
        self.heap.clear()

    def partial(self) -> Partial:
        """What this run's first stage found, for a parent process to merge (and clear here)."""
        out = Partial(self.violations, self.pending, self.records, self.details, self.outages, self.windows,
                      self.offers, self.openings, bytes(self.hashes or b""), self.accepted, self.summary.duplicates,
                      list(self.summary.rejected))
        self.violations, self.pending, self.records, self.details = [], [], [], []
        self.outages, self.windows, self.offers, self.openings = {}, {}, {}, []
        self.hashes = bytearray() if self.hashes is not None else None
        self.accepted, self.summary.duplicates, self.summary.rejected = 0, 0, []
        return out

    def absorb(self, part: Partial) -> None:
        """Merge a first-stage result of some cases (from a worker) into this run."""
        self._keep(part.violations)
        self.pending += part.pending
        if self.spill is not None:
            self.spill.add_records(part.records)
        else:
            self.records += part.records
        self.details += part.details
        for vendor, outages in part.outages.items():
            self.outages.setdefault(vendor, []).extend(outages)
        for vendor, windows in part.windows.items():
            self.windows.setdefault(vendor, []).extend(windows)
        for vendor, offers in part.offers.items():
            self.offers.setdefault(vendor, []).extend(offers)
        self.openings += part.openings
        self.accepted += part.accepted
        self.summary.duplicates += part.duplicates
        for r in part.rejected:
            self.summary.files.setdefault(r.file, [0, 0])[1] += 1
            self.summary.rejected.append(r)
        self._write_audit(part.audit)

    def second_stage(self, vendors: list[VendorStage] | None = None) -> Report:
        """What needs every case: repeat incidents, availability per service and month; then the report."""
        self.across_cases(vendors)
        return self._report()

    def across_cases(self, vendors: list[VendorStage] | None = None) -> None:
        """The second stage without the report: a watcher hands its findings and outcomes out itself,
        and a report of every case's outcomes at once is what its memory must not hold.

        ``vendors``: the second stage judged elsewhere, vendor by vendor (:meth:`vendor_stage`, on
        Spark), merged here instead of judged from what this run gathered."""
        self.records.sort(key=lambda r: r.first)
        self.record_of = {r.first: r for r in self.records}
        if vendors is None:
            self._repeats()
            self._service_level()
        else:
            self._merge_vendors(vendors)
        self.log.debug("sessions.used", sessions=self.pool.sessions, hosts=self.pool.hosts)

        self.summary.events_accepted = self.accepted
        self.summary.digest = "sha256:" + self.digest.hexdigest()
        # Rejections in input order (file, line), not in the order the stages came upon them.
        files = {name: i for i, name in enumerate(self.summary.files)}
        self.summary.rejected.sort(key=lambda r: (files.get(r.file, len(files)), r.file, r.line or 0, r.code,
                                                  r.field or "", r.reason))
        self.log.info("events.ingested", read=self.summary.events_read, accepted=self.accepted,
                      duplicates=self.summary.duplicates, rejected=len(self.summary.rejected),
                      unknown_types=self.summary.unknown_types)

    def _check_memory(self) -> None:
        reason = self.ev.memory.exceeded()
        if reason is not None:
            self.log.error("run.memory_limit", reason=reason, open_cases=len(self.cases), events=self.accepted)
            raise PactwatchError(Problem("memory-limit", f"stopped before memory ran out: {reason}, with "
                                         f"{len(self.cases):,} cases open after {self.accepted:,} events. Evaluate "
                                         "fewer cases at once (split the input by vendor or period) or raise --max-memory"))

    def _keep(self, found: list[Violation]) -> None:
        if self.spill is None:
            self.violations += found
            return
        waived = apply_waivers(found, self.ev.contract)
        _count(self.counts, waived)
        self.spill.add(waived)

    def _report(self) -> Report:
        violations = sorted(apply_waivers(self.violations, self.ev.contract), key=lambda v: (v.at, v.rule, v.id))
        counts = _count(_no_counts(), violations)
        decided = outcomes(self.records, self.ev.applies, violations)
        self._log_outcomes(decided)
        report = self._head(counts, violations, decided)
        self.log.info("run.finished", violations=len(violations), pending=len(report.pending),
                      ruleset_hash=report.ruleset_hash)
        return report

    def spilled_report(self, vendors: list[VendorStage] | None = None) -> SpilledReport:
        """The report with its findings and outcomes on disk (:attr:`spill`), outcomes decided case by case."""
        if self.spill is None:
            raise RuntimeError("spilled_report() needs a run that kept its findings on disk")
        self.across_cases(vendors)
        # Outcomes in the report's order (vendor, incident, rule, service): the records of one
        # (vendor, incident) at a time, each group sorted as the whole list would be (a stable
        # sort of records taken in the order of their first event).
        def order(r: CaseRecord) -> tuple[str, str, int]:
            return r.vendor, r.incident or "", r.first

        kept = heapq.merge(self.spill.records(), sorted(self.records, key=order), key=order)
        for _, group in itertools.groupby(kept, key=lambda r: (r.vendor, r.incident or "")):
            records = list(group)
            for r in records:
                r.violations += self.joined.pop(r.first, [])
            found = self.spill.by_ids(i for r in records for i in r.violations)
            decided = outcomes(records, self.ev.applies, list(found.values()))
            self._log_outcomes(decided)
            self.spill.add_outcomes(decided)
        head = self._head(self.counts, [], [])
        self.log.info("run.finished", violations=self.spill.count, pending=len(head.pending),
                      ruleset_hash=head.ruleset_hash)
        return SpilledReport(head, self.spill)

    def _log_outcomes(self, decided: list[Outcome]) -> None:
        for o in decided if self.audited else ():
            # one record per decision, met and not applicable as well as violated: what was checked
            # and what became of it, with the reason the report gives
            self.log.info("rule.decided", **o.model_dump(exclude_none=True))

    def _head(self, counts: dict[str, int], violations: list[Violation], decided: list[Outcome]) -> Report:
        pending = sorted(self.pending, key=lambda p: (p.due, p.rule, p.trigger, p.vendor, p.incident or ""))
        c = self.ev.contract
        frozen = self.summary.freeze()
        return Report(pactwatch_version=__version__, ruleset_hash=self.ev.library.hash, contract=c.id, vendor=c.vendor,
                      customer=c.customer, input=frozen.model_copy(update={"after_as_of": self.after_as_of}),
                      counts=counts, violations=violations, pending=pending,
                      availability=sorted(self.availability, key=lambda a: (a.vendor, a.service, a.month)),
                      outcomes=decided,
                      as_of=format_utc(self.as_of) if self.as_of is not None else None, failed=self.failed,
                      cases=sorted(self.details, key=lambda d: (d.start, d.vendor, d.incident or "")) if self.detail else None)


def _no_counts() -> dict[str, int]:
    return dict.fromkeys((*_SEVERITIES, "exempted", "waived"), 0)


def _count(counts: dict[str, int], violations: Iterable[Violation]) -> dict[str, int]:
    """Add findings (waivers applied) to the report's counts: by severity if they count, else exempted or waived."""
    for v in violations:
        if v.exempted is not None:
            counts["exempted"] += 1
        elif is_active(v):
            counts[v.severity] += 1
        else:
            counts["waived"] += 1
    return counts

