"""The Spark engine gives the report the local engine gives, byte for byte (local[2])."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from conftest import EXAMPLES, pw

pytestmark = pytest.mark.slow
HOSTING = EXAMPLES / "hosting-2026"
MULTI = EXAMPLES / "multi-vendor"


def _need_spark() -> None:
    """Skipped without the [spark] extra or Java, except where .ci/run says Spark must be there."""
    if not os.environ.get("PACTWATCH_REQUIRE_SPARK"):
        pytest.importorskip("pyspark", reason="the Spark engine's tests need the [spark] extra")
        if shutil.which("java") is None:
            pytest.skip("the Spark engine needs Java 17 or newer")


@pytest.fixture(autouse=True)
def _spark_installed():
    _need_spark()


@pytest.fixture(scope="module")
def spark():
    _need_spark()
    from pactwatch.spark import session

    s = session("local[2]")
    yield s
    s.stop()


def _local(*args: object) -> str:
    proc = pw("check", *args, "-f", "json", "--workers", "0")
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


def _on_spark(spark, paths, contract_path, **kw) -> str:
    from pactwatch import load_contract, load_rules
    from pactwatch.reports import RENDERERS
    from pactwatch.spark import evaluate_dataframe, read_lines

    library = load_rules()
    contract = load_contract(contract_path, library.concepts, [r.id for r in library.rules])
    labels = [str(p) for p in paths]
    report, _ = evaluate_dataframe(read_lines(spark, labels), contract, library, files=labels, **kw)
    return RENDERERS["json"](report, contract)


def test_check_on_spark_writes_the_local_report_byte_for_byte():
    local = pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "-f", "json")
    spark = pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "-f", "json", "--engine", "spark",
               "--master", "local[2]")
    assert spark.returncode == local.returncode == 1, spark.stderr
    assert spark.stdout == local.stdout and json.loads(spark.stdout)["violations"]


@pytest.mark.parametrize("as_of", ["2026-03-03T21:00:00+01:00", "2026-03-05 12:00", "2026-12-31T00:00:00Z"])
def test_as_of_gives_the_local_report(as_of):
    """Before the false claim is disproved, between two deadlines, and long after the input ends."""
    args = (HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "-f", "json", "--as-of", as_of)
    local = pw("check", *args, "--workers", "0")
    spark = pw("check", *args, "--engine", "spark", "--master", "local[2]")
    assert spark.returncode == local.returncode, spark.stderr
    assert spark.stdout == local.stdout
    report = json.loads(spark.stdout)
    assert report["as_of"] and (report["input"]["after_as_of"] > 0) == as_of.startswith("2026-03")


def test_cases_across_vendors_availability_and_repeats_are_the_same(spark, monkeypatch):
    """The second stage runs in Spark tasks, a vendor per group, not on the driver: judging it on the
    driver fails here (the tasks' Python workers are other processes), and the report is still the
    local one, repeat incidents and availability of several vendors included."""
    from pactwatch.evaluation.engine import _Run

    contract = MULTI / "contracts" / "webhost-nord.yaml"
    local = _local(MULTI / "events.jsonl", "-c", contract, "--allow-vendor-mismatch")
    found = json.loads(local)["violations"]
    assert {v["rule"] for v in found} >= {"repeat-incident", "availability-breach"}
    assert len({v["vendor"] for v in found if v["rule"] in ("repeat-incident", "availability-breach")}) > 1

    def on_the_driver(self):
        raise AssertionError("the second stage was judged on the driver")

    monkeypatch.setattr(_Run, "_repeats", on_the_driver)
    monkeypatch.setattr(_Run, "_service_level", on_the_driver)
    assert _on_spark(spark, [MULTI / "events.jsonl"], contract) == local


def test_bad_lines_duplicates_conflicts_and_clock_events_over_two_files(spark, tmp_path):
    lines = (HOSTING / "events.jsonl").read_text(encoding="utf-8").splitlines()
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    dup = json.loads(lines[5])
    conflict = dict(dup, text="something else entirely")
    first.write_text("\n".join([*lines[:20], "", "not json", json.dumps(dup)]) + "\n", encoding="utf-8")
    second.write_text("\n".join([*lines[20:], json.dumps(conflict), '{"type": "clock", "at": "2026-06-01T00:00:00Z"}',
                                 '{"at": "2026-03-03T10:00:00+01:00", "type": "mystery", "vendor": "webhost-nord"}'])
                      + "\n", encoding="utf-8")
    local = json.loads(_local(first, second, "-c", HOSTING / "contract.yaml"))
    codes = {r["code"] for r in local["input"]["rejected"]}
    assert {"event-bad-json", "event-id-conflict", "event-unknown-type"} <= codes
    got = json.loads(_on_spark(spark, [first, second], HOSTING / "contract.yaml"))
    assert got == local
    # the same bytes as the CLI writes them
    assert _on_spark(spark, [first, second], HOSTING / "contract.yaml") == _local(first, second, "-c", HOSTING / "contract.yaml")


def test_violations_and_outcomes_as_dataframes_written_as_parquet(spark, tmp_path):
    from pactwatch import load_contract, load_rules
    from pactwatch.spark import evaluate_dataframe, read_lines, report_frames

    library = load_rules()
    contract = load_contract(HOSTING / "contract.yaml", library.concepts, [r.id for r in library.rules])
    report, _ = evaluate_dataframe(read_lines(spark, [str(HOSTING / "events.jsonl")]), contract, library)
    violations, outcomes = report_frames(spark, report)
    violations.write.parquet(str(tmp_path / "violations"))
    back = spark.read.parquet(str(tmp_path / "violations")).orderBy("at", "rule", "id").collect()
    assert [(r["id"], r["rule"]) for r in back] == [(v.id, v.rule) for v in report.violations]
    assert json.loads(back[0]["violation"]) == report.violations[0].model_dump(mode="json")
    assert outcomes.count() == len(report.outcomes)
    assert outcomes.filter("status = 'violated'").count() == sum(o.status == "violated" for o in report.outcomes)


def test_strict_stops_at_the_first_rejected_line(spark, tmp_path):
    from pactwatch.errors import PactwatchError

    bad = tmp_path / "bad.jsonl"
    bad.write_text((HOSTING / "events.jsonl").read_text(encoding="utf-8") + "{oops\n", encoding="utf-8")
    with pytest.raises(PactwatchError) as caught:
        _on_spark(spark, [bad], HOSTING / "contract.yaml", strict=True)
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.code) == (str(bad), 41, "event-bad-json")


def test_a_yaml_timeline_and_stdin_are_read_as_check_reads_them(tmp_path):
    """A hand-written YAML timeline (times without an offset in the contract's zone, a YAML
    timestamp, a time the clocks skip, an invalid item) beside JSON Lines on stdin: the same
    report and the same rejections, with the same files and lines, as the local engine."""
    import yaml

    events = [json.loads(line) for line in (HOSTING / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    for event in events[:5]:
        event["at"] = event["at"][:19]  # naive: placed in Europe/Berlin
    half = len(events) // 2
    timeline = tmp_path / "timeline.yaml"
    timeline.write_text(yaml.safe_dump({"events": events[:half]}, allow_unicode=True, sort_keys=False)
                        + "- {id: gap, type: message.sent, at: '2026-03-29T02:30:00', vendor: webhost-nord, text: hi}\n"
                        + "- {id: tick, type: clock, at: 2026-03-03T10:00:00}\n"
                        + "- {id: novendor, type: message.sent, at: '2026-03-03T10:00:00+01:00'}\n", encoding="utf-8")
    stdin = "".join(json.dumps(e) + "\n" for e in events[half:]) + "{oops\n"
    args = (timeline, "-", "-c", HOSTING / "contract.yaml", "-f", "md")
    local = pw("check", *args, stdin=stdin)
    spark = pw("check", *args, "--engine", "spark", stdin=stdin)
    assert spark.returncode == local.returncode == 1, spark.stderr
    assert spark.stdout == local.stdout and "false-resolution-claim" in spark.stdout
    rejected = [line for line in local.stderr.splitlines() if line.startswith("rejected")]
    assert [line for line in spark.stderr.splitlines() if line.startswith("rejected")] == rejected
    assert len(rejected) == 3 and any("<stdin>:" in line for line in rejected)
    assert any("clocks skip it" in line for line in rejected)


def test_the_spark_engine_refuses_workers():
    proc = pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "--engine", "spark", "--workers", "2")
    assert proc.returncode == 2 and "--workers" in proc.stderr


def _entries(path) -> list[dict]:
    """The audit log's entries without the wall-clock time, and without run.started's note of how it ran."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = {k: v for k, v in json.loads(line).items() if k != "logged_at"}
        if entry["event"] == "run.started":
            for how in ("workers", "engine"):
                entry.pop(how, None)
        out.append(entry)
    return out


def test_the_audit_log_on_spark_is_the_local_one(tmp_path):
    """The tasks keep their entries with their results; the driver writes them as it merges, in case
    order: the entries of a local run with workers, decision for decision."""
    contract = MULTI / "contracts" / "webhost-nord.yaml"
    args = (MULTI / "events.jsonl", "-c", contract, "--allow-vendor-mismatch", "-f", "json")
    local = pw("check", *args, "--workers", "2", "--log-file", tmp_path / "local.log")
    spark = pw("check", *args, "--engine", "spark", "--log-file", tmp_path / "spark.log")
    assert spark.returncode == local.returncode == 1, spark.stderr
    assert spark.stdout == local.stdout
    entries = _entries(tmp_path / "spark.log")
    assert entries == _entries(tmp_path / "local.log")
    kinds = {e["event"] for e in entries}
    assert {"run.started", "violation.emitted", "rule.decided", "run.finished"} <= kinds
    assert json.loads((tmp_path / "spark.log").read_text(encoding="utf-8").splitlines()[0])["engine"] == "spark"


def test_a_case_folder_s_reviewed_readings_are_used_on_spark(tmp_path):
    """A reviewer's correction in annotations.yaml travels to the tasks with the job: the finding that
    rested on the corrected sentence goes, as it does locally."""
    folder = tmp_path / "case"
    assert pw("case", "init", folder, "--template", "hosting-de").returncode == 0
    vendor = next(line.split(":")[1].split()[0] for line in (folder / "contract.yaml").read_text().splitlines()
                  if line.startswith("vendor:"))
    claim = "Bei unserer Prüfung lud die Seite normal."
    events = [
        {"id": "h1", "at": "2026-03-03T09:00:00+01:00", "type": "host.failed", "actor": "monitor",
         "service": "www.kunde-a.de", "data": {"host": "s1"}},
        {"id": "m1", "at": "2026-03-03T20:48:00+01:00", "type": "message.sent", "actor": "vendor", "text": claim,
         "data": {"kind": "update"}},
        {"id": "p1", "at": "2026-03-03T21:00:00+01:00", "type": "probe", "actor": "monitor",
         "service": "www.kunde-a.de", "data": {"check": "https", "up": False}},
    ]
    (folder / "events" / "timeline.jsonl").write_text(
        "".join(json.dumps({**e, "vendor": vendor}) + "\n" for e in events), encoding="utf-8")
    before = pw("check", folder, "-f", "json", "--engine", "spark")
    assert "false-resolution-claim" in {v["rule"] for v in json.loads(before.stdout)["violations"]}, before.stderr
    (folder / "annotations.yaml").write_text(
        f"- event: m1\n  start: 0\n  end: {len(claim)}\n  sentence: {claim}\n  labels: []\n  reviewer: A. Weber\n"
        "  date: '2026-03-10'\n", encoding="utf-8")
    local = pw("check", folder, "-f", "json")
    spark = pw("check", folder, "-f", "json", "--engine", "spark")
    assert spark.returncode == local.returncode, spark.stderr
    assert spark.stdout == local.stdout
    assert "false-resolution-claim" not in {v["rule"] for v in json.loads(spark.stdout)["violations"]}


def test_a_line_that_is_not_utf8_is_rejected_as_check_rejects_it(spark, tmp_path):
    """Hadoop decodes a bad byte as U+FFFD; the lines therefore travel as bytes, and a line that is not
    UTF-8 is rejected with the byte and column check names, while a line that holds U+FFFD itself is
    an event like any other."""
    lines = (HOSTING / "events.jsonl").read_bytes().splitlines()
    bad = json.loads(lines[3])
    honest = dict(json.loads(lines[4]), id="with-replacement-char", text="Stra\ufffde gesperrt")
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join([*lines[:3], json.dumps(dict(bad, text="Gr\u00fc\u00dfe")).encode().replace(b"\\u00fc", b"\xfc"),
                                 json.dumps(honest, ensure_ascii=False).encode(), *lines[4:]]) + b"\r\n")
    local = json.loads(_local(path, "-c", HOSTING / "contract.yaml"))
    assert [(r["line"], r["code"]) for r in local["input"]["rejected"]] == [(4, "event-not-utf8")]
    assert "byte 0xfc at column" in local["input"]["rejected"][0]["reason"]
    assert _on_spark(spark, [path], HOSTING / "contract.yaml") == _local(path, "-c", HOSTING / "contract.yaml")


def test_a_byte_order_mark_before_the_first_line_is_read_past_as_check_does(spark, tmp_path):
    path = tmp_path / "marked.jsonl"
    path.write_text("\ufeff" + (HOSTING / "events.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    local = _local(path, "-c", HOSTING / "contract.yaml")
    assert json.loads(local)["input"]["rejected"] == []
    assert _on_spark(spark, [path], HOSTING / "contract.yaml") == local


def test_the_spark_benchmark_runs_and_finds_the_same_report():
    """benchmarks/spark.py (the 10M comparison in docs/scale.md) on a tiny stream: both engines, one table row."""
    import subprocess
    import sys

    from conftest import ROOT

    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "spark.py"), "300"], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    row = next(line for line in proc.stdout.splitlines() if line.startswith("| 300 |"))
    assert row.endswith("| yes |") and "crossover:" in proc.stdout


def test_lines_and_events_are_numbered_across_many_partitions(spark, tmp_path):
    """Line numbers and the canonical order are counted in the JVM from each partition's size; a file
    split into many partitions, sorted into eight, numbers every line and event as check does."""
    lines = (HOSTING / "events.jsonl").read_text(encoding="utf-8").splitlines()
    mixed = []
    for i, line in enumerate(lines):
        mixed += [line, "", "{not json"] if i % 7 == 3 else [line]
    path = tmp_path / "split.jsonl"
    path.write_text("\n".join(mixed) + "\n", encoding="utf-8")
    from pactwatch.spark import read_lines

    settings = {"spark.sql.files.maxPartitionBytes": "2048", "spark.sql.files.openCostInBytes": "1024",
                "spark.sql.adaptive.enabled": "false"}
    before = {key: spark.conf.get(key) for key in settings}
    try:
        for key, value in settings.items():
            spark.conf.set(key, value)
        frame = read_lines(spark, [str(path)])
        assert frame.rdd.getNumPartitions() >= 5
        assert [r["line"] for r in frame.orderBy("line").collect()] == list(range(1, len(mixed) + 1))
        got = _on_spark(spark, [path], HOSTING / "contract.yaml")
    finally:
        for key, value in before.items():
            spark.conf.set(key, value)
    local = _local(path, "-c", HOSTING / "contract.yaml")
    assert len(json.loads(local)["input"]["rejected"]) == sum(i % 7 == 3 for i in range(len(lines)))
    assert got == local


def test_spark_that_cannot_start_is_a_clear_error_not_a_crash():
    proc = pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "--engine", "spark",
              "--spark-conf", "spark.driver.memory=lots")
    assert proc.returncode == 2, proc.stderr
    assert "spark-failed: Spark did not start on local[2]" in proc.stderr and "Traceback" not in proc.stderr


def test_json_and_csv_are_written_from_the_driver_s_disk_as_locally(tmp_path):
    """With -f json or csv the driver keeps the findings in --spill-dir as it merges the cases (a
    temporary folder, removed afterwards); an unusable --spill-dir stops before Spark evaluates anything."""
    contract = MULTI / "contracts" / "webhost-nord.yaml"
    args = (MULTI / "events.jsonl", "-c", contract, "--allow-vendor-mismatch", "-f", "csv")
    local = pw("check", *args)
    spark = pw("check", *args, "--engine", "spark", "--spill-dir", tmp_path)
    assert spark.returncode == local.returncode == 1, spark.stderr
    assert spark.stdout == local.stdout and "availability-breach" in spark.stdout
    assert list(tmp_path.iterdir()) == []
    missing = pw("check", *args, "--engine", "spark", "--spill-dir", tmp_path / "missing")
    assert missing.returncode == 2 and "spill-unwritable" in missing.stderr and "Traceback" not in missing.stderr
