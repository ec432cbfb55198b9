"""A report larger than memory: findings, outcomes and case records kept on disk in the report's order.

Why: a run's first stage already holds one case at a time (workers.py), but the report it
builds holds every finding with its evidence and one outcome per rule and case — at a
million events about 300,000 findings and a million outcomes, 5 GB in the main process,
then a JSON text as large again. Here each finding goes to a sqlite file as it arrives
(after the contract's waivers, which are per finding), already in the JSON the report
writes; each case's record (what its rules applied to, what they missed) waits there too, and
outcomes are decided from it case by case and stored the same way; and the JSON and CSV
reports are written from disk, one finding at a time. The bytes are those of
:meth:`Report.to_json` and :func:`render_csv` over the whole report (tests hold them equal).

The rest of the report (counts, pending obligations, availability, the input summary) is
small and stays a :class:`Report` with empty lists: :attr:`SpilledReport.head`.
"""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..errors import PactwatchError, Problem
from ..models.report import Outcome, Report, Violation
from ..remedies.waivers import is_active
from ..reports.csv import write_csv
from .outcomes import CaseRecord

__all__ = ["FindingStore", "SpilledReport", "spill_unwritable"]

#: rows written per transaction
_BATCH = 2000
#: compression level: one finding's JSON compresses to about 37 % at level 1 (measured on the
#: realistic benchmark stream); higher levels cost time for little
_LEVEL = 1
#: between the outcomes of one row: JSON text never holds a raw NUL (it writes ``\u0000``)
_SEP = "\x00"
#: the indentation of a list item in the report's JSON (``indent=2``, two levels deep)
_ITEM = "    "


def _pretty(model: Violation | Outcome) -> str:
    """The model as the report's JSON writes it inside a top-level list."""
    return _ITEM + model.model_dump_json(indent=2).replace("\n", "\n" + _ITEM)


class FindingStore:
    """Violations (waivers applied), outcomes and case records of one run, on disk, in the order the report lists them."""

    def __init__(self, directory: str | None):
        try:
            self._dir = tempfile.TemporaryDirectory(prefix="pactwatch-findings-", dir=directory)
            self._db = sqlite3.connect(Path(self._dir.name) / "findings.sqlite")
            self._db.executescript(
                "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                "CREATE TABLE violations (n INTEGER PRIMARY KEY, at TEXT, rule TEXT, id TEXT, active INTEGER,"
                " body BLOB);"
                "CREATE TABLE outcomes (n INTEGER PRIMARY KEY, body BLOB);"
                "CREATE TABLE records (vendor TEXT, incident TEXT, first INTEGER, body BLOB);")
        except (OSError, sqlite3.Error) as exc:
            raise _unwritable(directory, exc) from None
        self._directory = directory
        self._violations: list[tuple[str, str, str, int, bytes]] = []
        self._outcomes: list[tuple[bytes]] = []
        self._records: list[tuple[str, str, int, bytes]] = []
        self.count = 0
        self._indexed = False

    # -- writing ---------------------------------------------------------------
    def add(self, violations: Iterable[Violation]) -> None:
        """Keep findings whose waivers are applied; their order among equal (at, rule, id) is arrival."""
        for v in violations:
            body = zlib.compress(_pretty(v).encode("utf-8"), _LEVEL)
            self._violations.append((v.at, v.rule, v.id, int(is_active(v)), body))
            self.count += 1
            if len(self._violations) >= _BATCH:
                self._flush()

    def add_outcomes(self, outcomes: list[Outcome]) -> None:
        """Keep outcomes, given in the report's order: one compressed row per call (per case, a few
        hundred bytes an outcome; compressed one by one they took as long as the rest of the run)."""
        if outcomes:
            texts = _SEP.join(_pretty(o) for o in outcomes)
            self._outcomes.append((zlib.compress(texts.encode("utf-8"), _LEVEL),))
            if len(self._outcomes) >= _BATCH:
                self._flush()

    def add_records(self, records: Iterable[CaseRecord]) -> None:
        """Keep what each case's outcomes are decided from (a few kilobytes a case as objects)."""
        for r in records:
            body = zlib.compress(pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL), _LEVEL)
            self._records.append((r.vendor, r.incident or "", r.first, body))
            if len(self._records) >= _BATCH:
                self._flush()

    def _flush(self) -> None:
        try:
            if self._records:
                self._db.executemany("INSERT INTO records VALUES (?, ?, ?, ?)", self._records)
            if self._violations:
                self._db.executemany("INSERT INTO violations (at, rule, id, active, body) VALUES (?, ?, ?, ?, ?)",
                                     self._violations)
            if self._outcomes:
                self._db.executemany("INSERT INTO outcomes (body) VALUES (?)", self._outcomes)
        except sqlite3.Error as exc:  # a full disk, mostly
            raise _unwritable(self._directory, exc) from None
        self._violations, self._outcomes, self._records = [], [], []

    def _ready(self) -> None:
        self._flush()
        if not self._indexed:
            try:
                self._db.execute("CREATE INDEX by_order ON violations (at, rule, id, n)")
                self._db.execute("CREATE INDEX by_id ON violations (id)")
            except sqlite3.Error as exc:
                raise _unwritable(self._directory, exc) from None
            self._indexed = True

    # -- reading ---------------------------------------------------------------
    def violation_texts(self) -> Iterator[str]:
        """Each finding's JSON as the report writes it, in the report's order (event time, rule, id)."""
        self._ready()
        for (body,) in self._db.execute("SELECT body FROM violations ORDER BY at, rule, id, n"):
            yield zlib.decompress(body).decode("utf-8")

    def violations(self) -> Iterator[Violation]:
        for text in self.violation_texts():
            yield Violation.model_validate_json(text)

    def by_ids(self, ids: Iterable[str]) -> dict[str, Violation]:
        """The findings with these ids; of two with one id, the later in the report's order (as a dict built over it)."""
        self._ready()
        wanted = sorted(set(ids))
        out: dict[str, Violation] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            rows = self._db.execute(f"SELECT body FROM violations WHERE id IN ({','.join('?' * len(chunk))}) "  # noqa: S608 - placeholders only
                                    "ORDER BY at, rule, id, n", chunk)
            for (body,) in rows:
                v = Violation.model_validate_json(zlib.decompress(body))
                out[v.id] = v
        return out

    def records(self) -> Iterator[CaseRecord]:
        """The records kept, by vendor, incident and first event (the order outcomes are decided in)."""
        self._ready()
        for (body,) in self._db.execute("SELECT body FROM records ORDER BY vendor, incident, first"):
            yield pickle.loads(zlib.decompress(body))  # noqa: S301 - written above by this run

    def outcome_texts(self) -> Iterator[str]:
        self._ready()
        for (body,) in self._db.execute("SELECT body FROM outcomes ORDER BY n"):
            yield from zlib.decompress(body).decode("utf-8").split(_SEP)

    def outcomes(self) -> Iterator[Outcome]:
        for text in self.outcome_texts():
            yield Outcome.model_validate_json(text)

    def active(self) -> bool:
        """Some finding counts towards the verdict (not waived off, not carved out)."""
        self._ready()
        return self._db.execute("SELECT 1 FROM violations WHERE active = 1 LIMIT 1").fetchone() is not None

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()


def spill_unwritable(directory: str | None, exc: BaseException, what: str, room: str) -> PactwatchError:
    """The input error for a spill directory that cannot be used (missing, read-only, full)."""
    where = directory or tempfile.gettempdir()
    return PactwatchError(Problem("spill-unwritable", f"cannot keep {what} in {where}: "
                                  f"{getattr(exc, 'strerror', None) or exc}. Give --spill-dir a writable "
                                  f"directory with room for {room}", file=where))


def _unwritable(directory: str | None, exc: BaseException) -> PactwatchError:
    return spill_unwritable(directory, exc, "the report's findings", "about a third of the JSON report's size")


@dataclass
class SpilledReport:
    """A report whose findings and outcomes are on disk; close it when written."""

    #: everything but the findings and outcomes (their lists are empty here)
    head: Report
    store: FindingStore

    @property
    def active(self) -> bool:
        return self.store.active()

    def violations(self) -> Iterator[Violation]:
        return self.store.violations()

    def outcomes(self) -> Iterator[Outcome]:
        return self.store.outcomes()

    def full(self) -> Report:
        """The whole report in memory, for the formats written from one (text, HTML, Markdown, JUnit, PDF)."""
        return self.head.model_copy(update={"violations": list(self.violations()), "outcomes": list(self.outcomes())})

    def write_json(self, out: TextIO) -> None:
        """:meth:`Report.to_json` of :meth:`full`, written a finding at a time."""
        rest = self.head.to_json()
        for name, items in (("violations", self.store.violation_texts()), ("outcomes", self.store.outcome_texts())):
            marker = f'\n  "{name}": []'
            before, found, rest = rest.partition(marker)
            if not found:  # the head's JSON always has both keys, empty
                raise RuntimeError(f"report JSON without {name}")
            out.write(before)
            out.write(f'\n  "{name}": [')
            _write_items(out, items)
        out.write(rest)

    def write_csv(self, out: TextIO) -> None:
        """:func:`render_csv` of :meth:`full`, written a finding at a time."""
        write_csv(self.violations(), out)

    def close(self) -> None:
        self.store.close()


def _write_items(out: TextIO, items: Iterable[str]) -> None:
    """A JSON list's items as ``indent=2`` writes them (``[]`` when there are none)."""
    first = True
    for text in items:
        out.write("\n" if first else ",\n")
        out.write(text)
        first = False
    out.write("]" if first else "\n  ]")
