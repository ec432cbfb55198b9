"""How ``check --engine spark`` says that Spark, not the input or pactwatch, failed (no Spark needed)."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, pw
from pactwatch.errors import PactwatchError
from pactwatch.spark import spark_failure, spark_settings

HOSTING = EXAMPLES / "hosting-2026"


class Py4JError(Exception):
    """Named as py4j names its errors: spark_failure reads the class names, py4j need not be installed."""


class Py4JJavaError(Py4JError):
    pass


class Py4JNetworkError(Py4JError):
    pass


class PythonException(Exception):
    pass


SHUT_DOWN = ("An error occurred while calling o106.collectToPython.\n"
             ": org.apache.spark.SparkException: Job 1 cancelled because SparkContext was shut down\n"
             "\tat org.apache.spark.scheduler.DAGScheduler.$anonfun$cleanUpAfterSchedulerStop$1(DAGScheduler.scala:2060)")


NULL_SCHEDULER = ("An error occurred while calling o108.collectToPython.\n"
                  ": java.lang.NullPointerException: Cannot invoke \"org.apache.spark.scheduler.DAGScheduler."
                  "cleanupQueryJobs(long)\" because the return value of \"org.apache.spark.SparkContext.dagScheduler()\" "
                  "is null\n\tat org.apache.spark.SparkContext.cancelJobsWithTag(SparkContext.scala:2700)")


@pytest.mark.parametrize("message", [SHUT_DOWN, NULL_SCHEDULER])
def test_an_error_after_spark_stopped_names_the_heap_and_the_setting(message):
    """What 1M events with a 512m heap gave: the job's error is a consequence; the cause is in Spark's log."""
    problem = spark_failure(Py4JJavaError(message), "512m", stopped=True)
    assert problem is not None and problem.code == "spark-failed"
    assert problem.message.startswith("Spark stopped during the run (")
    assert message.splitlines()[1].removeprefix(": ") in problem.message
    assert "java.lang.OutOfMemoryError in Spark's log" in problem.message
    assert "Driver memory: 512m" in problem.message and "--spark-conf spark.driver.memory=" in problem.message
    assert "\tat " not in problem.message  # the Java stack stays in Spark's log


def test_out_of_heap_and_a_jvm_that_went_away_are_said_as_such():
    heap = spark_failure(Py4JJavaError("An error occurred while calling o9.count.\n: java.lang.OutOfMemoryError: "
                                       "Java heap space"), "4g", stopped=False)
    assert heap is not None and "(java.lang.OutOfMemoryError: Java heap space): its Java heap ran out" in heap.message
    gone = spark_failure(Py4JNetworkError("Answer from Java side is empty"), "4g", stopped=False)
    assert gone is not None and gone.code == "spark-failed" and "Answer from Java side is empty" in gone.message
    refused = spark_failure(ConnectionRefusedError(111, "Connection refused"), "4g", stopped=False)
    assert refused is not None and refused.code == "spark-failed"


def test_a_fault_in_pactwatch_or_its_task_code_stays_an_internal_error():
    assert spark_failure(PythonException("java.lang.OutOfMemoryError"), "4g", stopped=True) is None
    assert spark_failure(Py4JJavaError("An error occurred while calling o3.sql.\n: org.apache.spark.sql."
                                       "AnalysisException: [UNRESOLVED_COLUMN]"), "4g", stopped=False) is None
    assert spark_failure(KeyError("case"), "4g", stopped=False) is None


def test_spark_settings_are_key_value_pairs():
    assert spark_settings(["spark.driver.memory=8g", " spark.sql.shuffle.partitions = 64 "]) == {
        "spark.driver.memory": "8g", "spark.sql.shuffle.partitions": "64"}
    assert spark_settings(["spark.executor.extraJavaOptions=-Dx=y"]) == {"spark.executor.extraJavaOptions": "-Dx=y"}
    for bad in ("spark.driver.memory", "=8g", "spark.driver.memory="):
        with pytest.raises(PactwatchError) as info:
            spark_settings([bad])
        assert info.value.problems[0].code == "usage" and repr(bad) in info.value.problems[0].message


@pytest.mark.parametrize(("extra", "says"), [
    (["--spark-conf", "spark.driver.memory=8g"], "--spark-conf is for --engine spark"),
    (["--engine", "spark", "--spark-conf", "8g"], "expected KEY=VALUE"),
])
def test_the_cli_refuses_spark_settings_it_cannot_use(extra, says):
    run = pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", *extra)
    assert run.returncode == 2 and says in run.stderr and "Traceback" not in run.stderr


def test_stdin_needs_a_local_master_and_a_yaml_file_a_list_before_spark_starts(tmp_path):
    """Refused before any Spark starts: a cluster's executors cannot read the driver's copy of stdin."""
    run = pw("check", "-", "-c", HOSTING / "contract.yaml", "--engine", "spark", "--master", "spark://nowhere:7077",
             stdin="")
    assert run.returncode == 2 and "needs a local master" in run.stderr and "Traceback" not in run.stderr
    timeline = tmp_path / "events.yaml"
    timeline.write_text("events: {id: e1}\n", encoding="utf-8")
    run = pw("check", timeline, "-c", HOSTING / "contract.yaml", "--engine", "spark", "--master", "spark://nowhere:7077")
    assert run.returncode == 2 and "events-not-list" in run.stderr and "Traceback" not in run.stderr
