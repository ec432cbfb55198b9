"""The first stage in worker processes, case by case; the second stage in the caller's process.

Why: one process evaluating every case interleaved in event time holds every open case
at once (about 1 MB each with the whole library) and uses one core, and a crash inside
durable_rules' C code ends the run with every case in it. Here:

1. The caller's process reads the stream in canonical order, numbers each event (its
   position in the input, which orders everything later), accepts ``clock`` events
   itself, and writes every other event to a store on disk grouped by case
   (:class:`CaseStore`, sqlite in a temporary directory): memory does not grow with the
   number of cases.
2. Cases are dealt into partitions by a hash of their key. Up to ``workers`` forked
   processes each take a partition and evaluate its cases one at a time: the case's events
   in event time, then the end of the input. A case's result is sent back as soon as it
   is done. Garbage-collector tuning happens in the workers only.
3. A worker that dies (a signal, the kernel's out-of-memory killer) is replaced; its
   partition goes on from the case it was in. A case during which two workers died is
   not tried again: the report lists it under ``failed`` and the command exits 3, and
   every other case's findings are still reported.
4. The results are merged in case-key order (so the audit log does not depend on the
   number of workers either) and the second stage runs (engine.py).

The same events give the same report, byte for byte, with any number of workers and in
the single-process mode: nothing in the first stage reads another case.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import pickle
import signal
import sqlite3
import tempfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import structlog

from .._version import __version__
from ..errors import PactwatchError, Problem
from ..ingest.stream import IngestSummary, Timed
from ..models.events import Event
from ..models.report import FailedCase, Report
from .findings import FindingStore, SpilledReport, spill_unwritable
from .gc_policy import collector_paused
from .lookahead import read_ahead
from .memory import MemoryGuard

if TYPE_CHECKING:
    from ..enrich.review import Annotations
    from .engine import Evaluator, Partial, _Run

__all__ = ["CaseStore", "FAULT_ENV", "run_partitioned"]

#: test-only hook: a worker aborts (SIGABRT) on reaching this case ("vendor/incident");
#: with the suffix ``:once``, only the first worker that reaches it does
FAULT_ENV = "PACTWATCH_FAULT_CASE"
#: partitions per worker. One: a worker's caches (lemmas, sentence readings, validated data)
#: warm up over its whole share of the cases; a fresh process per smaller partition started
#: cold each time and cost a third more in total
_PARTS_PER_WORKER = 1
#: events written to the store per transaction
_BATCH = 5000
_HASHES = np.dtype([("seq", ">u8"), ("h", "S32")])


def digest_of(hashes: bytes | bytearray) -> hashlib._Hash:
    """The input digest of a run whose events were hashed in several places: each record is the
    event's place in the input (8 bytes, big-endian) and its SHA-256; sorted by place, the hashes
    are digested as a one-process run digests them in input order."""
    ordered = np.sort(np.frombuffer(bytes(hashes), dtype=_HASHES), order="seq")["h"]
    return hashlib.sha256(ordered.tobytes())


def case_label(key: str) -> str:
    """``vendor/incident`` of a case key, as the report and the audit log write it."""
    return key.replace("\x1f", "/")


class CaseStore:
    """Events grouped by case on disk, each with its position in the input and where it was read."""

    def __init__(self, directory: str | None, parts: int):
        try:
            self._dir = tempfile.TemporaryDirectory(prefix="pactwatch-", dir=directory)
            self.path = Path(self._dir.name) / "events.sqlite"
            self._db = sqlite3.connect(self.path)
            self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                                   "CREATE TABLE events (part INTEGER, case_key TEXT, seq INTEGER, body BLOB)")
        except (OSError, sqlite3.Error) as exc:
            raise _unwritable(directory, exc) from None
        self.parts = parts
        self._rows: list[tuple[int, str, int, bytes]] = []
        self.cases: dict[int, int] = {}

    def add(self, seq: int, event: Event, origin: tuple[str, int | None] | None) -> None:
        key = event.case_key
        part = zlib.crc32(key.encode("utf-8", "surrogatepass")) % self.parts
        self._rows.append((part, key, seq, pickle.dumps((event, origin), protocol=pickle.HIGHEST_PROTOCOL)))
        if len(self._rows) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        try:
            self._db.executemany("INSERT INTO events VALUES (?, ?, ?, ?)", self._rows)
        except sqlite3.Error as exc:  # a full disk, mostly
            raise _unwritable(str(self.path.parent.parent), exc) from None
        self._rows = []

    def seal(self) -> list[int]:
        """Finish writing; the partitions that hold events."""
        self._flush()
        try:
            self._db.execute("CREATE INDEX by_case ON events (part, case_key, seq)")
            self._db.commit()
        except sqlite3.Error as exc:
            raise _unwritable(str(self.path.parent.parent), exc) from None
        return [p for (p,) in self._db.execute("SELECT DISTINCT part FROM events ORDER BY part")]

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()

    @property
    def directory(self) -> Path:
        return Path(self._dir.name)


def _unwritable(directory: str | None, exc: BaseException) -> PactwatchError:
    return spill_unwritable(directory, exc, "the events by case", "about the size of the input, or use --workers 0")


def read_cases(path: Path, part: int, skip: frozenset[str]) -> Iterator[tuple[str, Iterator[tuple[int, Event, Any]]]]:
    """The cases of a partition in key order, each with its events in input order."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT case_key, seq, body FROM events WHERE part = ? ORDER BY case_key, seq", (part,))
        for key, group in itertools.groupby(rows, key=lambda r: str(r[0])):
            if key in skip:
                continue
            # the store is this run's own, written above in a private temporary directory
            yield key, ((seq, *pickle.loads(body)) for _, seq, body in group)  # noqa: S301
    finally:
        db.close()


class _Results:
    """Each case's first-stage result as its worker packed it (pickled, compressed), on disk until the merge takes it.

    The merge goes in case-key order (the audit log must not depend on which worker finished
    first), so every result waits for the last; held in memory, they were the largest part of
    a big run's main process (a finding with its evidence is some kilobytes as objects).
    """

    def __init__(self, path: Path):
        try:
            self._db = sqlite3.connect(path)
            self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                                   "CREATE TABLE results (n INTEGER PRIMARY KEY, case_key TEXT, body BLOB)")
        except sqlite3.Error as exc:
            raise _unwritable(str(path.parent.parent), exc) from None
        self._path = path

    def add(self, key: str, body: bytes) -> None:
        try:
            self._db.execute("INSERT INTO results (case_key, body) VALUES (?, ?)", (key, body))
        except sqlite3.Error as exc:
            raise _unwritable(str(self._path.parent.parent), exc) from None

    def in_order(self) -> Iterator[Partial]:
        """The results by case key (in arrival order within one), each read as it is taken."""
        for (body,) in self._db.execute("SELECT body FROM results ORDER BY case_key, n"):
            # written above by this run's own workers
            yield pickle.loads(zlib.decompress(body))  # noqa: S301

    def close(self) -> None:
        self._db.close()


@dataclass
class _Task:
    part: int
    #: cases already done or given up (a replacement worker skips them)
    skip: frozenset[str] = frozenset()


@dataclass
class _Worker:
    process: Any
    conn: Connection
    task: _Task
    current: str | None = None
    done: set[str] = field(default_factory=set)
    finished: bool = False


def capture_log(entries: list[tuple[str, dict[str, Any]]]) -> Any:
    """A logger whose entries are kept (method, fields), for the process that owns the audit log to
    write when it merges the result (``_Run.absorb``): a worker's, or a Spark task's."""
    def keep(_logger: Any, method: str, event: Any) -> Any:
        entries.append((method, dict(event)))
        raise structlog.DropEvent

    return structlog.wrap_logger(structlog.ReturnLogger(), processors=[keep])


def _fault(key: str, directory: Path) -> None:
    """The test-only fault hook (:data:`FAULT_ENV`)."""
    wanted = os.environ.get(FAULT_ENV)
    if not wanted:
        return
    once = wanted.endswith(":once")
    if (wanted[:-len(":once")] if once else wanted) != case_label(key):
        return
    if once:
        try:
            os.close(os.open(directory / "fault-injected", os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return
    os.abort()


def _work(make_run: Callable[[], _Run], store: Path, task: _Task, end: float, conn: Connection) -> None:
    """A worker: evaluate the partition's cases one by one, sending each result when done."""
    from .engine import _MEMORY_EVERY
    with collector_paused():
        try:
            run = make_run()
            entries: list[tuple[str, dict[str, Any]]] = []
            if run.audited:
                run.log = capture_log(entries)
            run.hashes = bytearray()
            def finish(key: str) -> None:
                run.finish_cases(end)
                part = run.partial()
                part.audit, entries[:] = list(entries), []
                # packed here, in parallel, so the parent only keeps the bytes on disk until their turn (_Results)
                conn.send(("case", key, zlib.compress(pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL), 1)))

            # the cases' events one after the other, their texts read a batch ahead (across cases: a case
            # has a handful of messages, too few to read together); each case is still evaluated alone
            flat = ((key, seq, event, origin) for key, events in read_cases(store, task.part, task.skip)
                    for seq, event, origin in events)
            current: str | None = None
            for count, ((key, seq, event, origin), analysis) in enumerate(
                    read_ahead(flat, lambda item: item[2], run.ev.analyzer, run.annotations), 1):
                if key != current:
                    if current is not None:
                        finish(current)
                    conn.send(("start", key))
                    _fault(key, store.parent)
                    run.now = float("-inf")
                    current = key
                if not count % _MEMORY_EVERY:
                    run._check_memory()
                run.feed(event.at.timestamp(), event, origin, seq, analysis)
            if current is not None:
                finish(current)
            run.release(True)
            conn.send(("done",))
        except PactwatchError as exc:
            conn.send(("error", exc.problems))
        except MemoryError:
            conn.send(("error", [Problem("out-of-memory", "a worker ran out of memory on one case; give the process "
                                         "more memory or use fewer workers (each holds one case at a time)")]))
        except Exception as exc:  # noqa: BLE001 - a fault in pactwatch: this case fails, the others go on
            conn.send(("fault", f"{type(exc).__name__}: {exc}"))
        finally:
            conn.close()


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        with contextlib.suppress(ValueError):
            return f"the worker process was killed by {signal.Signals(-exitcode).name}"
        return f"the worker process was killed by signal {-exitcode}"
    return f"the worker process ended with exit code {exitcode}"


class _Pool:
    """Worker processes over the partitions: replaced when they die, a case given up after two deaths."""

    def __init__(self, make_run: Callable[[], _Run], store: CaseStore, end: float, workers: int):
        self.make_run = make_run
        self.store = store
        self.end = end
        self.workers = workers
        self.ctx = get_context("fork")
        self.results = _Results(store.directory / "results.sqlite")
        self.deaths: dict[str, list[str]] = {}
        self.failed: dict[str, str] = {}

    def run(self, parts: list[int]) -> None:
        tasks = deque(_Task(p) for p in parts)
        live: list[_Worker] = []
        try:
            while tasks or live:
                while tasks and len(live) < self.workers:
                    live.append(self._start(tasks.popleft()))
                ready = set(wait([w.conn for w in live]))
                for w in [w for w in live if w.conn in ready]:
                    if self._receive(w, tasks):
                        live.remove(w)
        finally:
            for w in live:
                w.process.kill()
                w.process.join()

    def _start(self, task: _Task) -> _Worker:
        reader, writer = self.ctx.Pipe(duplex=False)
        process = self.ctx.Process(target=_work, args=(self.make_run, self.store.path, task, self.end, writer),
                                   daemon=True)
        process.start()
        writer.close()  # the parent's copy: reading then ends when the worker does
        return _Worker(process, reader, task, done=set(task.skip))

    def _receive(self, w: _Worker, tasks: deque[_Task]) -> bool:
        """Take one message; True when the worker is gone."""
        try:
            message = w.conn.recv()
        except (EOFError, OSError):
            w.process.join()
            if not w.finished:
                self._died(w, _death(w.process.exitcode), tasks)
            return True
        kind = message[0]
        if kind == "start":
            w.current = message[1]
        elif kind == "case":
            self.results.add(message[1], message[2])
            w.done.add(message[1])
            w.current = None
        elif kind == "done":
            w.finished = True
        elif kind == "error":
            raise PactwatchError(message[1])
        elif kind == "fault":
            w.finished = True
            self._give_up(w, w.current, f"internal error: {message[1]}", tasks)
        return False

    def _died(self, w: _Worker, why: str, tasks: deque[_Task]) -> None:
        key = w.current
        if key is None:  # between cases: go on where it stopped, but not for ever
            outside = self.deaths.setdefault(f"\x00partition {w.task.part}", [])
            outside.append(why)
            if len(outside) >= 2:
                raise RuntimeError(f"workers for partition {w.task.part} died twice outside any case ({why})")
            tasks.append(_Task(w.task.part, frozenset(w.done)))
            return
        self.deaths.setdefault(key, []).append(why)
        if len(self.deaths[key]) >= 2:
            self._give_up(w, key, f"{why}, twice, while evaluating this case", tasks)
        else:
            tasks.append(_Task(w.task.part, frozenset(w.done)))

    def _give_up(self, w: _Worker, key: str | None, why: str, tasks: deque[_Task]) -> None:
        if key is None:  # not about a case: a fault of the run (exit 3), not of the input
            raise RuntimeError(f"a worker failed outside any case: {why}")
        self.failed[key] = why
        tasks.append(_Task(w.task.part, frozenset(w.done | {key})))


def run_partitioned(ev: Evaluator, stream: Iterable[Timed], summary: IngestSummary, *, workers: int,
                    detail: bool = False, annotations: Annotations | None = None, as_of: float | None = None,
                    spill_dir: str | None = None, spill: bool = False) -> Report | SpilledReport:
    """Both stages, the first in ``workers`` processes (see the module's docstring); ``spill``
    keeps the report's findings on disk as the cases come in (findings.py)."""
    from .engine import _MEMORY_EVERY, _Run, out_of_order

    parent = _Run(ev, summary, detail, annotations or {}, as_of)
    parent.hashes = bytearray()
    parent.log.info("run.started", ruleset_hash=ev.library.hash, contract=ev.contract.id, version=__version__,
                    workers=workers)
    store = CaseStore(spill_dir, max(1, workers) * _PARTS_PER_WORKER)
    pool: _Pool | None = None
    finished = False
    try:
        if spill:
            parent.spill = FindingStore(spill_dir)
        last = float("-inf")
        for seq, (epoch, _, event) in enumerate(stream, 1):
            origin = summary.origins.pop(id(event), None)
            if as_of is not None and epoch > as_of:
                parent.after_as_of += 1
                continue
            if epoch < last:
                raise out_of_order(event, epoch, last)
            last = epoch
            if not seq % _MEMORY_EVERY:
                parent._check_memory()
            if event.type == "clock":
                parent.feed(epoch, event, origin, seq)
            else:
                store.add(seq, event, origin)
        end = max(last, as_of) if as_of is not None else last
        parts = store.seal()
        guard = ev.memory

        def make_run() -> _Run:
            run = _Run(ev, IngestSummary(strict=summary.strict, files={f: [0, 0] for f in summary.files}), detail,
                       annotations or {}, as_of)
            run.ev.memory = MemoryGuard(guard.resident // (workers + 1) if guard.resident else None,
                                        guard.address_space, guard.explicit)
            return run

        pool = _Pool(make_run, store, end, max(1, workers))
        pool.run(parts)
        for part in pool.results.in_order():
            parent.hashes += part.hashes
            parent.absorb(part)
        parent.now = max(parent.now, end)
        parent.digest = digest_of(parent.hashes)
        parent.failed = [FailedCase(case=case_label(k), reason=why) for k, why in sorted(pool.failed.items())]
        report = parent.conclude()
        finished = True
        return report
    finally:
        parent.release(finished)
        if pool is not None:
            pool.results.close()
        store.close()
        if not finished and parent.spill is not None:
            parent.spill.close()
