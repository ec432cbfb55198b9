"""Writing a file so that it is either the old one or the new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["write_atomically"]


def write_atomically(target: Path, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Write beside the target, flush to disk, rename into place; raises OSError (nothing left behind).

    A full disk, a signal or ``kill -9`` at any point leaves the target as it was: the bytes
    go to a temporary name first (per process, so two writers never share it) and only a
    rename, which is atomic, puts them under the real name. A target that is not a regular file
    (a device, a pipe) is written through instead: there is nothing to keep whole. ``data``
    may be a function that writes to the open file: a report on disk is written in pieces.
    """
    write = data if callable(data) else _writer(data)
    try:
        special = not stat.S_ISREG(os.stat(target).st_mode)
    except FileNotFoundError:
        special = False
    if special:
        # A device, a pipe or a terminal (``-o /dev/null``, ``-o /dev/stdout``, a FIFO): written
        # through. A rename would put a plain file where the device was — run as root, in place of
        # /dev/null for every program on the machine.
        with open(target, "wb") as handle:
            write(handle)
        return
    temp = target.with_name(f".{target.name}.{os.getpid()}.pactwatch-tmp")
    try:
        with open(temp, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _writer(data: bytes) -> Callable[[BinaryIO], None]:
    def write(handle: BinaryIO) -> None:
        handle.write(data)

    return write
