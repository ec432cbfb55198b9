"""Run the determinism tests again and again in fresh processes; count crashes.

    python benchmarks/stress.py [--runs 200] [--tests tests/test_determinism.py tests/test_workers.py]

A crash inside durable_rules' C code (SIGSEGV, "Fatal Python error", ``free(): invalid
pointer``) kills the process that runs it; one of 13 full test-suite runs once died that
way during the determinism tests. Each run here is a fresh ``pytest`` process over the
given test files; a run counts as a crash when the process ends by a signal or prints a
fatal error, as a failure when a test fails. Prints one line per run that is not clean
and a summary; exits 1 if any run crashed or failed. ``tests/test_stress.py`` runs a
bounded form in CI.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FATAL = ("Fatal Python error", "Segmentation fault", "free(): invalid", "double free", "core dumped")


def one_run(tests: list[str]) -> tuple[str, str]:
    """("clean" | "failed" | "crashed", the tail of the output)."""
    # one process, as before the suite ran on every core: the project's addopts (-n auto) are set aside
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-p", "no:xdist",
                          "-o", "addopts=--strict-markers", *tests],
                         capture_output=True, text=True, cwd=ROOT)
    output = run.stdout + run.stderr
    if run.returncode < 0 or any(marker in output for marker in FATAL):
        at = min((output.find(m) for m in FATAL if m in output), default=max(0, len(output) - 4000))
        return "crashed", output[at:at + 6000]  # the fatal error and the stacks faulthandler printed
    return ("clean" if run.returncode == 0 else "failed"), output[-2000:]


def build() -> str:
    """The commit the runs tested (and whether the work tree differed from it): a count of clean runs
    says something only of one build."""
    def git(*argv: str) -> str:
        run = subprocess.run(["git", *argv], capture_output=True, text=True, cwd=ROOT)
        return run.stdout.strip() if run.returncode == 0 else ""
    commit = git("rev-parse", "--short", "HEAD") or "an unknown commit"
    return commit + (" with local changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--tests", nargs="+", default=["tests/test_determinism.py", "tests/test_workers.py"])
    parser.add_argument("--progress", action="store_true", help="Also print a line for each clean run.")
    args = parser.parse_args()
    counts = {"clean": 0, "failed": 0, "crashed": 0}
    start = time.perf_counter()
    for n in range(1, args.runs + 1):
        outcome, tail = one_run(args.tests)
        counts[outcome] += 1
        if outcome != "clean":
            print(f"run {n}: {outcome}\n{tail}", flush=True)
        elif args.progress:
            print(f"run {n}: clean ({time.perf_counter() - start:.0f} s)", flush=True)
    print(f"{args.runs} runs of {' '.join(args.tests)} in {time.perf_counter() - start:.0f} s on {build()}: "
          f"{counts['clean']} clean, {counts['failed']} failed, {counts['crashed']} crashed")
    sys.exit(1 if counts["failed"] or counts["crashed"] else 0)


if __name__ == "__main__":
    main()
