"""Peak memory of a command and every process it starts, summed at each instant.

``ru_maxrss`` gives each process's own peak; a run with workers needs the sum at the worst
moment, which the per-process peaks over-state (the main process and the workers peak at
different times) and double-count (forked workers share pages with the main process until
either writes them). This samples the process tree from /proc every ``--every`` seconds and
reports the peak of the summed RSS and of the summed PSS (a shared page counted once, split
between the processes that map it). Linux only; a sampler can miss a peak shorter than its
interval.

    python benchmarks/tree_memory.py [--every 0.2] -- pactwatch check ... -f json -o out.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from pathlib import Path


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        out.setdefault(ppid, []).append(int(entry.name))
    return out


def _tree(root: int) -> list[int]:
    children = _children()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in KiB; zeros for a process that is gone."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0, 0
    values = {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)}
    return values.get("Rss", 0), values.get("Pss", 0)


def measure(command: list[str], every: float) -> dict[str, float | int]:
    started = time.perf_counter()
    try:
        process = subprocess.Popen(command)
    except OSError as exc:
        raise SystemExit(f"tree_memory: cannot run {command[0]}: {exc.strerror or exc}") from None
    peak_rss = peak_pss = peak_main = most = 0
    while process.poll() is None:
        pids = _tree(process.pid)
        sizes = [_kib(pid) for pid in pids]
        peak_rss = max(peak_rss, sum(r for r, _ in sizes))
        peak_pss = max(peak_pss, sum(p for _, p in sizes))
        peak_main = max(peak_main, sizes[0][0])
        most = max(most, len(pids))
        time.sleep(every)
    return {"exit": process.returncode, "seconds": round(time.perf_counter() - started, 1),
            "peak_sum_rss_mb": peak_rss // 1024, "peak_sum_pss_mb": peak_pss // 1024,
            "peak_main_rss_mb": peak_main // 1024, "most_processes": most, "sampled_every_s": every}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=float, default=0.2, help="seconds between samples")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command or not Path("/proc/self/smaps_rollup").exists():
        parser.error("a command is needed, and Linux's /proc/PID/smaps_rollup")
    print(json.dumps(measure(command, args.every)))  # the last line of stdout
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
