"""``pactwatch watch``: evaluate a stream as it arrives, hand out each finding once, survive kill -9.

A step reads what the input has ready (at most ``step_lines`` lines), releases the events
the watermark has passed to the rules, hands out the findings event time has decided,
writes their lines, makes them durable and then commits the checkpoint. Output and
checkpoint move together: a restart cuts the output back to what the last commit
recorded, replays the checkpoint and reads on from its offsets, so each line is written
exactly once (to a file; on stdout, lines after the last commit may come again — each has
a stable id to drop them by).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .._time import format_utc
from .._version import __version__
from ..errors import PactwatchError, Problem, reason_of
from ..evaluation import Evaluator
from ..evaluation.incremental import IncrementalRun
from ..ingest.records import parse_record
from ..ingest.stream import IngestSummary
from ..models.events import Event
from ..models.report import Outcome, Violation
from .checkpoint import Checkpoint, Held, Position, Step
from .order import Reorder
from .sources import PAUSE, Line, Unreadable, read_lines

__all__ = ["Output", "WatchStats", "Watcher", "STDIN"]

STDIN = "-"
_STDIN_LABEL = "<stdin>"


@dataclass
class WatchStats:
    lines: int = 0
    accepted: int = 0
    rejected: int = 0
    late: int = 0
    violations: int = 0
    outcomes: int = 0
    steps: int = 0
    evicted: int = 0


_WRITE_LINES = 1000


class Output:
    """Where lines go: a file cut back to the committed length on start, or stdout."""

    def __init__(self, path: Path | None, committed: int, fresh: bool):
        self.path = path
        if path is None:
            self.fd = sys.stdout.fileno()
            self.length = committed
            return
        try:
            self.fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
            st = os.fstat(self.fd)
        except OSError as exc:
            raise PactwatchError(Problem("output-not-writable", f"--output: {exc.strerror or exc}", file=str(path))) from None
        size = st.st_size
        self.length = committed
        if not stat.S_ISREG(st.st_mode):  # a device or a pipe: written through, as stdout (nothing to cut back)
            self.path = None
            return
        if fresh and size:
            os.close(self.fd)
            raise PactwatchError(Problem("output-exists", "a new checkpoint starts a new output, and this file is not "
                                         "empty: name another file, or restart with the checkpoint that wrote it",
                                         file=str(path)))
        if size < committed:
            os.close(self.fd)
            raise PactwatchError(Problem("output-shorter-than-checkpoint", f"the checkpoint recorded {committed} bytes "
                                         f"written here, the file has {size}: it was cut or replaced; restore it or "
                                         "start a new checkpoint", file=str(path)))
        os.ftruncate(self.fd, committed)  # lines written after the last commit are written again
        os.lseek(self.fd, committed, os.SEEK_SET)

    def write(self, lines: list[str]) -> int:
        """Write the lines and make them durable; the output's length after them."""
        if lines:
            try:
                # a thousand lines at a time: the end of a long watch hands out a line per case and
                # obligation at once, and one string of them all (then its bytes) doubled the peak
                for i in range(0, len(lines), _WRITE_LINES):
                    data = "".join(line + "\n" for line in lines[i:i + _WRITE_LINES]).encode("utf-8")
                    view = memoryview(data)
                    while view:
                        n = os.write(self.fd, view)
                        view = view[n:]
                    self.length += len(data)
                if self.path is not None:
                    os.fsync(self.fd)
            except OSError as exc:  # a full disk, a closed pipe: stop before the checkpoint says it was written
                raise PactwatchError(Problem("output-not-writable", f"cannot write the output: {exc.strerror or exc}",
                                             file=str(self.path or "<stdout>"))) from None
        return self.length

    def close(self) -> None:
        if self.fd != sys.stdout.fileno():
            os.close(self.fd)


def _line(kind: str, ident: str, body: dict[str, Any]) -> str:
    return json.dumps({"kind": kind, "id": ident, **body}, ensure_ascii=False, separators=(",", ":"))


def _problem_id(label: str, line: int | None) -> str:
    return hashlib.sha256(f"{label}\x1f{line}".encode()).hexdigest()[:16]


def violation_line(v: Violation) -> str:
    return _line("violation", v.id, {"at": v.at, "violation": v.model_dump(mode="json", exclude_none=True)})


def outcome_line(key: str, o: Outcome) -> str:
    return _line("outcome", "O-" + hashlib.sha256(key.encode()).hexdigest()[:16],
                 {"outcome": o.model_dump(mode="json", exclude_none=True)})


@dataclass
class Watcher:
    """One watcher over a checkpoint: ``run`` reads sources until they end (or are stopped)."""

    evaluator: Evaluator
    checkpoint: Checkpoint
    output: Output
    lateness: float
    strict: bool = False
    allow_unknown: bool = False
    allow_vendor_mismatch: bool = False
    step_lines: int = 1000
    #: open cases kept in memory; the least recently active beyond it are set aside (None: all kept)
    resident: int | None = None
    stats: WatchStats = field(default_factory=WatchStats)
    #: a test's hook, called after each commit with the step's number
    after_commit: Callable[[int], None] | None = None

    def __post_init__(self) -> None:
        meta = self.checkpoint.meta
        self.summary = IngestSummary(strict=self.strict)
        self.run_ = IncrementalRun(self.evaluator, self.summary, self.checkpoint.emitted(), load_case=self._load_case,
                                   resident=self.resident)
        self.serial, self.release_no = self.checkpoint.counts()
        #: the release order of the last event fed to the rules (a set-aside case is replayed up to it,
        #: never with the event being fed: that one is fed once, after the replay)
        self.fed = self.release_no
        self.order: Reorder[tuple[Held, Event | None]] = Reorder(self.lateness, _time(meta.get("latest")),
                                                                 _time(meta.get("released")))
        self.step = Step()
        self.lines: list[str] = []
        self.finished = bool(meta.get("finished"))
        #: the rotation of the file being read (0: the first under its name), part of line ids
        self.generation = 0
        self.notes: list[str] = []
        self._replay()

    # -- restart ---------------------------------------------------------------------
    def _replay(self) -> None:
        """Feed the released events again (the state of the rules), hold the held ones again."""
        for released, held in self.checkpoint.replay():
            event = self._parse(held.raw, held.file, held.line)
            assert event is not None, "a checkpointed event no longer validates"
            self._feed(held, event, released)
            self.fed = released
        self.run_.advance_to(self.order.released)
        self.run_.take()  # handed out before the restart
        self.run_.take_outcomes()
        self.summary.rejected.clear()
        for held in self.checkpoint.held():
            self.order.heap.append((held.at, held.ident, held.content, held.serial, (held, None)))
        self.order.heap.sort()

    def _load_case(self, case_key: str, first: int) -> Iterator[tuple[float, Event, tuple[str, int | None], int]]:
        """A set-aside case's events, validated again as when they came (for IncrementalRun)."""
        for order, held in self.checkpoint.case(case_key, first, self.fed):
            event = self._parse(held.raw, held.file, held.line)
            assert event is not None, "a checkpointed event no longer validates"
            yield held.at, event, (held.file, held.line), order

    def _problem_id(self, label: str, line: int | None) -> str:
        """A stable id for a line about an input line (a rotated file's lines count anew)."""
        return _problem_id(f"{label}\x1e{self.generation}" if self.generation else label, line)

    # -- one line ----------------------------------------------------------------------
    def _parse(self, raw: str, label: str, line: int | None) -> Event | None:
        self.summary.files.setdefault(label, [0, 0])
        event, problems, _ = parse_record(raw, file=label, line=line, allow_unknown=self.allow_unknown)
        if event is None:
            self._reject(problems)
            return None
        vendor = self.evaluator.contract.vendor
        if event.vendor and event.vendor != vendor and not self.allow_vendor_mismatch:
            self._reject([Problem("vendor-mismatch", f"vendor {event.vendor!r} is not the contract's ({vendor!r}); "
                                  "use --allow-vendor-mismatch to evaluate it anyway", file=label, line=line, field="vendor")])
            return None
        return event

    def _reject(self, problems: list[Problem]) -> None:
        if self.strict:
            raise PactwatchError(problems)
        first = problems[0]
        self._rejected(first.file or _STDIN_LABEL, first.line, first.code, first.field, reason_of(problems))

    def _rejected(self, file: str, line: int | None, code: str, field: str | None, reason: str) -> None:
        self.stats.rejected += 1
        self.lines.append(_line("rejected", "R-" + self._problem_id(file, line),
                                {"file": file, "line": line, "code": code, "field": field, "reason": reason}))

    def _take_line(self, label: str, line: Line) -> None:
        self.stats.lines += 1
        if isinstance(line.text, Unreadable):
            self._reject([Problem(line.text.code, line.text.reason, file=label, line=line.number)])
            return
        event = self._parse(line.text, label, line.number)
        if event is None:
            return
        at = event.at.timestamp()
        self.serial += 1
        held = Held(self.serial, event.case_key, at, event.id or "", event.model_dump_json(), line.text, label, line.number)
        if not self.order.offer(at, held.ident, held.content, held.serial, (held, event)):
            self.serial -= 1
            self._late(event, at, label, line.number)
            return
        self.stats.accepted += 1
        self.checkpoint.add(held)
        for _, _, (released, parsed) in self.order.release():
            self._release(released, parsed)

    def _late(self, event: Event, at: float, label: str, line: int) -> None:
        if self.strict:
            raise PactwatchError(Problem("event-late", f"event {event.id} at {format_utc(at)} arrived after events up to "
                                         f"{format_utc(self.order.released)} were evaluated (allowed lateness "
                                         f"{self.lateness:g} s)", file=label, line=line, field="at"))
        self.stats.late += 1
        self.lines.append(_line("late", "L-" + self._problem_id(label, line),
                                {"event": event.id, "at": format_utc(at), "evaluated_until": format_utc(self.order.released),
                                 "file": label, "line": line}))

    def _release(self, held: Held, event: Event | None) -> None:
        if event is None:  # held back before a restart: validated again
            event = self._parse(held.raw, held.file, held.line)
            assert event is not None, "a checkpointed event no longer validates"
        self.release_no += 1
        self.checkpoint.release(held.serial, self.release_no)
        self._feed(held, event, self.release_no)
        self.fed = self.release_no
        for r in self.summary.rejected:  # a second event under a used id, found by the rules' driver
            self._rejected(r.file, r.line, r.code, r.field, r.reason)
        self.summary.rejected.clear()

    def _feed(self, held: Held, event: Event, order: int) -> None:
        """To the rules, positioned by release order: canonical time order, as ``check`` numbers events."""
        self.summary.files.setdefault(held.file, [0, 0])
        self.run_.feed(held.at, event, (held.file, held.line), order)
        self.stats.evicted += self.run_.evict()

    # -- steps -------------------------------------------------------------------------
    def _decide(self, finished: bool = False) -> None:
        """Write what event time has decided, right after the line that decided it: the output's
        order then follows the input, not how often the watcher commits."""
        self.run_.advance_to(self.order.released)
        found = self.run_.finish() if finished else self.run_.take()
        self.lines += [violation_line(v) for _, v in found]
        self.stats.violations += len(found)
        self.step.emitted += [k for k, _ in found]
        keys, decided = self.run_.take_outcomes()
        self.lines += [outcome_line(ident, o) for ident, o in decided]
        self.stats.outcomes += len(decided)
        self.step.emitted += keys

    def _commit(self, finished: bool = False) -> None:
        if finished:
            self._decide(finished)
        length = self.output.write(self.lines)
        _fault(self.stats.steps + 1, "written")
        self.step.meta.update(latest=self.order.latest if self.order.latest > float("-inf") else None,
                              released=self.order.released if self.order.released > float("-inf") else None,
                              output_length=length, finished=finished or None)
        self.checkpoint.commit(self.step)
        self.step, self.lines = Step(), []
        self.stats.steps += 1
        _fault(self.stats.steps, "committed")
        if self.after_commit is not None:
            self.after_commit(self.stats.steps)

    def run(self, sources: list[str], *, close_at_end: bool = False, follow: float | None = None,
            stop: list[bool] | None = None) -> WatchStats:
        """Read every source in turn (``-``: stdin); at their end, close every case if asked."""
        offsets = self.checkpoint.offsets()
        for source in sources:
            label = _STDIN_LABEL if source == STDIN else source
            pending = 0
            for position, line in self._lines(source, label, offsets.get(label, Position()), follow, stop):
                if line is PAUSE or pending >= self.step_lines:
                    if self.step or self.lines or self.checkpoint.pending:
                        self._commit()
                    pending = 0
                    if line is PAUSE:
                        continue
                if self.finished:
                    raise PactwatchError(Problem("checkpoint-finished", "this checkpoint's cases were closed at the "
                                                 "end of its input (--close-at-end): new events need a new checkpoint",
                                                 file=label, line=line.number))
                self.generation = position.generation
                self._take_line(label, line)
                self._decide()
                self.step.offsets[label] = replace(position, offset=line.offset, line=line.number)
                pending += 1
            if self.step or self.lines or self.checkpoint.pending:
                self._commit()
        if close_at_end and not self.finished:
            for _, _, (held, event) in self.order.release(everything=True):
                self._release(held, event)
            self._commit(finished=True)
            self.finished = True
        return self.stats

    def _lines(self, source: str, label: str, start: Position, follow: float | None,
               stop: list[bool] | None) -> Iterator[tuple[Position, Line | None]]:
        """(where, line) of each line of a source; a followed file across rotations."""
        if source == STDIN:
            fd = sys.stdin.fileno()
            for line in read_lines(fd, line=start.line, skip=True):
                yield start, line
            return
        position = start
        while True:
            fd = self._open(source)
            try:
                here = _file_id(fd)
                if position.file_id is not None and (position.file_id != here or os.fstat(fd).st_size < position.offset):
                    # another file under the name (rotated while the watcher was stopped, or cut back in
                    # place): read from its start; what the old one held after the last commit is not read
                    self.notes.append(f"{label}: another file under this name since the last run; read from its start")
                    position = Position(generation=position.generation + 1)
                position = replace(position, file_id=here)
                seekable = _seekable(fd)
                rotated = (lambda consumed, path=source, ident=here: _replaced(path, ident, consumed)) if follow else None
                for line in read_lines(fd, offset=position.offset, line=position.line, skip=not seekable,
                                       follow=follow, stop=stop, rotated=rotated):
                    yield position, line
            finally:
                os.close(fd)
            if follow is None or (stop and stop[0]):
                return
            position = Position(generation=position.generation + 1)  # rotated: the new file from its start

    @staticmethod
    def _open(path: str) -> int:
        try:
            return os.open(path, os.O_RDONLY)
        except OSError as exc:
            raise PactwatchError(Problem("file-not-readable", exc.strerror or str(exc), file=path)) from None


#: test-only fault hook: "STEP:written" kills the process (SIGKILL) in that step after its lines are
#: written and before the checkpoint commits them, "STEP:committed" right after the commit
FAULT_ENV = "PACTWATCH_TEST_WATCH_KILL"


def _fault(step: int, phase: str) -> None:
    if os.environ.get(FAULT_ENV) == f"{step}:{phase}":
        os.kill(os.getpid(), signal.SIGKILL)


def _file_id(fd: int) -> str:
    st = os.fstat(fd)
    return f"{st.st_dev}:{st.st_ino}"


def _replaced(path: str, ident: str, consumed: int) -> bool:
    """Another file took the name (rotation), or the file was cut back below what was read."""
    try:
        st = os.stat(path)
    except OSError:
        return False  # between the rename and the new file: wait for it
    return f"{st.st_dev}:{st.st_ino}" != ident or st.st_size < consumed


def _time(value: Any) -> float:
    return float("-inf") if value is None else float(value)


def _seekable(fd: int) -> bool:
    try:
        os.lseek(fd, 0, os.SEEK_CUR)
        return True
    except OSError:
        return False


def identity(evaluator: Evaluator, lateness: float, output: Path | None) -> dict[str, Any]:
    """What a checkpoint is bound to: the same rules, contract, lateness and output, and this version
    (another would read the replayed events otherwise, or cut the wrong file back)."""
    contract = hashlib.sha256(evaluator.contract.model_dump_json().encode()).hexdigest()[:32]
    return {"version": __version__, "rules": evaluator.library.hash, "contract": "sha256:" + contract,
            "lateness": lateness, "output": str(output.resolve()) if output is not None else None}
