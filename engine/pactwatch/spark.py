"""Evaluate events on Spark: the first stage per case, the second per vendor, both in Spark tasks.

The same two stages as ``--workers`` (evaluation/workers.py), on a cluster engine instead of
forked processes:

1. Every line is validated in a task (``mapInPandas``), as ``check`` validates it (a YAML
   timeline's items on the driver); the rejected ones come back to the driver with their file,
   line and reason.
2. The accepted events are put in canonical order (time, id, content) and numbered — the
   position that orders everything later, as in a local run.
3. ``groupBy(case).applyInPandas``: each case is evaluated on its own events by the same
   compiled rules in the task (one evaluator per Python worker, built once from the contract
   and the rule library shipped with the job) and returns what the first stage found.
4. ``groupBy(vendor).applyInPandas``: the second stage (repeat incidents, availability per
   service and month), one vendor per group, from what the first stage kept for it.
5. The driver takes the cases' results in case order, a partition at a time, and the vendors'
   in vendor order, and merges them: the report is the one ``check`` writes, byte for byte.

pyspark (and pandas, pyarrow) are the optional extra ``[spark]``; nothing else imports them.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .enrich.review import Annotation, Annotations
from .errors import PactwatchError, Problem, reason_of
from .ingest.records import parse_record
from .ingest.stream import IngestSummary, events_file, is_timeline, spool_stdin, unreadable_line, without_byte_order_mark, yaml_records
from .models.contract import Contract
from .models.report import FailedCase, Rejection, Report
from .rules import RuleLibrary, load_rules

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, Row, SparkSession

    from .evaluation.engine import VendorStage, _Run
    from .evaluation.findings import SpilledReport
    from .models.events import Event

__all__ = ["check_files", "evaluate_dataframe", "read_lines", "report_frames", "session", "spark_failure",
           "spark_settings"]

#: a case's first-stage result (``vendor`` null), or what it keeps for a vendor's second stage
_PART_SCHEMA = "case string, part binary, error string, vendor string"
_VENDOR_SCHEMA = "vendor string, part binary, error string"
_PART_COLUMNS = [c.split()[0] for c in _PART_SCHEMA.split(", ")]
_ROW_SCHEMA = ("file string, line long, ok boolean, epoch double, id string, content string, case string, "
               "type string, vendor string, raw string, code string, field string, reason string, unknown boolean")
_ROW_COLUMNS = [c.split()[0] for c in _ROW_SCHEMA.split(", ")]
#: per Python worker: the evaluator of the job's rules and contract, built on first use
_EVALUATORS: dict[tuple[str, str, tuple[str, ...]], Any] = {}


#: The driver's heap on a local master, where the executors share the driver's JVM: Spark's default
#: (1 GB) runs out while the validated rows of 10M events are cached (docs/scale.md).
LOCAL_DRIVER_MEMORY = "4g"


def session(master: str = "local[2]", conf: Mapping[str, str] | None = None) -> SparkSession:
    """A Spark session for ``check --engine spark``: its Python workers run this interpreter.

    ``conf``: Spark settings (``--spark-conf KEY=VALUE``), applied last. They take effect only
    when this call starts Spark; an existing session is returned as it is.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise PactwatchError(Problem("missing-dependency", "the Spark engine needs pyspark: pip install 'pactwatch[spark]' "
                                     "(and Java 17 or newer)")) from None
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    settings = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false",
                "spark.sql.shuffle.partitions": "8", "spark.sql.execution.arrow.pyspark.enabled": "true",
                "spark.pyspark.python": sys.executable}
    if master.startswith("local"):
        settings["spark.driver.memory"] = LOCAL_DRIVER_MEMORY
    settings |= dict(conf or {})
    builder = SparkSession.builder.master(master).appName("pactwatch")
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - Java missing, a bad setting, a master out of reach: say which
        raise PactwatchError(Problem("spark-failed", f"Spark did not start on {master}: {_first_line(exc)}")) from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def spark_settings(pairs: list[str]) -> dict[str, str]:
    """``--spark-conf KEY=VALUE`` options as settings, or a usage error naming the malformed one."""
    settings = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise PactwatchError(Problem("usage", f"--spark-conf {pair!r}: expected KEY=VALUE, "
                                         "e.g. spark.driver.memory=8g"))
        settings[key.strip()] = value.strip()
    return settings


def _first_line(exc: BaseException) -> str:
    """The line of a Spark or Java error that says what happened (not the stack under it)."""
    for line in str(exc).splitlines():
        line = line.strip().removeprefix(": ")
        if line and not line.startswith("An error occurred while calling"):
            return line
    return type(exc).__name__


def spark_failure(exc: BaseException, memory: str, stopped: bool) -> Problem | None:
    """What to tell the user when Spark itself stops under a run — neither the input nor
    pactwatch is at fault, so the CLI exits 2 with this problem; ``None`` for anything else (a
    fault in pactwatch, in its tasks' Python code, stays an internal error).

    ``stopped``: whether Spark's context (or its JVM) is gone — the Python side then sees only a
    consequence (a cancelled job, a null scheduler, a refused connection), while the cause is in
    Spark's own log: on a local master, nearly always the Java heap. ``memory``: that heap, as
    the message names it.
    """
    kinds = {kind.__name__ for kind in type(exc).__mro__}  # pyspark and py4j need not be importable here
    if "PythonException" in kinds:
        return None
    heap = "OutOfMemoryError" in str(exc)
    if not (stopped or heap or "Py4JNetworkError" in kinds or isinstance(exc, ConnectionError)):
        return None
    cause = ("its Java heap ran out" if heap else
             "on a local master this is nearly always its Java heap running out (java.lang.OutOfMemoryError in "
             "Spark's log above)")
    return Problem("spark-failed", f"Spark stopped during the run ({_first_line(exc)}): {cause}. Driver memory: "
                   f"{memory}; give it more with --spark-conf spark.driver.memory=8g, or evaluate fewer events at once")


def _stopped(spark: SparkSession) -> bool:
    """Whether the session's context has stopped or its JVM no longer answers.

    PySpark (4.x) has no public call that says so; ``_jsc`` is the one private attribute used,
    and if it ever goes, the call raises and the answer is "stopped" (the run still ends as
    ``spark-failed``, only the message loses the distinction).
    """
    try:
        return bool(spark.sparkContext._jsc.sc().isStopped())
    except Exception:  # noqa: BLE001 - a JVM that cannot answer has stopped too
        return True


def read_lines(spark: SparkSession, paths: list[str], labels: list[str] | None = None) -> DataFrame:
    """JSON Lines files as rows (file, line, value), numbered as ``check`` numbers them; ``value``
    is the line's bytes, ``file`` the path or its entry in ``labels`` (``<stdin>`` for a spooled stdin).

    The lines travel as bytes and are decoded in the validation task: Hadoop's ``textFile`` would
    have decoded a bad byte as U+FFFD, and the line would have been read as an event. The
    numbering stays in the JVM (:func:`_numbered`): a Python RDD would pickle every line to a
    Python worker and back through the heap, which ran out at 1M events with 512 MB.
    """
    from pyspark.sql import functions as F

    frames = [_numbered(spark.read.text(path).select(F.lit(label).alias("file"),
                                                     F.col("value").cast("binary").alias("value")), "line")
              for path, label in zip(paths, labels or paths, strict=True)]
    out = frames[0]
    for frame in frames[1:]:
        out = out.unionByName(frame)
    return out


def _numbered(frame: DataFrame, name: str) -> DataFrame:
    """``frame`` with a column ``name``: 1, 2, 3 … in partition order (``RDD.zipWithIndex``'s order)
    without leaving the JVM.

    ``monotonically_increasing_id`` is the partition in the upper 31 bits and the row's place in
    it in the lower 33; one pass counts each partition's rows, and the number is the rows of the
    partitions before it plus the place. ``frame`` must give the same partitions each time it is
    computed (a file read, or a persisted frame).
    """
    from pyspark.sql import functions as F

    tagged = frame.withColumn("_part", F.spark_partition_id()).withColumn("_mid", F.monotonically_increasing_id())
    sizes = sorted((r["_part"], r["count"]) for r in tagged.groupBy("_part").count().collect())
    before, offsets = 0, []
    for part, size in sizes:
        offsets += [F.lit(part), F.lit(before).cast("long")]
        before += size
    if not offsets:
        return frame.withColumn(name, F.lit(None).cast("long"))
    place = F.col("_mid") - F.shiftleft(F.col("_part").cast("long"), 33)
    return (tagged.withColumn(name, F.element_at(F.create_map(*offsets), F.col("_part")) + place + F.lit(1))
            .drop("_part", "_mid"))


def _validate(batches: Iterator[pd.DataFrame], allow_unknown: bool) -> Iterator[pd.DataFrame]:
    """Each line as ``check`` reads it: an accepted event (its order keys, case and text) or a
    rejection (code, field, reason); blank lines drop out here, after they were numbered."""
    import pandas as pd

    for batch in batches:
        rows: list[tuple[Any, ...]] = []
        for file, line, value in zip(batch["file"], batch["line"], batch["value"], strict=True):
            text = without_byte_order_mark(value if isinstance(value, str) else
                                           bytes(value).decode("utf-8", errors="surrogateescape"), line)
            why = unreadable_line(text)
            if why is not None:  # (as ingest.stream._json_lines: too long, or not UTF-8)
                rows.append(_rejected(file, line, why.code, None, why.reason))
            elif text.strip():
                rows.append(_checked(file, line, text, allow_unknown))
        yield pd.DataFrame(rows, columns=_ROW_COLUMNS)


def _validated(lines: DataFrame, allow_unknown: bool) -> DataFrame:
    """Lines (file, line, value) as validated records, in Spark's tasks (:func:`_validate`)."""
    return lines.mapInPandas(lambda b: _validate(b, allow_unknown), schema=_ROW_SCHEMA)


def _records(spark: SparkSession, jsonl: list[tuple[str, str]], timelines: list[tuple[Any, ...]],
             allow_unknown: bool) -> DataFrame:
    """The validated records of a run: JSON Lines files ((path, label) pairs) validated in Spark's
    tasks, and the rows of YAML timelines validated on the driver."""
    frames = [_validated(read_lines(spark, [p for p, _ in jsonl], [label for _, label in jsonl]), allow_unknown)
              ] if jsonl else []
    if timelines or not frames:
        frames.append(spark.createDataFrame(timelines, _ROW_SCHEMA))
    return frames[0] if len(frames) == 1 else frames[0].unionByName(frames[1])


def _rejected(file: str, line: int | None, code: str, field: str | None, reason: str) -> tuple[Any, ...]:
    """A rejected record as a row of ``_ROW_SCHEMA``."""
    return file, line, False, None, None, None, None, None, None, None, code, field, reason, False


def _checked(file: str, line: int | None, record: object, allow_unknown: bool) -> tuple[Any, ...]:
    """One record (a JSON line's text, or a YAML item) validated, as a row of ``_ROW_SCHEMA``.

    ``raw`` is what the first stage parses again: the line as written, or for a YAML item the
    event's canonical JSON, which parses to the same event (a YAML item has no text of its own
    that JSON could read)."""
    event, problems, unknown = parse_record(record, file=file, line=line, allow_unknown=allow_unknown)
    if event is None:
        return _rejected(file, line, problems[0].code, problems[0].field, reason_of(problems))
    content = event.model_dump_json()
    return (file, line, True, event.at.timestamp(), event.id, content, event.case_key, event.type, event.vendor,
            record if isinstance(record, str) else content, None, None, None, unknown)


def _timeline_rows(path: Path, label: str, allow_unknown: bool, local_tz: str) -> list[tuple[Any, ...]]:
    """A YAML timeline read on the driver, as ``check`` reads it (ingest.stream.yaml_records), its
    items validated there: hand-written timelines are small, and YAML has no line-by-line split
    that Spark could read in parallel."""
    rows = []
    for line, record in yaml_records(path, label, local_tz):
        if isinstance(record, Problem):
            rows.append(_rejected(label, line, record.code, record.field, reason_of([record])))
        else:
            rows.append(_checked(label, line, record, allow_unknown))
    return rows


def _evaluator(job: _Job) -> Any:
    from .evaluation import Evaluator

    key = (job.contract.model_dump_json(), job.rules_dir, job.lexicons)
    if key not in _EVALUATORS:
        library = load_rules(job.rules_dir or None, [Path(p) for p in job.lexicons])
        _EVALUATORS[key] = Evaluator(library, job.contract)
    return _EVALUATORS[key]


def _first_stage(pdf: pd.DataFrame, job: _Job, end: float) -> pd.DataFrame:
    """One case: its events in event time, then the end of the input (a Spark task's share)."""
    import pandas as pd

    from .evaluation.engine import Partial, _Run
    from .evaluation.gc_policy import collector_paused
    from .evaluation.lookahead import read_ahead
    from .evaluation.workers import capture_log

    pdf = pdf.sort_values("seq")
    key = str(pdf["case"].iloc[0])
    try:
        with collector_paused():
            run = _Run(_evaluator(job), IngestSummary(strict=job.strict, files={f: [0, 0] for f in job.files}),
                       job.detail, job.annotations, job.as_of)
            entries: list[tuple[str, dict[str, Any]]] = []
            if job.audited:  # kept with the result: the driver writes them as it merges, in case order
                run.audited, run.log = True, capture_log(entries)
            run.hashes = bytearray()
            def parsed() -> Iterator[tuple[Event, str, int, int]]:
                for seq, file, line, raw in zip(pdf["seq"], pdf["file"], pdf["line"], pdf["raw"], strict=True):
                    event, problems, _ = parse_record(raw, file=file, line=int(line), allow_unknown=job.allow_unknown)
                    if event is None:
                        raise PactwatchError(problems)
                    yield event, file, int(line), int(seq)

            for (event, file, line, seq), analysis in read_ahead(parsed(), lambda item: item[0], run.ev.analyzer,
                                                                  run.annotations):
                run.feed(event.at.timestamp(), event, (file, line), seq, analysis)
            run.finish_cases(end)
            part = run.partial()
            part.audit = entries
            run.release(True)
        # What the second stage needs of the case goes to its vendor's group, not to the driver.
        rows: list[tuple[str, bytes, None, str | None]] = []
        vendors = {*part.outages, *part.windows, *part.offers, *(o.vendor for o in part.openings)}
        for vendor in sorted(vendors):
            share = Partial(outages={v: o for v, o in part.outages.items() if v == vendor},
                            windows={v: w for v, w in part.windows.items() if v == vendor},
                            offers={v: o for v, o in part.offers.items() if v == vendor},
                            openings=[o for o in part.openings if o.vendor == vendor])
            rows.append((key, _packed(share), None, vendor))
        part.outages, part.windows, part.offers, part.openings = {}, {}, {}, []
        rows.append((key, _packed(part), None, None))
        return pd.DataFrame(rows, columns=_PART_COLUMNS)
    except PactwatchError as exc:
        return pd.DataFrame([(key, None, "\n".join(str(p) for p in exc.problems), None)], columns=_PART_COLUMNS)
    except Exception as exc:  # noqa: BLE001 - a fault in pactwatch: this case fails, the others go on
        return pd.DataFrame([(key, None, f"internal: {type(exc).__name__}: {exc}", None)], columns=_PART_COLUMNS)


def _packed(value: object) -> bytes:
    return zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def _second_stage(pdf: pd.DataFrame, job: _Job, end: float) -> pd.DataFrame:
    """One vendor: repeat incidents and availability from what its cases kept (a Spark task's share).
    Taken in case order, as the driver would have merged them."""
    import pandas as pd

    from .evaluation.engine import _Run
    from .evaluation.gc_policy import collector_paused
    from .evaluation.workers import capture_log

    pdf = pdf.sort_values("case")
    vendor = str(pdf["vendor"].iloc[0])
    run: _Run | None = None
    try:
        with collector_paused():
            run = _Run(_evaluator(job), IngestSummary(), job.detail, job.annotations, job.as_of)
            entries: list[tuple[str, dict[str, Any]]] = []
            if job.audited:
                run.audited, run.log = True, capture_log(entries)
            run.now = end
            for blob in pdf["part"]:
                run.absorb(pickle.loads(zlib.decompress(blob)))  # noqa: S301 - our own tasks' results
            stage = run.vendor_stage(vendor, entries)
            run.release(True)
            run = None
        return pd.DataFrame([(vendor, _packed(stage), None)], columns=["vendor", "part", "error"])
    except Exception as exc:  # noqa: BLE001 - reported by the driver, naming the vendor
        if run is not None:  # (its sessions are freed, not kept for the next vendor)
            run.release(False)
        return pd.DataFrame([(vendor, None, f"{type(exc).__name__}: {exc}")], columns=["vendor", "part", "error"])


@dataclass(frozen=True)
class _Job:
    """What each task needs to build the same evaluator and summary as the driver (sent with the closure)."""

    contract: Contract
    rules_dir: str
    lexicons: tuple[str, ...]
    files: list[str]
    strict: bool
    allow_unknown: bool
    detail: bool
    as_of: float | None = None
    #: whether the driver writes an audit log (the tasks then keep their entries)
    audited: bool = False
    #: a case folder's reviewed readings, by event id
    annotations: dict[str, tuple[Annotation, ...]] = field(default_factory=dict)


def evaluate_dataframe(lines: DataFrame, contract: Contract, rules: RuleLibrary | None = None, *,
                       rules_dir: str | None = None, lexicons: list[Path] | None = None, strict: bool = False,
                       allow_unknown: bool = False, detail: bool = False,
                       files: list[str] | None = None,
                       as_of: float | None = None, audit: Any = None,
                       annotations: Annotations | None = None) -> tuple[Report, dict[str, tuple[int, str]]]:
    """Evaluate rows (file, line, value: one JSON event per value, as text or UTF-8 bytes, as
    :func:`read_lines` gives them) against a contract on Spark.

    ``rules_dir``: the rule library's folder as the executors see it (default: the bundled one,
    which every executor with pactwatch installed has). ``as_of`` (epoch seconds), as ``check
    --as-of``: events after it are not yet known (counted, as the local engine counts them, after
    they were numbered), deadlines up to it are decided. ``audit``: a structlog logger for the
    audit log (``pactwatch.audit.audit_logger``); the tasks keep their entries and the driver
    writes them case by case, the entries of a local run with workers. ``annotations``: reviewed
    readings by event id (a case folder's ``annotations.yaml``), sent to the tasks with the job.
    Returns the report and the vendors seen (vendor → (events, first event id), for the caller's
    vendor check).
    """
    labels = files or [r[0] for r in lines.select("file").distinct().orderBy("file").collect()]
    report, vendors = _evaluate(_validated(lines, allow_unknown), contract, rules, rules_dir=rules_dir,
                                lexicons=lexicons, strict=strict, allow_unknown=allow_unknown, detail=detail,
                                files=labels, as_of=as_of, audit=audit, annotations=annotations, spill=False,
                                spill_dir=None)
    assert isinstance(report, Report)
    return report, vendors


def _evaluate(records: DataFrame, contract: Contract, rules: RuleLibrary | None, *, rules_dir: str | None,
              lexicons: list[Path] | None, strict: bool, allow_unknown: bool, detail: bool, files: list[str],
              as_of: float | None, audit: Any, annotations: Annotations | None, spill: bool,
              spill_dir: str | None) -> tuple[Report | SpilledReport, dict[str, tuple[int, str]]]:
    """:func:`evaluate_dataframe` over validated records (rows of ``_ROW_SCHEMA``: :func:`_validated`
    lines, :func:`_timeline_rows`); with ``spill``, the driver keeps the findings on disk as it merges
    the cases (``Evaluator.run_spilled``'s report), so that it holds neither every finding nor the
    whole report."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from .evaluation import Evaluator
    from .evaluation.engine import _Run
    from .evaluation.findings import FindingStore

    library = rules or load_rules(rules_dir, lexicons)
    evaluator = Evaluator(library, contract, audit=audit)
    reviewed = {event: tuple(items) for event, items in (annotations or {}).items()}
    # Kept on disk, not in the heap: twice the input (raw and canonical text), which a local
    # master's heap (driver and executors in one JVM) cannot hold at 10M events.
    checked = records.persist(StorageLevel.DISK_ONLY)
    kept = [checked]
    parent: _Run | None = None
    store = FindingStore(spill_dir) if spill else None  # (an unusable --spill-dir stops before Spark works)
    finished = False
    try:
        summary = _ingested(checked, files, strict)
        # Canonical order over every file: time, id, then content for a tie (check's order), numbered from 1.
        in_order = (checked.filter(F.col("ok")).drop("ok", "code", "field", "reason").orderBy("epoch", "id", "content")
                    .persist(StorageLevel.DISK_ONLY))  # (numbered from its partitions: computed once)
        kept.append(in_order)
        ordered = _numbered(in_order, "seq")
        vendors = {r["vendor"]: (r["count"], r["first"]) for r in ordered.filter(F.col("vendor").isNotNull())
                   .groupBy("vendor").agg(F.count("*").alias("count"), F.min_by("id", "seq").alias("first")).collect()}
        known, after_as_of = ordered, 0
        if as_of is not None:
            known = ordered.filter(F.col("epoch") <= F.lit(as_of))
            after_as_of = ordered.filter(F.col("epoch") > F.lit(as_of)).count()
        last = known.agg(F.max("epoch")).collect()[0][0]
        end = last if as_of is None else as_of if last is None else max(last, as_of)
        clocks = known.filter(F.col("type") == "clock").orderBy("seq").collect()
        job = _Job(contract, str(rules_dir or ""), tuple(str(p) for p in lexicons or ()), files, strict,
                   allow_unknown, detail, as_of, evaluator.audited, reviewed)
        results = None
        if last is not None:
            # Computed once, in parallel, and kept on disk; then sorted there and brought to the
            # driver a partition at a time in case order (``toLocalIterator``), each case's result
            # let go once merged: collected at once they were the driver's largest holding.
            # (Sorting the unpersisted results would evaluate every case twice: the sort samples
            # its input first.)
            results = (known.filter(F.col("type") != "clock").select("case", "seq", "file", "line", "raw")
                       .groupBy("case").applyInPandas(lambda pdf: _first_stage(pdf, job, float(end)),
                                                      schema=_PART_SCHEMA)
                       .persist(StorageLevel.DISK_ONLY))
            kept.append(results)
        parent = _Run(evaluator, summary, detail, reviewed, as_of)
        parent.log.info("run.started", ruleset_hash=library.hash, contract=contract.id, version=__version__,
                        engine="spark")
        parent.spill = store
        parent.after_as_of = after_as_of
        parent.hashes = bytearray()
        for row in clocks:
            event, _, _ = parse_record(row["raw"], file=row["file"], line=row["line"], allow_unknown=allow_unknown)
            assert event is not None
            parent.feed(row["epoch"], event, (row["file"], row["line"]), row["seq"])
        stages = _vendor_stages(results, job, float(end)) if results is not None else []
        _merge(parent, results.filter(F.col("vendor").isNull()).orderBy("case").toLocalIterator()
               if results is not None else iter(()))
        if end is not None:
            parent.now = max(parent.now, float(end))
        report = parent.conclude(stages)
        finished = True
        return report, vendors
    finally:
        if parent is not None:
            parent.release(finished)
        if not finished and store is not None:
            store.close()
        for frame in kept:
            frame.unpersist()


def _vendor_stages(results: DataFrame, job: _Job, end: float) -> list[VendorStage]:
    """The second stage, a vendor per group, from what each case kept for its vendor; brought to the
    driver at once (a vendor's findings, availability and audit entries: small beside its cases')."""
    from pyspark.sql import functions as F

    stages = []
    rows = (results.filter(F.col("vendor").isNotNull()).select("vendor", "case", "part").groupBy("vendor")
            .applyInPandas(lambda pdf: _second_stage(pdf, job, end), schema=_VENDOR_SCHEMA)
            .orderBy("vendor").collect())
    for row in rows:
        if row["part"] is None:
            raise RuntimeError(f"the second stage of vendor {row['vendor']!r} failed: {row['error']}")
        stages.append(pickle.loads(zlib.decompress(row["part"])))  # noqa: S301 - our own tasks' results
    return stages


def _ingested(checked: DataFrame, labels: list[str], strict: bool) -> IngestSummary:
    """What ``check`` says about the input: lines read and rejected per file, with the rejected
    ones in order (``strict``: the first stops the run)."""
    from pyspark.sql import functions as F

    summary = IngestSummary(strict=strict, files={f: [0, 0] for f in labels})
    bad = checked.filter(~F.col("ok")).orderBy("file", "line").collect()
    if bad and strict:
        first = bad[0]
        raise PactwatchError(Problem(first["code"], first["reason"], file=first["file"], line=first["line"],
                                     field=first["field"]))
    counts = checked.groupBy("file", "ok").count().collect()
    for row in counts:
        summary.files.setdefault(row["file"], [0, 0])[0 if row["ok"] else 1] += row["count"]
    summary.events_read = sum(row["count"] for row in counts)
    summary.unknown_types = checked.filter(F.col("unknown")).count()
    summary.rejected = [Rejection(file=r["file"], line=r["line"], field=r["field"], code=r["code"],
                                  reason=r["reason"]) for r in bad]
    return summary


def _merge(parent: _Run, results: Iterator[Row]) -> None:
    """The cases' first-stage results into the driver's run as they come, in case order (the
    order of a local run's merge); then the input digest over every event in input order."""
    from .evaluation.workers import digest_of

    failed = []
    hashes = parent.hashes  # (the clock events' are in already)
    assert hashes is not None
    for row in results:
        if row["part"] is None:
            if not row["error"].startswith("internal: "):
                raise PactwatchError(Problem("event-invalid", row["error"]))
            failed.append(FailedCase(case=row["case"].replace("\x1f", "/"), reason=row["error"][len("internal: "):]))
            continue
        part = pickle.loads(zlib.decompress(row["part"]))  # noqa: S301 - our own tasks' results
        parent.absorb(part)
        hashes += part.hashes
    parent.digest = digest_of(hashes)
    parent.failed = failed


_VIOLATIONS = ("id string, rule string, severity string, vendor string, incident string, at string, "
               "services array<string>, violation string")
_OUTCOMES = ("rule string, vendor string, incident string, service string, status string, reason string, "
             "violation string, due string")


def report_frames(spark: SparkSession, report: Report) -> tuple[DataFrame, DataFrame]:
    """The report's violations and outcomes as DataFrames, to write as JSON or Parquet: one row per
    violation (its columns to filter by, and the whole violation as JSON in ``violation``) and one
    per obligation and case."""
    violations = [(v.id, v.rule, v.severity, v.vendor, v.incident, v.at, list(v.services), v.model_dump_json())
                  for v in report.violations]
    outcomes = [(o.rule, o.vendor, o.incident, o.service, o.status, o.reason, o.violation, o.due) for o in report.outcomes]
    return spark.createDataFrame(violations, _VIOLATIONS), spark.createDataFrame(outcomes, _OUTCOMES)


def check_files(paths: list[str | Path], contract: Contract, library: RuleLibrary, *, master: str,
                rules_dir: str | None, lexicons: list[Path] | None, strict: bool, allow_unknown: bool,
                detail: bool, as_of: float | None = None, audit: Any = None,
                annotations: Annotations | None = None, conf: Mapping[str, str] | None = None,
                spill: bool = False, spill_dir: str | None = None,
                ) -> tuple[Report | SpilledReport, dict[str, tuple[int, str]]]:
    """``check --engine spark``: event files evaluated on Spark; the report, and vendors seen
    (vendor → (events, first event id)) for the vendor check. ``conf``: ``--spark-conf`` settings;
    ``spill``: the driver keeps the findings in ``spill_dir`` (``check -f json|csv``).

    JSON Lines files are read by Spark's tasks; ``-`` (stdin) is first copied to a file on the
    driver's disk, which only a local master's executors can read; YAML timelines are read on the
    driver (:func:`_timeline_rows`). Spark failing under the run (its heap, its JVM) is a
    ``PactwatchError`` that says what to change."""
    if "-" in map(str, paths) and not master.startswith("local"):
        raise PactwatchError(Problem("usage", "stdin ('-') on Spark needs a local master: a cluster's executors cannot "
                                     "read the driver's copy of it; put the events where the executors read them "
                                     "(HDFS, object storage) and pass that path", file="<stdin>"))
    for path in paths:
        if str(path) != "-":
            events_file(path)
    labels = ["<stdin>" if str(p) == "-" else str(p) for p in paths]
    with tempfile.TemporaryDirectory(prefix="pactwatch-stdin-") as spool_dir:
        jsonl: list[tuple[str, str]] = []  # (path Spark reads, label)
        timelines: list[tuple[Any, ...]] = []
        for i, (path, label) in enumerate(zip(paths, labels, strict=True)):
            if str(path) == "-":  # (each '-' a copy of its own, as locally: a second one is empty)
                copy = str(Path(spool_dir) / f"stdin-{i}.jsonl")
                with open(copy, "wb") as spool:
                    spool_stdin(spool)
                jsonl.append((copy, label))
            elif is_timeline(Path(path)):
                timelines += _timeline_rows(Path(path), label, allow_unknown, contract.timezone)
            else:
                jsonl.append((str(path), label))
        spark = session(master, conf)
        try:
            return _evaluate(_records(spark, jsonl, timelines, allow_unknown), contract, library, rules_dir=rules_dir,
                             lexicons=lexicons, strict=strict, allow_unknown=allow_unknown, detail=detail,
                             files=labels, as_of=as_of, audit=audit, annotations=annotations, spill=spill,
                             spill_dir=spill_dir)
        except PactwatchError:
            raise
        except Exception as exc:
            memory = (conf or {}).get("spark.driver.memory") or (LOCAL_DRIVER_MEMORY if master.startswith("local")
                                                                  else "as the cluster sets it")
            problem = spark_failure(exc, memory, _stopped(spark))
            if problem is None:
                raise
            raise PactwatchError(problem) from None

