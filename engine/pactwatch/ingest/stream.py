"""Read several event files and yield one stream in canonical event-time order.

Canonical order is (event time, event id): equal timestamps are ordered by id, so the
result does not depend on the order in which a feed delivered simultaneous events.
Files already in time order (the normal case for logs and exports) are streamed in two
cheap passes and never held in memory; a file out of order is sorted in memory.
"""

from __future__ import annotations

import heapq
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, ValidationError

from .._time import parse_stamp
from .._yaml import load_yaml
from ..errors import PactwatchError, Problem, reason_of
from ..models.events import MAX_YEAR, MIN_YEAR, Event
from ..models.report import FileSummary, InputSummary, Rejection
from .records import parse_record

__all__ = ["IngestSummary", "EventSet", "stream_events", "stream_records", "load_events", "Timed",
           "order_ties_by_content", "spool_stdin", "yaml_records", "events_file", "is_timeline",
           "without_byte_order_mark"]

Timed = tuple[float, str, Event]


@dataclass
class IngestSummary:
    """Counts filled in while the stream is consumed (the engine adds dedupe figures)."""

    strict: bool = False
    files: dict[str, list[int]] = field(default_factory=dict)  # path → [accepted, rejected]
    events_read: int = 0
    events_accepted: int = 0
    duplicates: int = 0
    unknown_types: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    digest: str = ""
    #: where each event in flight was read (``id(event)`` → file, line); the engine takes each
    #: entry as it consumes the event, so a conflict can name both places. A side table, not a
    #: field of the event: a private model attribute cost a tenth of ingest.
    origins: dict[int, tuple[str, int | None]] = field(default_factory=dict)

    def reject(self, problems: list[Problem]) -> None:
        if self.strict:
            raise PactwatchError(problems)
        first = problems[0]
        self.files[first.file or "<input>"][1] += 1
        reason = reason_of(problems)
        self.rejected.append(Rejection(file=first.file or "<input>", line=first.line, field=first.field,
                                       code=first.code, reason=reason))

    def freeze(self) -> InputSummary:
        return InputSummary(
            files=[FileSummary(path=p, events=c[0], rejected=c[1]) for p, c in self.files.items()],
            events_read=self.events_read, events_accepted=self.events_accepted, duplicates=self.duplicates,
            unknown_types=self.unknown_types, rejected=list(self.rejected), digest=self.digest,
        )


def _epoch_of(raw_at: object) -> float | None:
    if not isinstance(raw_at, str):
        return None
    try:
        moment = parse_stamp(raw_at)
        return moment.timestamp() if moment.tzinfo and MIN_YEAR <= moment.year <= MAX_YEAR else None
    except (ValueError, OverflowError):
        return None


#: a JSON line longer than this is rejected, not read into memory (no event is this large;
#: a stream of NUL bytes or a runaway export is)
MAX_LINE_CHARS = 16 * 2**20
#: stdin is spooled to an unnamed temporary file for sorting, up to this size
MAX_STDIN_BYTES = 2 * 2**30
@dataclass(frozen=True)
class _Unreadable:
    """A line that cannot be read as an event, and why (it is quarantined; the rest of the file is read)."""

    code: str
    reason: str


_TOO_LONG = _Unreadable("event-too-large", f"line longer than {MAX_LINE_CHARS // 2**20} MiB characters; not read")
#: bytes that are not UTF-8 come through ``surrogateescape`` as these code points, and only they do
_UNDECODED = re.compile("[\udc80-\udcff]")


def not_utf8(text: str) -> _Unreadable | None:
    """Why a line decoded with ``surrogateescape`` is not read: its first byte that is not UTF-8."""
    bad = None if text.isascii() else _UNDECODED.search(text)
    if bad is None:
        return None
    return _Unreadable("event-not-utf8", f"not UTF-8 text: byte 0x{ord(bad.group()) - 0xDC00:02x} at column {bad.start() + 1}")


#: what Notepad, Excel and PowerShell write before a UTF-8 file's first line: no part of that line
BYTE_ORDER_MARK = "\ufeff"


def without_byte_order_mark(text: str, number: int) -> str:
    """Line ``number``'s text without the byte order mark a file may begin with, for the line readers
    that cannot decode the whole input with ``utf-8-sig``: ``watch``'s lines as they arrive, Spark's."""
    return text[1:] if number == 1 and text.startswith(BYTE_ORDER_MARK) else text


def unreadable_line(text: str) -> _Unreadable | None:
    """Why a whole line (decoded with ``surrogateescape``, without its line break) is not read as an
    event, as :func:`_json_lines` decides it: too long, or not UTF-8. (The Spark engine's lines.)"""
    return _TOO_LONG if len(text) > MAX_LINE_CHARS else not_utf8(text)


def _json_lines(path: Path) -> Iterator[tuple[int, str | _Unreadable]]:
    """(line number, text) of each non-blank line, or why the line cannot be read. A byte order mark
    at the start (Notepad, Excel and PowerShell write one) is not part of the first line."""
    with path.open(encoding="utf-8-sig", errors="surrogateescape") as handle:
        number = 0
        while True:
            text = handle.readline(MAX_LINE_CHARS + 1)
            if not text:
                return
            number += 1
            if len(text) > MAX_LINE_CHARS and not text.endswith("\n"):
                while (rest := handle.readline(MAX_LINE_CHARS)) and not rest.endswith("\n"):
                    pass
                yield number, _TOO_LONG
            elif (undecoded := not_utf8(text)) is not None:
                yield number, undecoded
            elif text.strip():
                yield number, text


class _At(BaseModel):
    """Just the timestamp of a line, for the cheap ordering pass."""

    model_config = ConfigDict(extra="ignore")
    at: object = None


#: an ``"at": "..."`` member. Without ``\u`` escapes every key is spelled literally, and
#: text inside a string cannot contain ``"at"`` (its quotes are escaped), so a line in
#: which ``"at"`` occurs exactly once, not after a backslash, is read at that spot
#: alone; lines with ``\u`` escapes or with several ``"at"`` (``data`` may nest one)
#: are parsed. ``str.count`` scans in C: a regex search over the whole line cost 3×.
_AT_VALUE = re.compile(r'"at"\s*:\s*"([^"\\]*)"')


def _line_epoch(text: str) -> float | None:
    if "\\u" not in text and text.count('"at"') == 1:
        at = text.find('"at"')
        found = _AT_VALUE.match(text, at) if at > 0 and text[at - 1] != "\\" else None
        if found is not None:
            return _epoch_of(found.group(1))
    try:
        return _epoch_of(_At.model_validate_json(text).at)
    except ValidationError:
        return None


def _is_ordered(path: Path) -> bool:
    """One cheap pass over the timestamps (lines that will be rejected do not count)."""
    last = float("-inf")
    for _, text in _json_lines(path):
        epoch = _line_epoch(text) if isinstance(text, str) else None
        if epoch is not None:
            if epoch < last:
                return False
            last = epoch
    return True


def localize(text: str, tz: str) -> str:
    """A timeline time without offset, in the contract's zone; DST gaps and folds are errors."""
    naive = datetime.fromisoformat(text)
    zone = ZoneInfo(tz)
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        roundtrip = datetime.fromtimestamp(first.timestamp(), zone).replace(tzinfo=None)
        if roundtrip != naive:
            raise ValueError(f"{text} does not exist in {tz} (the clocks skip it): write the time with its offset")
        raise ValueError(f"{text} happens twice in {tz} (the clocks go back): write the time with its offset")
    return first.isoformat()


class _Reader:
    def __init__(self, label: str, summary: IngestSummary, allow_unknown: bool, local_tz: str | None = None):
        self.label = label
        self.summary = summary
        self.allow_unknown = allow_unknown
        self.local_tz = local_tz

    def accept(self, raw: object, line: int | None) -> Timed | None:
        self.summary.events_read += 1
        event, problems, unknown = parse_record(raw, file=self.label, line=line, allow_unknown=self.allow_unknown)
        if event is None:
            self.summary.reject(problems)
            return None
        self.summary.files[self.label][0] += 1
        self.summary.origins[id(event)] = (self.label, line)
        if unknown:
            self.summary.unknown_types += 1
        assert event.id is not None
        return (event.at.timestamp(), event.id, event)

    def jsonl(self, path: Path) -> Iterator[Timed]:
        for number, text in _json_lines(path):
            if isinstance(text, _Unreadable):
                self.summary.events_read += 1
                self.summary.reject([Problem(text.code, text.reason, file=self.label, line=number)])
                continue
            item = self.accept(text, number)
            if item is not None:
                yield item

    def yaml(self, path: Path) -> Iterator[Timed]:
        for line, raw in yaml_records(path, self.label, self.local_tz):
            if isinstance(raw, Problem):
                self.summary.events_read += 1
                self.summary.reject([raw])
                continue
            item = self.accept(raw, line)
            if item is not None:
                yield item


def yaml_records(path: Path, label: str, local_tz: str | None) -> Iterator[tuple[int | None, object]]:
    """A YAML event file's records with their lines, before validation: a YAML timestamp is
    written back as text, a time without an offset is placed in ``local_tz`` (hand-written
    timelines), and a time that cannot be placed there is a :class:`Problem` in the record's stead.
    One function for both engines, so that ``--engine spark`` reads a timeline as ``check`` does."""
    doc = load_yaml(path)
    items = doc.data.get("events") if isinstance(doc.data, dict) else doc.data
    if not isinstance(items, list):
        raise PactwatchError(Problem("events-not-list", "a YAML event file is a list of events (or a mapping with 'events:')",
                                     file=label, line=1))
    prefix = ("events",) if isinstance(doc.data, dict) else ()
    for i, raw in enumerate(items):
        if isinstance(raw, dict) and isinstance(raw.get("at"), datetime):
            moment = raw["at"]
            raw = dict(raw, at=moment.isoformat() if getattr(moment, "tzinfo", None) or not local_tz
                       else moment.isoformat(sep="T"))
        line = doc.line_of((*prefix, i))
        if local_tz and isinstance(raw, dict) and isinstance(raw.get("at"), str) and _is_naive(raw["at"]):
            try:
                raw = dict(raw, at=localize(raw["at"], local_tz))
            except ValueError as exc:
                raw = Problem("event-invalid", str(exc), file=label, line=line, field="at")
        yield line, raw


def _is_naive(text: str) -> bool:
    try:
        return datetime.fromisoformat(text).tzinfo is None
    except ValueError:
        return False


def _tie_sorted(items: Iterator[Timed]) -> Iterator[Timed]:
    """Within a time-ordered stream, order each group of equal timestamps by id."""
    group: list[Timed] = []
    for item in items:
        if group and item[0] != group[0][0]:
            if len(group) == 1:  # the common case: no tie, nothing to sort
                yield group[0]
            else:
                yield from sorted(group, key=_canonical)
            group = []
        group.append(item)
    yield from sorted(group, key=_canonical)


def _canonical(item: Timed) -> tuple[float, str]:
    return item[0], item[1]


def order_ties_by_content(items: Iterator[Timed]) -> Iterator[Timed]:
    """Events with the same time *and* id (a duplicate, or two events claiming one id) in content order.

    Which of two conflicting events is kept must not depend on file order or feed speed;
    such ties are rare, so only they pay for the canonical JSON.
    """
    run: list[Timed] = []
    for item in items:
        if run and _canonical(item) != _canonical(run[0]):
            yield from run if len(run) == 1 else sorted(run, key=lambda t: t[2].model_dump_json())
            run = []
        run.append(item)
    yield from run if len(run) <= 1 else sorted(run, key=lambda t: t[2].model_dump_json())


def stream_records(records: Iterable[tuple[int | None, object]], label: str, summary: IngestSummary, *,
                   allow_unknown: bool = False, local_tz: str | None = None) -> Iterator[Timed]:
    """Records already in memory (``(line, raw)`` pairs: a service's stored events), validated as a
    file's lines are and yielded in the same canonical order as :func:`stream_events` gives."""
    summary.files.setdefault(label, [0, 0])
    reader = _Reader(label, summary, allow_unknown, local_tz)
    timed = [t for line, raw in records if (t := reader.accept(raw, line)) is not None]
    timed.sort(key=_canonical)
    yield from order_ties_by_content(iter(timed))


def _one_file(path: Path, label: str, summary: IngestSummary, allow_unknown: bool,
              local_tz: str | None = None) -> Iterator[Timed]:
    reader = _Reader(label, summary, allow_unknown, local_tz)
    try:
        if is_timeline(path):
            yield from sorted(reader.yaml(path), key=_canonical)
        elif _is_ordered(path):
            yield from _tie_sorted(reader.jsonl(path))
        else:
            yield from sorted(reader.jsonl(path), key=_canonical)
    except UnicodeDecodeError as exc:
        raise PactwatchError(Problem("file-unreadable", f"not UTF-8 text: {exc.reason}", file=label)) from None


def _spool_stdin() -> IO[bytes]:
    """stdin in an unnamed temporary file: the OS removes it however the run ends."""
    return spool_stdin(tempfile.TemporaryFile())


def spool_stdin(spool: IO[bytes]) -> IO[bytes]:
    """Copy stdin into ``spool`` (up to ``MAX_STDIN_BYTES``: more stops the run, and ``spool`` is
    closed); ``spool`` is flushed and returned."""
    source = getattr(sys.stdin, "buffer", None)
    copied = 0
    while chunk := (source.read(2**20) if source is not None else sys.stdin.read(2**20).encode("utf-8")):
        copied += len(chunk)
        if copied > MAX_STDIN_BYTES:
            spool.close()
            raise PactwatchError(Problem("input-too-large", f"more than {MAX_STDIN_BYTES // 2**30} GiB on stdin; "
                                         "write the events to a file and pass its name", file="<stdin>"))
        spool.write(chunk)
    spool.flush()
    return spool


def _resolve(source: str | Path) -> tuple[Path, str, IO[bytes] | None]:
    """(path to read, label for messages, the temporary spool of stdin to close afterwards)."""
    if str(source) == "-":
        spool = _spool_stdin()
        return Path(f"/dev/fd/{spool.fileno()}"), "<stdin>", spool
    return events_file(source), str(source), None


def events_file(source: str | Path) -> Path:
    """An events file named on the command line, or the error that says why it cannot be read
    (both engines check their inputs here, so they refuse the same ones the same way)."""
    path = Path(source)
    if not path.is_file():
        if path.exists():
            raise PactwatchError(Problem("file-unreadable", "not a regular file", file=str(source)))
        raise PactwatchError(Problem("file-not-found", "no such events file", file=str(source)))
    return path


def is_timeline(path: Path) -> bool:
    """Whether an events file is a YAML timeline (else JSON Lines), by its name, as both engines read it."""
    return path.suffix.lower() in (".yaml", ".yml")


def stream_events(sources: list[str | Path], summary: IngestSummary, *, allow_unknown: bool = False,
                  local_tz: str | None = None) -> Iterator[Timed]:
    """Yield ``(epoch, id, event)`` in canonical order across all sources.

    ``local_tz`` (the contract's zone) lets hand-written YAML timelines give times without
    an offset; JSON Lines always need one.
    """
    resolved = [_resolve(s) for s in sources]
    try:
        for _, label, _ in resolved:
            summary.files.setdefault(label, [0, 0])
        streams = [_one_file(path, label, summary, allow_unknown, local_tz) for path, label, _ in resolved]
        yield from order_ties_by_content(streams[0] if len(streams) == 1 else heapq.merge(*streams, key=_canonical))
    finally:
        for _, _, spool in resolved:
            if spool is not None:
                spool.close()


@dataclass
class EventSet:
    """Events loaded for the Python API: canonical order, plus what the loader saw."""

    events: list[Event]
    summary: IngestSummary

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)


def load_events(*sources: str | Path, strict: bool = False, allow_unknown: bool = False,
                local_tz: str | None = None) -> EventSet:
    summary = IngestSummary(strict=strict)
    events = [e for _, _, e in stream_events(list(sources), summary, allow_unknown=allow_unknown, local_tz=local_tz)]
    return EventSet(events, summary)
