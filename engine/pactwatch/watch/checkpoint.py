"""The watcher's checkpoint: what was read, what is held, what was handed out — one SQLite file.

State is kept as data that can be replayed, never as durable_rules internals: the events
in the order they were released to the rules (a restart feeds them again and arrives at
the same state), the events still held back by the watermark, how far each input was
read, the identity of every finding handed out and the length of the output file. One
transaction per step commits all of it together, after the step's output lines are on
disk: a watcher killed at any point restarts from the last step, cuts the output back to
the length that step recorded and writes the same lines again — none lost, none twice.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import PactwatchError, Problem

__all__ = ["Checkpoint", "Held", "Position", "Step", "FORMAT"]

#: the layout of the file; a checkpoint of another layout is refused, not misread
FORMAT = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    label TEXT PRIMARY KEY,
    offset INTEGER NOT NULL,         -- bytes consumed of the file now under this name
    line INTEGER NOT NULL,
    file_id TEXT,                    -- device and inode of that file: another one under the name was rotated in
    generation INTEGER NOT NULL      -- how many files under this name came before it
);
CREATE TABLE IF NOT EXISTS log (
    serial INTEGER PRIMARY KEY,      -- arrival order: the event's position in the input
    released INTEGER,                -- release order (NULL: still held back by the watermark)
    case_key TEXT NOT NULL,          -- vendor and incident: a case set aside is replayed from its rows
    at REAL NOT NULL,
    ident TEXT NOT NULL,
    content TEXT NOT NULL,           -- the event as validated (canonical JSON)
    raw TEXT NOT NULL,               -- the line as read: replayed through the same validation
    file TEXT NOT NULL,
    line INTEGER
);
CREATE INDEX IF NOT EXISTS log_released ON log (released) WHERE released IS NOT NULL;
CREATE INDEX IF NOT EXISTS log_case ON log (case_key, released);
CREATE TABLE IF NOT EXISTS emitted (key TEXT PRIMARY KEY);
"""


@dataclass(frozen=True)
class Held:
    """An accepted event as the checkpoint keeps it."""

    serial: int
    case_key: str
    at: float
    ident: str
    content: str
    raw: str
    file: str
    line: int | None


@dataclass(frozen=True)
class Position:
    """How far one input was read: bytes and lines of the file now under its name (stdin: from the start)."""

    offset: int = 0
    line: int = 0
    file_id: str | None = None
    generation: int = 0


@dataclass
class Step:
    """What one step changed besides its events (those go in as they come: :meth:`Checkpoint.add`)."""

    emitted: list[str] = field(default_factory=list)
    offsets: dict[str, Position] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.emitted or self.offsets or self.meta)


class Checkpoint:
    """One watcher's state in ``DIR/checkpoint.sqlite``."""

    def __init__(self, directory: Path):
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self.path = directory / "checkpoint.sqlite"
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise PactwatchError(Problem("checkpoint-unusable", f"cannot use {directory} as a checkpoint: {exc}",
                                         file=str(directory))) from None
        self.meta = {k: json.loads(v) for k, v in self.db.execute("SELECT key, value FROM meta")}
        if self.meta.get("format", FORMAT) != FORMAT:
            raise PactwatchError(Problem("checkpoint-mismatch", f"the checkpoint has layout {self.meta.get('format')}, "
                                         f"this pactwatch writes {FORMAT}: start a new checkpoint",
                                         file=str(self.path)))

    @property
    def fresh(self) -> bool:
        return not self.meta

    def bind(self, identity: dict[str, Any]) -> None:
        """Tie the checkpoint to the contract, rules and settings it was started with: a restart
        with others would continue someone else's state (exit 2, naming what differs)."""
        if self.fresh:
            self.commit(Step(meta={"format": FORMAT, **identity}))
            return
        differ = sorted(k for k, v in identity.items() if self.meta.get(k) != v)
        if differ:
            raise PactwatchError(Problem("checkpoint-mismatch", f"the checkpoint was started with another {', '.join(differ)}"
                                         f" ({'; '.join(f'{k}: {self.meta.get(k)!r}' for k in differ)}): restart with "
                                         "the same, or start a new checkpoint", file=str(self.path)))

    def offsets(self) -> dict[str, Position]:
        """label → how far its input was read."""
        return {row[0]: Position(*row[1:]) for row in
                self.db.execute("SELECT label, offset, line, file_id, generation FROM sources")}

    def replay(self) -> Iterator[tuple[int, Held]]:
        """(release order, event) of the events released to the rules, in the order they were released."""
        rows = self.db.execute("SELECT released, serial, case_key, at, ident, content, raw, file, line FROM log "
                               "WHERE released IS NOT NULL ORDER BY released")
        return ((row[0], Held(*row[1:])) for row in rows)

    def case(self, case_key: str, first: int, upto: int) -> list[tuple[int, Held]]:
        """(release order, event) of one case's events: those of its key released from ``first`` to ``upto``
        (a key whose case was closed and opened again names two cases; release order tells them apart)."""
        rows = self.db.execute("SELECT released, serial, case_key, at, ident, content, raw, file, line FROM log "
                               "WHERE case_key = ? AND released BETWEEN ? AND ? ORDER BY released",
                               (case_key, first, upto))
        return [(row[0], Held(*row[1:])) for row in rows]

    def held(self) -> list[Held]:
        """The events still held back by the watermark."""
        rows = self.db.execute("SELECT serial, case_key, at, ident, content, raw, file, line FROM log "
                               "WHERE released IS NULL ORDER BY serial")
        return [Held(*row) for row in rows]

    def emitted(self) -> set[str]:
        return {key for (key,) in self.db.execute("SELECT key FROM emitted")}

    def counts(self) -> tuple[int, int]:
        """(events kept, highest release order)."""
        serial, released = self.db.execute("SELECT COALESCE(MAX(serial), 0), COALESCE(MAX(released), 0) FROM log").fetchone()
        return int(serial), int(released)

    @property
    def pending(self) -> bool:
        """Events were added or released since the last commit."""
        return self.db.in_transaction

    def _write(self, sql: str, args: tuple[Any, ...]) -> None:
        """Within the step's transaction (opened by its first write): this connection reads what it
        wrote before the commit, so a case set aside in mid-step can be replayed from it."""
        try:
            if not self.db.in_transaction:
                self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(sql, args)
        except sqlite3.Error as exc:
            raise PactwatchError(Problem("checkpoint-unwritable", f"cannot write the checkpoint: {exc}",
                                         file=str(self.path))) from None

    def add(self, h: Held) -> None:
        """An accepted event, held back until :meth:`release`."""
        self._write("INSERT INTO log (serial, released, case_key, at, ident, content, raw, file, line) "
                    "VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?)", (h.serial, h.case_key, h.at, h.ident, h.content, h.raw,
                                                              h.file, h.line))

    def release(self, serial: int, order: int) -> None:
        """The event was fed to the rules, as the ``order``-th."""
        self._write("UPDATE log SET released = ? WHERE serial = ?", (order, serial))

    def commit(self, step: Step) -> None:
        """Everything the step changed, atomically."""
        if not step and not self.pending:
            return
        db = self.db
        try:
            if not db.in_transaction:
                db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR IGNORE INTO emitted (key) VALUES (?)", [(k,) for k in step.emitted])
            db.executemany("INSERT INTO sources (label, offset, line, file_id, generation) VALUES (?, ?, ?, ?, ?) "
                           "ON CONFLICT(label) DO UPDATE SET offset = excluded.offset, line = excluded.line, "
                           "file_id = excluded.file_id, generation = excluded.generation",
                           [(label, p.offset, p.line, p.file_id, p.generation) for label, p in step.offsets.items()])
            db.executemany("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           [(k, json.dumps(v)) for k, v in step.meta.items()])
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise PactwatchError(Problem("checkpoint-unwritable", f"cannot write the checkpoint: {exc}",
                                         file=str(self.path))) from None
        self.meta.update(step.meta)

    def close(self) -> None:
        self.db.close()
