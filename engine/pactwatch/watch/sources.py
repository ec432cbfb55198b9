"""JSON lines from a file or stdin, with the byte offset after each line and a sign when input pauses.

The watcher needs two things the batch reader does not: where it is (a byte offset to
resume a file at, a line count to skip on stdin, which a restart is fed from the start)
and when the producer has nothing more for now (the moment to hand out what is decided
and commit, instead of waiting for the next line with findings unwritten).
"""

from __future__ import annotations

import os
import select
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..ingest.stream import MAX_LINE_CHARS, without_byte_order_mark

__all__ = ["Line", "Unreadable", "PAUSE", "read_lines"]


@dataclass(frozen=True)
class Unreadable:
    code: str
    reason: str


@dataclass(frozen=True)
class Line:
    number: int
    #: the line's text, or why it cannot be read
    text: str | Unreadable
    #: bytes of the input consumed after this line (where a restart resumes a file)
    offset: int


#: the input has nothing more for now (or has ended): a step boundary
PAUSE = None

_CHUNK = 1 << 16
_TOO_LARGE = Unreadable("event-too-large", f"line longer than {MAX_LINE_CHARS // 2**20} MiB characters; not read")


def _decoded(raw: bytes) -> str | Unreadable:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Unreadable("event-not-utf8", f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at byte {exc.start + 1}")


def _ready(fd: int) -> bool:
    try:
        return bool(select.select([fd], [], [], 0)[0])
    except (OSError, ValueError):
        return True


def read_lines(fd: int, *, offset: int = 0, line: int = 0, skip: bool = False, follow: float | None = None,
               stop: list[bool] | None = None, rotated: Callable[[int], bool] | None = None) -> Iterator[Line | None]:
    """Each non-blank line after ``line`` (number) of the input, with ``PAUSE`` whenever the input
    has nothing ready. A file is read from ``offset``; a pipe (``skip``) is read from its start and
    the first ``line`` lines are passed over. ``follow`` (seconds): at the end, wait for more that
    often instead of ending, until ``stop[0]`` is set or ``rotated(bytes consumed)`` says another
    file took the name (what was still appended to this one is read first)."""
    if not skip and offset:
        os.lseek(fd, offset, os.SEEK_SET)
    buffer = bytearray()
    number = 0 if skip else line
    consumed = 0 if skip else offset
    dropping = False  # inside a line too long to keep: its rest is read and dropped
    synthetic = 0  # a newline added to the last line of an input that does not end in one
    while True:
        end = buffer.find(b"\n")
        if end < 0:
            if len(buffer) > MAX_LINE_CHARS * 4 or (dropping and buffer):
                consumed += len(buffer)
                buffer.clear()
                dropping = True
            if not _ready(fd):
                yield PAUSE
            chunk = os.read(fd, _CHUNK)
            if not chunk:
                if buffer and not dropping and follow is None:  # a last line without its newline
                    buffer += b"\n"
                    synthetic = 1
                    continue
                yield PAUSE
                if follow is None or (stop and stop[0]):
                    return
                if rotated is not None and rotated(consumed + len(buffer)):
                    if (rest := os.read(fd, _CHUNK)):  # written to the old file before the switch
                        buffer += rest
                        continue
                    if buffer and not dropping:  # its last line, without a newline
                        buffer += b"\n"
                        synthetic = 1
                        continue
                    return
                time.sleep(follow)
                continue
            buffer += chunk
            continue
        raw = bytes(buffer[:end])
        del buffer[:end + 1]
        consumed += end + 1 - synthetic
        number += 1
        was_dropping, dropping = dropping, False
        if skip and number <= line:
            continue
        if was_dropping:
            yield Line(number, _TOO_LARGE, consumed)
            continue
        if not raw.strip():
            continue
        text = _decoded(raw)
        if isinstance(text, str):
            text = without_byte_order_mark(text, number)
        yield Line(number, _TOO_LARGE if isinstance(text, str) and len(text) > MAX_LINE_CHARS else text, consumed)
