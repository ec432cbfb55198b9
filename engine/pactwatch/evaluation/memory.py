"""Stop a run cleanly before memory runs out, instead of dying in the rule engine's C++.

durable_rules allocates in native code: when the process hits its memory limit there, it
dies with SIGSEGV and no message, and every case of the run is lost. The evaluator looks
at its own size every few hundred events and, past the limit, stops with exit 2, saying
how many cases were open — the number a user needs to split the input.

The default limit is 90 % of what the process may use: the cgroup's ``memory.max`` or the
machine's memory for the resident size, and ``ulimit -v`` (RLIMIT_AS) for the address space.
"""

from __future__ import annotations

import os
import re
import resource
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MemoryGuard", "parse_size"]

_PAGE = os.sysconf("SC_PAGE_SIZE")
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)
_FACTORS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}
#: share of a limit the run may reach before it stops
_HEADROOM = 0.9


def parse_size(text: str) -> int:
    """Bytes of "2G", "512M", "1.5GiB", "1073741824"; ValueError with the reason otherwise."""
    m = _SIZE.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a size (e.g. 2G, 512M, 1.5GiB)")
    size = int(float(m.group(1)) * _FACTORS[m.group(2).lower()])
    if size < 64 * 2**20:
        raise ValueError(f"{text!r} is less than 64 MiB, too little to load the rules")
    return size


def _number(path: str, field: str | None = None) -> int | None:
    try:
        text = Path(path).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None
    if field is not None:
        m = re.search(rf"^{field}:\s+(\d+)\s*kB", text, re.MULTILINE)
        return int(m.group(1)) * 1024 if m else None
    text = text.strip()
    return int(text) if text.isdigit() else None


def _physical() -> int | None:
    """What the process may hold resident: the cgroup's limit or the machine's memory, whichever is less."""
    found = [n for n in (_number("/sys/fs/cgroup/memory.max"), _number("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
                         _number("/proc/meminfo", "MemTotal")) if n]
    return min(found) if found else None


def _usage() -> tuple[int, int] | None:
    """(address space, resident) in bytes, from /proc/self/statm."""
    try:
        size, resident, *_ = Path("/proc/self/statm").read_text(encoding="ascii").split()
    except (OSError, ValueError):
        return None
    return int(size) * _PAGE, int(resident) * _PAGE


@dataclass(frozen=True)
class MemoryGuard:
    resident: int | None
    address_space: int | None
    explicit: bool = False

    @classmethod
    def of(cls, max_memory: int | None = None) -> MemoryGuard:
        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        space = int(soft * _HEADROOM) if soft not in (resource.RLIM_INFINITY, -1) else None
        if max_memory is not None:
            return cls(max_memory, space, explicit=True)
        physical = _physical()
        return cls(int(physical * _HEADROOM) if physical else None, space)

    def exceeded(self) -> str | None:
        """Why the run must stop now, or None."""
        usage = _usage()
        if usage is None:
            return None
        space, resident = usage
        if self.resident is not None and resident > self.resident:
            what = "--max-memory" if self.explicit else "90 % of the memory this process may use"
            return f"{resident / 2**20:,.0f} MiB in use, above {what} ({self.resident / 2**20:,.0f} MiB)"
        if self.address_space is not None and space > self.address_space:
            return (f"{space / 2**20:,.0f} MiB of address space in use, close to the limit set with ulimit -v "
                    f"({self.address_space / _HEADROOM / 2**20:,.0f} MiB)")
        return None
