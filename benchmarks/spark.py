"""The Spark engine against the local one, end to end through the CLI, at growing sizes.

For each size, a synthetic stream (``generate.py``, ``--mix probes`` or ``realistic``) is checked
with the whole rule library (or ``--only`` some of its rules: a copy of the library without the
others) twice — ``pactwatch check`` (local, its default workers) and
``pactwatch check --engine spark --master MASTER`` — each writing the JSON report, each under
``tree_memory.py`` (the summed PSS of the command and every process it starts: for Spark the
driver, its JVM and the Python workers). The two reports must be the same bytes. The table gives
the time, events per second, the peak summed memory and Spark's time as a multiple of the local
one, and the crossover: the first size at which Spark was the faster, if any.

    python benchmarks/spark.py 100000 1000000 10000000 --mix probes [--only RULE ...] [--master 'local[2]'] [--data DIR]
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
RULES = HERE.parent / "rules"
#: the CLI of the interpreter running this script (its virtualenv need not be on PATH)
PACTWATCH = shutil.which("pactwatch", path=str(Path(sys.executable).parent)) or "pactwatch"
CONTRACT = "id: BENCH\nvendor: vendor-0\ncustomer: bench\ncurrency: EUR\nmonthly_fee: 100\ntimezone: UTC\n"


def _measured(command: list[str]) -> dict[str, float | int]:
    out = subprocess.run([sys.executable, str(HERE / "tree_memory.py"), "--every", "0.5", "--", *command],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


def only(rules: list[str], data: Path) -> Path:
    """A copy of the rule library with these rules alone (the lexicons, model and concepts kept)."""
    root = data / "rules-only"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(RULES, root)
    for path in root.glob("*.yaml"):
        if path.name != "concepts.yaml" and path.stem not in rules:
            path.unlink()
    return root


def compare(events: int, mix: str, master: str, data: Path, rules: Path | None = None) -> dict[str, object]:
    stream = data / f"{mix}-{events}.jsonl"
    if not stream.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--mix", mix, str(events), str(stream)], check=True)
    contract = data / "contract.yaml"
    contract.write_text(CONTRACT, encoding="utf-8")
    check = [PACTWATCH, "check", str(stream), "--contract", str(contract), "--allow-vendor-mismatch", "-f", "json",
             *(["--rules", str(rules)] if rules else [])]
    local = _measured([*check, "-o", str(data / "local.json")])
    spark = _measured([*check, "-o", str(data / "spark.json"), "--engine", "spark", "--master", master])
    if local["exit"] not in (0, 1) or spark["exit"] != local["exit"]:
        raise SystemExit(f"{events} events: exit {local['exit']} locally, {spark['exit']} on Spark")
    return {"events": events, "local_s": local["seconds"], "local_mb": local["peak_sum_pss_mb"],
            "spark_s": spark["seconds"], "spark_mb": spark["peak_sum_pss_mb"],
            "same": filecmp.cmp(data / "local.json", data / "spark.json", shallow=False)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", type=int, nargs="+")
    parser.add_argument("--mix", choices=["probes", "realistic"], default="probes")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--only", nargs="+", metavar="RULE", help="these rules of the library alone (file names without .yaml)")
    parser.add_argument("--data", type=Path, help="where streams and reports go (kept); default a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data or Path(tmp)
        data.mkdir(parents=True, exist_ok=True)
        rules = only(args.only, data) if args.only else None
        print(f"mix {args.mix}, rules: {', '.join(args.only) if args.only else 'the whole library'}, "
              f"Spark master {args.master}; memory: peak summed PSS of every process\n")
        print("| events | local s | local ev/s | local MB | Spark s | Spark ev/s | Spark MB | Spark / local | same report |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        crossover = None
        for n in args.sizes:
            r = compare(n, args.mix, args.master, data, rules)
            ratio = float(r["spark_s"]) / float(r["local_s"])  # type: ignore[arg-type]
            if ratio < 1 and crossover is None:
                crossover = n
            print(f"| {n:,} | {r['local_s']} | {n / float(r['local_s']):,.0f} | {r['local_mb']:,} | "  # type: ignore[arg-type]
                  f"{r['spark_s']} | {n / float(r['spark_s']):,.0f} | {r['spark_mb']:,} | {ratio:.2f} | "  # type: ignore[arg-type]
                  f"{'yes' if r['same'] else 'NO'} |", flush=True)
        print(f"\ncrossover: {f'{crossover:,} events' if crossover else 'none up to the largest size'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
