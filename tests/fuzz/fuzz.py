"""A structure-aware fuzzer over every kind of file pactwatch reads.

Each input is a real file (the bundled example's events and timeline, the contract
templates, the importer test mails, probe exports and status pages, and every file in
``corpus/``) with a few mutations that know the file's structure: a JSON or YAML value
replaced by a hostile one (wrong type, huge number, date at the edge of the calendar,
control and bidi characters, markup, formula prefixes, deep nesting, duplicate keys), a
mail header rewritten (dates, charsets, encodings, boundaries), or the bytes cut, flipped
and repeated. The input then goes through the same code the CLI runs (ingest, evaluation
and every report format; contract loading and compiling; each importer into a case
folder).

An input ends in one of three ways: **ok**, **rejected** (``PactwatchError``: the CLI
exits 2 with the reason) or **crash** (any other exception, or more than
``--timeout`` seconds: what the CLI would report as exit 3). The target is zero crashes.

    python tests/fuzz/fuzz.py --inputs 10000 --seed 1 [--save-crashes]

prints a Markdown table (inputs, outcomes, slowest input, largest memory growth per
target); docs/reliability.md holds a run of it. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
DATA = ROOT / "tests" / "data" / "import"

HOSTILE: list[Any] = [
    "", " ", "\x00", "\x01\x1b[31mred\x1b[0m", "\u202eevil\u202c", "\ufeff", "ß" * 5000, "\U0001f4a9",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "lone \ud800 surrogate", "]]><!--", "=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)",
    "{trigger.at}", "{0.__class__}", "$trigger.at", "%s%n", "../../etc/passwd", "\\", "'\"`",
    0, -1, 1, 2**63, -(2**63), 10**400, 1e308, -1e308, 0.1, True, False, None, [], {}, [[[[]]]],
    "1969-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-12:00", "2026-02-30T08:00:00+01:00",
    "2026-03-29T02:30:00", "2026-10-25T02:30:00", "2026-03-02", "2026-03-02T08:00:00+25:00", "NaN", "Infinity", "1e999",
    "vendor", "customer", "monitor", "message.sent", "probe", "clock", "service.suspended", "explicit",
]
KEYS = ["id", "at", "type", "vendor", "service", "actor", "text", "data", "incident", "lang", "kind", "up", "check",
        "host", "services", "status", "amount", "currency", "params", "within_hours", "clauses", "timezone", "monthly_fee"]
MAIL_HEADERS: dict[str, list[str]] = {
    "Date": ["Mon, 2 Mar 99999999999 08:00:00 +0100", "Tue, 31 Dec 2999 23:00:00 -1200", "yesterday", "",
             "Mon, 2 Mar 2026 25:61:00 +0100", "Thu, 1 Jan 1970 00:00:00 +0000", "Mon, 2 Mar 2026 08:00:00 +9999"],
    "Content-Type": ["text/plain; charset=x-unknown", "text/plain; charset=utf-7", "text/html; charset=\"",
                     "multipart/mixed; boundary=", "multipart/alternative", "text/plain; charset=utf-16",
                     "message/rfc822", "application/octet-stream"],
    "Content-Transfer-Encoding": ["base64", "quoted-printable", "x-uuencode", "8bit", "bogus"],
    "From": ["", "<>", "a@", "@b", "\"\" <x@hoster.example>", "=?utf-8?b?invalid?= <x@y>", "x" * 3000],
    "Message-ID": ["", "<>", "<a@b>", "<" + "x" * 5000 + ">"],
    "Subject": ["=?utf-8?q?=E2=80?=", "=?x-unknown?b?AAAA?=", "\x00"],
}


def _random_path(tree: Any, rng: random.Random) -> tuple:
    """A node of the document, by a random walk from the root (deep nodes as likely as shallow ones)."""
    path: tuple = ()
    while isinstance(tree, dict | list) and tree and rng.random() < 0.8:
        key = rng.choice(list(tree)) if isinstance(tree, dict) else rng.randrange(len(tree))
        path, tree = (*path, key), tree[key]
    return path


def _get(tree: Any, path: tuple) -> Any:
    for p in path:
        tree = tree[p]
    return tree


def _hostile(rng: random.Random, old: Any) -> Any:
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(HOSTILE)
    if roll < 0.6 and isinstance(old, str):
        cut = rng.randrange(len(old) + 1)
        return old[:cut] + rng.choice(["\x00", "\u202e", "\n> quoted", "<b>", "\"", "\r\n", "\u2028"]) + old[cut:]
    if roll < 0.7:
        nested: Any = old
        for _ in range(rng.choice([5, 50, 400])):
            nested = [nested] if rng.random() < 0.5 else {"x": nested}
        return nested
    if roll < 0.8:  # many copies of something small, or two of something large
        return [old] * (rng.choice([2, 50, 2000]) if len(json.dumps(old, default=str)) < 200 else 2)
    if roll < 0.9 and isinstance(old, dict):
        return {**old, rng.choice(KEYS): rng.choice(HOSTILE)}
    return {"type": "str"} if isinstance(old, list) else [old]


def mutate_tree(tree: Any, rng: random.Random) -> Any:
    """Replace, drop or add a few values anywhere in a JSON/YAML document."""
    tree = json.loads(json.dumps(tree, default=str))
    for _ in range(rng.choice([1, 1, 2, 3, 5])):
        path = _random_path(tree, rng)
        if not path:
            tree = _hostile(rng, tree)
            continue
        parent = _get(tree, path[:-1])
        if rng.random() < 0.15 and isinstance(parent, dict):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = _hostile(rng, parent[path[-1]])
    return tree


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """Cut, flip, repeat or poison the raw bytes."""
    if not data:
        return rng.choice([b"\x00", b"\xff\xfe", b"{", b"-"])
    op = rng.randrange(7)
    i = rng.randrange(len(data))
    if op == 0:
        return data[:i]
    if op == 1:
        return data[:i] + bytes([rng.randrange(256)]) + data[i + 1:]
    if op == 2:
        return data[:i] + rng.choice([b"\x00", b"\xc3\x28", b"\xed\xa0\x80", b"\r", b"\n", b"\t", b"\x1b"]) + data[i:]
    if op == 3:
        j = min(len(data), i + rng.randrange(1, 200))
        return data[:j] + data[i:j] * rng.choice([2, 10]) + data[j:]
    if op == 4:
        return data + data
    if op == 5:
        return data.replace(b"\n", b"\r\n") if rng.random() < 0.5 else data.replace(b"\n", b"")
    return bytes(reversed(data[i:])) + data[:i]


def _json_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.decode("utf-8").splitlines()
    for _ in range(rng.choice([1, 1, 2, 4])):
        k = rng.randrange(len(lines))
        try:
            record = json.loads(lines[k])
        except ValueError:
            continue
        if rng.random() < 0.1 and isinstance(record, dict) and record:
            key = rng.choice(list(record))
            text = json.dumps(record)
            lines[k] = text[:-1] + f', {json.dumps(key)}: {json.dumps(rng.choice(HOSTILE))}}}'  # a duplicate key
        else:
            lines[k] = json.dumps(mutate_tree(record, rng), ensure_ascii=rng.random() < 0.5)
    if rng.random() < 0.2:
        rng.shuffle(lines)
    return ("\n".join(lines) + "\n").encode("utf-8", errors="surrogatepass")


def _yaml_doc(data: bytes, rng: random.Random) -> bytes:
    tree = yaml.safe_load(data.decode("utf-8"))
    roll = rng.random()
    if roll < 0.08:
        return data + rng.choice([b"\nx: !!python/object/apply:os.system ['true']\n", b"\n&a [*a]\n",
                                  b"\na: &a [1,2]\nb: &b [*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b]\nd: [*c,*c,*c,*c]\n",
                                  b"\n\tbad: tab\n", b"\n" + b"[" * 5000, b"\nid: twice\nid: twice\n"])
    text = yaml.safe_dump(mutate_tree(tree, rng), allow_unicode=rng.random() < 0.5, sort_keys=False)
    return text.encode("utf-8", errors="surrogatepass")


def _json_doc(data: bytes, rng: random.Random) -> bytes:
    return json.dumps(mutate_tree(json.loads(data), rng)).encode("utf-8", errors="surrogatepass")


def _mail(data: bytes, rng: random.Random) -> bytes:
    head, sep, body = data.partition(b"\n\n")
    lines = head.split(b"\n")
    for _ in range(rng.choice([1, 2, 3])):
        name = rng.choice(list(MAIL_HEADERS))
        value = rng.choice(MAIL_HEADERS[name]).encode("utf-8")
        lines = [ln for ln in lines if not ln.lower().startswith(name.lower().encode() + b":")] + [name.encode() + b": " + value]
    if rng.random() < 0.3:
        body = mutate_bytes(body, rng)
    return b"\n".join(lines) + (sep or b"\n\n") + body


def _csv(data: bytes, rng: random.Random) -> bytes:
    rows = [r.split(",") for r in data.decode("utf-8").splitlines()]
    for _ in range(rng.choice([1, 2, 4])):
        row = rng.choice(rows)
        row[rng.randrange(len(row))] = str(rng.choice(HOSTILE)).replace("\n", " ")
    if rng.random() < 0.2:
        rows[0] = [rng.choice(["timestamp", "service", "up", "check", "detail", "", "up"]) for _ in rows[0]]
    return "\n".join(",".join(r) for r in rows).encode("utf-8", errors="surrogatepass")


@dataclass
class Seed:
    target: str
    suffix: str
    data: bytes
    mutate: Callable[[bytes, random.Random], bytes]
    #: a corpus regression: run once as it is, never mutated
    replay: bool = False


def seeds() -> list[Seed]:
    def read(path: Path) -> bytes:
        return path.read_bytes()

    out = [Seed("events", ".jsonl", read(ROOT / "examples" / "hosting-2026" / "events.jsonl"), _json_lines),
           Seed("events", ".jsonl", read(ROOT / "examples" / "multi-vendor" / "events.jsonl")[:20_000].rsplit(b"\n", 1)[0],
                _json_lines),
           Seed("events", ".yaml", read(ROOT / "examples" / "hosting-2026-raw" / "timeline.yaml"), _yaml_doc),
           Seed("probes-generic", ".csv", read(DATA / "generic.csv"), _csv),
           Seed("probes-generic", ".csv", read(ROOT / "examples" / "hosting-2026-raw" / "monitoring.csv")[:6000]
                .rsplit(b"\n", 1)[0], _csv),
           Seed("probes-uptimerobot", ".json", read(DATA / "uptimerobot.json"), _json_doc),
           Seed("probes-pingdom", ".json", read(DATA / "pingdom.json"), _json_doc),
           Seed("statuspage", ".json", read(DATA / "statuspage.json"), _json_doc)]
    out += [Seed("contract", ".yaml", read(p), _yaml_doc) for p in sorted((ROOT / "rules" / "contract-templates").glob("*.yaml"))]
    out += [Seed("mail", ".eml", read(p), _mail) for p in sorted(DATA.glob("*.eml"))]
    for path in sorted(CORPUS.glob("*")):  # regressions: inputs that once crashed, replayed as they are
        target = path.name.split("--", 1)[0]
        out.append(Seed(target, path.suffix, read(path), lambda data, rng: data, replay=True))
    return out


@dataclass
class Tally:
    inputs: int = 0
    ok: int = 0
    rejected: int = 0
    crashes: list[str] = field(default_factory=list)
    slowest: float = 0.0
    slowest_input: int = -1
    growth_mib: float = 0.0
    #: the process's high-water mark of resident memory when an input of this kind raised it
    peak_mib: float = 0.0
    peak_input: int = -1


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


class Harness:
    """Runs one input through the code the CLI runs for its kind of file."""

    def __init__(self, work: Path):
        from pactwatch import Evaluator, load_rules
        from pactwatch.contracts import load_contract

        self.work = work
        self.library = load_rules()
        self.rule_ids = [r.id for r in self.library.rules]
        self.contract = load_contract(ROOT / "examples" / "hosting-2026" / "contract.yaml", self.library.concepts, self.rule_ids)
        self.evaluator = Evaluator(self.library, self.contract)
        self.cases = 0
        self.case: Any = None
        self.compiles = 0

    def _fresh_case(self) -> Any:
        from pactwatch.importers import init_case

        if self.case is None or self.cases % 100 == 0:
            if self.case is not None:
                shutil.rmtree(self.case.root, ignore_errors=True)
            self.case = init_case(self.work / f"case-{self.cases}", "hosting-de")
        self.cases += 1
        return self.case

    def run(self, target: str, path: Path, n: int) -> bool:
        """True if the input was taken; False if the CLI would exit 2 (an import that took in nothing)."""
        from pactwatch.importers.mail import import_mail
        from pactwatch.importers.probes import import_probes
        from pactwatch.importers.statuspage import import_statuspage
        from pactwatch.ingest import IngestSummary
        from pactwatch.ingest.stream import stream_events
        from pactwatch.reports import RENDERERS, render_junit

        if target == "events":
            summary = IngestSummary()
            stream = stream_events([path], summary, local_tz=self.contract.timezone)
            report = self.evaluator.run(stream, summary, detail=n % 5 == 0)
            for name in ("json", "csv", "md", "text", *(("html",) if n % 5 == 0 else ())):
                RENDERERS[name](report, self.contract)
            render_junit(report, self.contract, self.rule_ids)
            return True
        if target == "contract":
            from pactwatch import Evaluator
            from pactwatch.contracts import effective_params, load_contract

            terms = load_contract(path, self.library.concepts, self.rule_ids)
            effective_params(terms, self.library.concepts)
            if n % 100 == 0:  # compiling takes about a second: a sample
                self.compiles += 1
                Evaluator(self.library, terms).run_events([])
            return True
        if target == "mail":
            result = import_mail([path], self._fresh_case(), vendor="webhost-nord", vendor_domains=["hoster.example"],
                        customer_domains=["agentur.example"])
        elif target.startswith("probes-"):
            result = import_probes(path, self._fresh_case(), vendor="webhost-nord", tz="Europe/Berlin", preset=target[7:],
                                   mapping=GENERIC_COLUMNS, service="www.kunde-a.de" if n % 2 else None)
        elif target == "statuspage":
            result = import_statuspage(path, self._fresh_case(), vendor="webhost-nord")
        else:
            raise ValueError(f"unknown target {target}")
        return bool(result.imported or result.duplicates)


def _resident_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


MAX_INPUT_BYTES = 2 * 2**20
#: the columns of the generic seeds, mapped as a user would with --map
GENERIC_COLUMNS = {"when": "timestamp", "site": "service", "code": "up", "kind": "check", "note": "detail",
                   "Time (UTC)": "timestamp", "Monitor": "service", "Status": "up", "Type": "check", "Message": "detail"}
WEIGHTS = {"events": 0.35, "contract": 0.15, "mail": 0.2, "probes-generic": 0.08, "probes-uptimerobot": 0.06,
           "probes-pingdom": 0.06, "statuspage": 0.1}


def make_input(n: int, seed: int, pool: list[Seed]) -> tuple[Seed, bytes]:
    """Input number ``n`` of a run: the same for a seed whichever worker makes it."""
    if n < len(pool):  # every seed once as it is (the regressions in corpus/ among them)
        return pool[n], pool[n].data
    rng = random.Random(f"{seed}:{n}")
    target = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    chosen = rng.choice([s for s in pool if s.target == target and not s.replay])
    try:
        data = chosen.mutate(chosen.data, rng) if rng.random() < 0.85 else mutate_bytes(chosen.data, rng)
    except (ValueError, yaml.YAMLError, UnicodeError, RecursionError):
        data = mutate_bytes(chosen.data, rng)  # a corpus input that no longer parses: mutate its bytes
    if len(data) > MAX_INPUT_BYTES:  # copies of copies: size limits have tests of their own
        data = mutate_bytes(chosen.data, rng)
    return chosen, data


def _worker(numbers: range, seed: int, timeout: int, save: Path | None) -> dict[str, Tally]:
    from pactwatch.errors import PactwatchError

    pool = seeds()
    tallies: dict[str, Tally] = {}
    high_water = 0.0
    previous = signal.signal(signal.SIGALRM, _alarm)
    with tempfile.TemporaryDirectory(prefix="pactwatch-fuzz-") as tmp:
        work = Path(tmp)
        harness = Harness(work)
        for n in numbers:
            chosen, data = make_input(n, seed, pool)
            path = work / f"input-{n}{chosen.suffix}"
            path.write_bytes(data)
            tally = tallies.setdefault(chosen.target, Tally())
            tally.inputs += 1
            before, started = _resident_mib(), time.perf_counter()
            signal.alarm(timeout)
            try:
                if harness.run(chosen.target, path, n):
                    tally.ok += 1
                else:
                    tally.rejected += 1
            except PactwatchError:
                tally.rejected += 1
            except _Timeout:
                tally.crashes.append(f"input {n} ({chosen.target}): no answer within {timeout} s")
            except Exception as exc:  # noqa: BLE001 - the fuzzer's whole point is to catch these
                where = traceback.extract_tb(exc.__traceback__)[-1]
                tally.crashes.append(f"input {n} ({chosen.target}): {type(exc).__name__}: {str(exc)[:200]} "
                                     f"at {Path(where.filename).name}:{where.lineno}")
                if save is not None:
                    save.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, save / f"{chosen.target}--{seed}-{n}{chosen.suffix}")
            finally:
                signal.alarm(0)
            took = time.perf_counter() - started
            if took > tally.slowest:
                tally.slowest, tally.slowest_input = took, n
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            if peak > high_water:
                tally.peak_mib, tally.peak_input, high_water = max(tally.peak_mib, peak), n, peak
            tally.growth_mib = max(tally.growth_mib, _resident_mib() - before)
            path.unlink(missing_ok=True)
    signal.signal(signal.SIGALRM, previous)
    return tallies


@dataclass
class Run:
    tallies: dict[str, Tally]
    #: chunks whose worker process died (a signal, not an exception) and that passed when run
    #: again in a fresh process: durable_rules' rare native crash (issue #16), not the input's
    worker_deaths: list[str] = field(default_factory=list)


#: inputs a worker process takes at a time; a chunk whose worker dies is run again, twice at most
CHUNK = 1250


def _merge(into: dict[str, Tally], part: dict[str, Tally]) -> None:
    for name, t in part.items():
        m = into.setdefault(name, Tally())
        m.inputs, m.ok, m.rejected = m.inputs + t.inputs, m.ok + t.ok, m.rejected + t.rejected
        m.crashes += t.crashes
        if t.slowest > m.slowest:
            m.slowest, m.slowest_input = t.slowest, t.slowest_input
        if t.peak_mib > m.peak_mib:
            m.peak_mib, m.peak_input = t.peak_mib, t.peak_input
        m.growth_mib = max(m.growth_mib, t.growth_mib)


def fuzz(inputs: int, seed: int = 1, timeout: int = 20, save: Path | None = None, workers: int = 1) -> Run:
    """Make and run ``inputs`` inputs (in ``workers`` processes); the tally per kind of input.

    A worker process that dies (SIGSEGV inside durable_rules, which has happened about once
    in three full runs and never again for the same inputs) breaks its chunk, not the pass:
    the chunk runs again in a fresh process and the death is reported. A chunk that dies
    three times is a crash of the input and fails the pass.
    """
    if workers <= 1:
        return Run(_worker(range(inputs), seed, timeout, save))
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    run = Run({})
    pending = [range(k, min(k + CHUNK, inputs)) for k in range(0, inputs, CHUNK)]
    attempts: dict[int, int] = {}
    while pending:
        # Fresh interpreters, not forks: a fork would inherit the C state of every durable_rules
        # ruleset the calling process (a test session) holds.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as executor:
            futures = [(chunk, executor.submit(_worker, chunk, seed, timeout, save)) for chunk in pending]
            pending = []
            for chunk, future in futures:
                try:
                    _merge(run.tallies, future.result())
                except BrokenProcessPool:
                    attempts[chunk.start] = attempts.get(chunk.start, 0) + 1
                    if attempts[chunk.start] >= 3:
                        raise RuntimeError(f"inputs {chunk.start}-{chunk.stop - 1}: the worker died three times") from None
                    run.worker_deaths.append(f"inputs {chunk.start}-{chunk.stop - 1} (attempt {attempts[chunk.start]})")
                    pending.append(chunk)
    return run


def table(tallies: dict[str, Tally]) -> str:
    rows = ["| input kind | inputs | ok | rejected (exit 2) | crashes (exit 3) | slowest input | largest memory growth |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for name in sorted(tallies):
        t = tallies[name]
        rows.append(f"| {name} | {t.inputs:,} | {t.ok:,} | {t.rejected:,} | {len(t.crashes)} | {t.slowest:.2f} s | "
                    f"{t.growth_mib:.0f} MiB |")
    every = tallies.values()
    rows.append(f"| **all** | {sum(t.inputs for t in every):,} | {sum(t.ok for t in every):,} | "
                f"{sum(t.rejected for t in every):,} | {sum(len(t.crashes) for t in every)} | "
                f"{max(t.slowest for t in every):.2f} s | {max(t.growth_mib for t in every):.0f} MiB |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=int, default=20, help="seconds an input may take before it counts as a hang")
    parser.add_argument("--workers", type=int, default=1, help="processes (inputs are the same whatever the number)")
    parser.add_argument("--save-crashes", action="store_true", help=f"copy crashing inputs into {CORPUS}")
    args = parser.parse_args()
    started = time.perf_counter()
    result = fuzz(args.inputs, args.seed, args.timeout, CORPUS if args.save_crashes else None, args.workers)
    tallies = result.tallies
    print(table(tallies))
    print(f"\n{args.inputs:,} inputs, seed {args.seed}, {time.perf_counter() - started:.0f} s, "
          f"peak resident {max(t.peak_mib for t in tallies.values()):.0f} MiB (per process)")
    for death in result.worker_deaths:
        print("worker died, chunk run again:", death)
    for t in tallies.values():
        for crash in t.crashes:
            print("crash:", crash)
    sys.exit(1 if any(t.crashes for t in tallies.values()) else 0)


if __name__ == "__main__":
    main()
