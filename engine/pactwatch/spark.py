"""Evaluate events on Spark: the first stage per case in Spark tasks, the second on the driver.

The same two stages as ``--workers`` (evaluation/workers.py), on a cluster engine instead of
forked processes:

1. Every line is validated in a task (``mapInPandas``), as ``check`` validates it; the rejected
   ones come back to the driver with their file, line and reason.
2. The accepted events are put in canonical order (time, id, content) and numbered — the
   position that orders everything later, as in a local run.
3. ``groupBy(case).applyInPandas``: each case is evaluated on its own events by the same
   compiled rules in the task (one evaluator per Python worker, built once from the contract
   and the rule library shipped with the job) and returns what the first stage found.
4. The driver merges those results in case order and runs the second stage (availability per
   service and month, repeat incidents): the report is the one ``check`` writes, byte for byte.

pyspark (and pandas, pyarrow) are the optional extra ``[spark]``; nothing else imports them.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import __version__
from .enrich.review import Annotation, Annotations
from .errors import PactwatchError, Problem, reason_of
from .ingest.records import parse_record
from .ingest.stream import IngestSummary, unreadable_line
from .models.contract import Contract
from .models.report import FailedCase, Rejection, Report
from .rules import RuleLibrary, load_rules

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["check_files", "evaluate_dataframe", "read_lines", "report_frames", "session"]

_PART_SCHEMA = "case string, part binary, error string"
_ROW_SCHEMA = ("file string, line long, ok boolean, epoch double, id string, content string, case string, "
               "type string, vendor string, raw string, code string, field string, reason string, unknown boolean")
_HASHES = np.dtype([("seq", ">u8"), ("h", "S32")])
#: per Python worker: the evaluator of the job's rules and contract, built on first use
_EVALUATORS: dict[tuple[str, str, tuple[str, ...]], Any] = {}


def session(master: str = "local[2]") -> SparkSession:
    """A Spark session for ``check --engine spark``: its Python workers run this interpreter."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise PactwatchError(Problem("missing-dependency", "the Spark engine needs pyspark: pip install 'pactwatch[spark]' "
                                     "(and Java 17 or newer)")) from None
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    spark = (SparkSession.builder.master(master).appName("pactwatch")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", "8")
             .config("spark.sql.execution.arrow.pyspark.enabled", "true")
             .config("spark.pyspark.python", sys.executable)
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def read_lines(spark: SparkSession, paths: list[str]) -> DataFrame:
    """JSON Lines files as rows (file, line, value, unreadable), numbered as ``check`` numbers them;
    blank lines dropped.

    A line ``check`` cannot read (not UTF-8, or longer than ``MAX_LINE_CHARS``) has no value and
    says why in ``unreadable`` (``code: reason``); it is rejected as ``check`` rejects it. The lines
    travel as bytes: Hadoop's ``textFile`` would have decoded a bad byte as U+FFFD, and the line
    would have been read as an event.
    """
    from pyspark.sql import functions as F

    frames = []
    for path in paths:
        raw = spark.read.text(path).select(F.col("value").cast("binary").alias("value"))
        rows = raw.rdd.zipWithIndex().map(partial(_decoded, path)).filter(_not_blank)
        frames.append(rows.toDF(_LINES_SCHEMA))
    out = frames[0]
    for frame in frames[1:]:
        out = out.unionByName(frame)
    return out


_LINES_SCHEMA = "file string, line long, value string, unreadable string"


def _decoded(label: str, pair: tuple[Any, int]) -> tuple[str, int, str | None, str | None]:
    """A line's text, or why it is not read: the tests of ``ingest.stream._json_lines``."""
    text = bytes(pair[0]["value"]).decode("utf-8", errors="surrogateescape")
    why = unreadable_line(text)
    if why is not None:
        return label, pair[1] + 1, None, f"{why.code}: {why.reason}"
    return label, pair[1] + 1, text, None


def _not_blank(row: tuple[str, int, str | None, str | None]) -> bool:
    return row[2] is None or row[2].strip() != ""


def _validate(batches: Iterator[pd.DataFrame], allow_unknown: bool) -> Iterator[pd.DataFrame]:
    import pandas as pd

    for batch in batches:
        rows: list[tuple[Any, ...]] = []
        for file, line, value, unreadable in zip(batch["file"], batch["line"], batch["value"], batch["unreadable"],
                                                 strict=True):
            if isinstance(unreadable, str):  # (pandas gives None or NaN for a null)
                code, reason = unreadable.split(": ", 1)
                rows.append((file, line, False, None, None, None, None, None, None, None, code, None, reason, False))
                continue
            event, problems, unknown = parse_record(value, file=file, line=int(line), allow_unknown=allow_unknown)
            if event is None:
                first = problems[0]
                reason = reason_of(problems)
                rows.append((file, line, False, None, None, None, None, None, None, None, first.code, first.field,
                             reason, False))
            else:
                rows.append((file, line, True, event.at.timestamp(), event.id, event.model_dump_json(), event.case_key,
                             event.type, event.vendor, value, None, None, None, unknown))
        yield pd.DataFrame(rows, columns=[c.split()[0] for c in _ROW_SCHEMA.split(", ")])


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

    from .evaluation.engine import _Run
    from .evaluation.gc_policy import collector_paused
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
            for seq, file, line, raw in zip(pdf["seq"], pdf["file"], pdf["line"], pdf["raw"], strict=True):
                event, problems, _ = parse_record(raw, file=file, line=int(line), allow_unknown=job.allow_unknown)
                if event is None:
                    raise PactwatchError(problems)
                run.feed(event.at.timestamp(), event, (file, int(line)), int(seq))
            run.finish_cases(end)
            part = run.partial()
            part.audit = entries
            run.release(True)
        return pd.DataFrame([(key, zlib.compress(pickle.dumps(part)), None)], columns=["case", "part", "error"])
    except PactwatchError as exc:
        return pd.DataFrame([(key, None, "\n".join(str(p) for p in exc.problems))], columns=["case", "part", "error"])
    except Exception as exc:  # noqa: BLE001 - a fault in pactwatch: this case fails, the others go on
        return pd.DataFrame([(key, None, f"internal: {type(exc).__name__}: {exc}")], columns=["case", "part", "error"])


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
    """Evaluate rows (file, line, value: one JSON event per value; optionally ``unreadable``, as
    :func:`read_lines` gives it) against a contract on Spark.

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
    from pyspark.sql import functions as F

    from .evaluation import Evaluator
    from .evaluation.engine import _Run

    library = rules or load_rules(rules_dir, lexicons)
    evaluator = Evaluator(library, contract, audit=audit)
    reviewed = {event: tuple(items) for event, items in (annotations or {}).items()}
    labels = files or [r[0] for r in lines.select("file").distinct().orderBy("file").collect()]
    if "unreadable" not in lines.columns:  # a DataFrame of the caller's own: every value was read
        lines = lines.withColumn("unreadable", F.lit(None).cast("string"))
    checked = lines.mapInPandas(lambda b: _validate(b, allow_unknown), schema=_ROW_SCHEMA).cache()
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
    summary.rejected = [Rejection(file=r["file"], line=r["line"], field=r["field"], code=r["code"], reason=r["reason"])
                        for r in bad]
    # Canonical order over every file: time, id, then content for a tie (check's order), numbered from 1.
    good = checked.filter(F.col("ok")).drop("ok", "code", "field", "reason").orderBy("epoch", "id", "content")
    ordered = (good.rdd.zipWithIndex().map(lambda p: (*p[0], p[1] + 1))
               .toDF(good.schema.add("seq", "long")).cache())
    vendors = {r["vendor"]: (r["count"], r["first"]) for r in ordered.filter(F.col("vendor").isNotNull())
               .groupBy("vendor").agg(F.count("*").alias("count"), F.min_by("id", "seq").alias("first")).collect()}
    known, after_as_of = ordered, 0
    if as_of is not None:
        known = ordered.filter(F.col("epoch") <= F.lit(as_of))
        after_as_of = ordered.filter(F.col("epoch") > F.lit(as_of)).count()
    last = known.agg(F.max("epoch")).collect()[0][0]
    end = last if as_of is None else as_of if last is None else max(last, as_of)
    clocks = known.filter(F.col("type") == "clock").orderBy("seq").collect()
    job = _Job(contract, str(rules_dir or ""), tuple(str(p) for p in lexicons or ()), labels, strict,
               allow_unknown, detail, as_of, evaluator.audited, reviewed)
    parts = (known.filter(F.col("type") != "clock").select("case", "seq", "file", "line", "raw")
             .groupBy("case").applyInPandas(lambda pdf: _first_stage(pdf, job, float(end)), schema=_PART_SCHEMA)
             .collect()) if last is not None else []
    parent = _Run(evaluator, summary, detail, reviewed, as_of)
    parent.log.info("run.started", ruleset_hash=library.hash, contract=contract.id, version=__version__, engine="spark")
    parent.after_as_of = after_as_of
    parent.hashes = bytearray()
    for row in clocks:
        event, _, _ = parse_record(row["raw"], file=row["file"], line=row["line"], allow_unknown=allow_unknown)
        assert event is not None
        parent.feed(row["epoch"], event, (row["file"], row["line"]), row["seq"])
    failed = []
    for row in sorted(parts, key=lambda r: r["case"]):
        if row["part"] is None:
            if not row["error"].startswith("internal: "):
                raise PactwatchError(Problem("event-invalid", row["error"]))
            failed.append(FailedCase(case=row["case"].replace("\x1f", "/"), reason=row["error"][len("internal: "):]))
            continue
        part = pickle.loads(zlib.decompress(row["part"]))  # noqa: S301 - our own tasks' results
        parent.absorb(part)
        parent.hashes += part.hashes
    if end is not None:
        parent.now = max(parent.now, float(end))
    digest = hashlib.sha256(np.sort(np.frombuffer(bytes(parent.hashes), dtype=_HASHES), order="seq")["h"].tobytes())
    parent.digest = digest
    parent.failed = failed
    try:
        report = parent.second_stage()
    finally:
        parent.release(True)
        ordered.unpersist()
        checked.unpersist()
    return report, vendors


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
                annotations: Annotations | None = None) -> tuple[Report, dict[str, tuple[int, str]]]:
    """``check --engine spark``: JSON Lines files evaluated on Spark; the report, and vendors seen
    (vendor → (events, first event id)) for the vendor check."""
    for path in paths:
        if str(path) == "-" or Path(path).suffix in (".yaml", ".yml"):
            raise PactwatchError(Problem("usage", "the Spark engine reads JSON Lines files (not stdin or YAML)",
                                         file=str(path)))
        if not Path(path).is_file():
            raise PactwatchError(Problem("file-not-found", "no such file", file=str(path)))
    spark = session(master)
    labels = [str(p) for p in paths]
    lines = read_lines(spark, labels)
    return evaluate_dataframe(lines, contract, library, rules_dir=rules_dir, lexicons=lexicons, strict=strict,
                              allow_unknown=allow_unknown, detail=detail, files=labels, as_of=as_of, audit=audit,
                              annotations=annotations)
