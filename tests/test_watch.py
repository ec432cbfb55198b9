"""pactwatch watch: findings as event time decides them, a checkpoint that survives kill -9."""

from __future__ import annotations

import json
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, SANITIZER, event, pw

HOSTING = EXAMPLES / "hosting-2026"
MULTI = EXAMPLES / "multi-vendor"
NORD = MULTI / "contracts" / "webhost-nord.yaml"


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _comparable(outcome: dict) -> list:
    """An outcome without the finding's id (a watcher writes a finding as it stood when detected)."""
    return sorted((k, v) for k, v in outcome.items() if k != "violation" and v is not None)


def _watch(tmp_path: Path, *args, env: dict[str, str] | None = None, stdin: str | None = None,
           name: str = "run") -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path / f"{name}.jsonl"
    proc = subprocess.run([sys.executable, "-m", "pactwatch.cli", "watch", *map(str, args),
                           "--checkpoint", tmp_path / f"{name}-ck", "--output", out],
                          capture_output=True, text=True, input=stdin, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", **SANITIZER, **(env or {})})
    return proc, out


def test_watch_finds_what_check_finds_on_the_bundled_example(tmp_path):
    proc, out = _watch(tmp_path, HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "--close-at-end")
    assert proc.returncode == 0, proc.stderr
    watched = [d["violation"] for d in _lines(out) if d["kind"] == "violation"]
    batch = json.loads(pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "-f", "json").stdout)
    assert [(v["rule"], v["at"]) for v in watched] == [(v["rule"], v["at"]) for v in batch["violations"]]
    # A finding is written as it stands when event time decides it: the false "resolved" claim is
    # written when the first probe contradicts it, the batch report quotes every later probe too; the
    # missed 18:00 promise is written when the 18:00 checks show two services down, the batch report
    # adds the two whose first check came at 21:00, still in the same outage.
    differ = {v["rule"] for v, b in zip(watched, batch["violations"], strict=True) if v["id"] != b["id"]}
    assert differ == {"false-resolution-claim", "missed-commitment"}
    promise = next(v for v in watched if v["rule"] == "missed-commitment")
    assert promise["services"] == ["www.kunde-a.de", "www.kunde-b.de"]


def test_a_byte_order_mark_before_the_first_line_is_read_past(tmp_path):
    """A file a Windows tool wrote begins with a byte order mark: the watcher reads its first event as check does."""
    marked = tmp_path / "marked.jsonl"
    marked.write_text("\ufeff" + (HOSTING / "events.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    plain, plain_out = _watch(tmp_path, HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "--close-at-end",
                              name="plain")
    proc, out = _watch(tmp_path, marked, "-c", HOSTING / "contract.yaml", "--close-at-end")
    assert proc.returncode == plain.returncode == 0, proc.stderr
    assert not any(d["kind"] == "rejected" for d in _lines(out))
    assert _lines(out) == _lines(plain_out)


def test_each_obligations_outcome_is_written_when_its_case_closes_as_check_reports_it(tmp_path):
    """Met, pending and not applicable as well as violated: a case's outcomes once event time closes
    the case; those judged across cases (availability and the credit it owes, repeat incidents) at
    the end of a complete input. Each as `check` reports it, a violated one naming the line written
    for its finding."""
    later = json.dumps({"at": "2026-04-01T00:00:00+02:00", "type": "clock"})
    stdin = (HOSTING / "events.jsonl").read_text(encoding="utf-8") + later + "\n"
    proc, out = _watch(tmp_path, "-c", HOSTING / "contract.yaml", stdin=stdin, name="open")
    assert proc.returncode == 0, proc.stderr
    closed_case = [d["outcome"] for d in _lines(out) if d["kind"] == "outcome"]
    assert {o["incident"] for o in closed_case} == {"INC-2026-0302"}
    assert {"availability-breach", "repeat-incident"}.isdisjoint(o["rule"] for o in closed_case)

    proc, out = _watch(tmp_path, HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "--close-at-end", name="all")
    assert proc.returncode == 0, proc.stderr
    written = _lines(out)
    outcomes = [d["outcome"] for d in written if d["kind"] == "outcome"]
    batch = json.loads(pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "-f", "json").stdout)

    assert sorted(map(_comparable, outcomes)) == sorted(map(_comparable, batch["outcomes"]))
    assert {"violated", "met", "pending", "not_applicable"} <= {o["status"] for o in outcomes}
    findings = {d["violation"]["id"] for d in written if d["kind"] == "violation"}
    named = {o["violation"] for o in outcomes if o["status"] == "violated"}
    assert named and named <= findings  # the written ids, also where check's report ids differ
    assert len({d["id"] for d in written}) == len(written)


def test_a_finding_is_written_once_time_has_passed_it_without_closing_anything(tmp_path):
    """A suspension without notice is a finding the moment a later event moves time past it."""
    events = HOSTING / "events.jsonl"
    first = events.read_text(encoding="utf-8").splitlines()[:6]
    proc, out = _watch(tmp_path, "-c", HOSTING / "contract.yaml", stdin="\n".join(first) + "\n")
    assert proc.returncode == 0, proc.stderr
    assert [d["violation"]["rule"] for d in _lines(out)] == ["suspension-without-notice"]


def test_the_output_does_not_depend_on_how_often_the_watcher_commits_or_how_many_cases_it_keeps(tmp_path):
    runs = []
    for name, extra in (("step1", ["--step-lines", 1]), ("step7", ["--step-lines", 7]), ("default", []),
                        ("one-resident", ["--max-resident-cases", 1])):
        proc, out = _watch(tmp_path, MULTI / "events.jsonl", "-c", NORD, "--close-at-end", *extra, name=name)
        assert proc.returncode == 0, proc.stderr
        runs.append(out.read_bytes())
    assert runs[0] == runs[1] == runs[2] == runs[3]
    assert int(re.search(r"(\d+) cases set aside", proc.stderr)[1]) > 0  # the last run did, and brought them back
    kinds = {d["kind"] for d in _lines(out)}
    assert kinds == {"violation", "outcome", "rejected"}  # other vendors' events are rejected lines, not dropped


def test_cases_set_aside_and_brought_back_change_nothing_on_a_realistic_stream(tmp_path):
    """About 80 cases open at once, messages, deadlines falling while cases are set aside: the same
    bytes with three resident cases as with all of them."""
    events = tmp_path / "events.jsonl"
    subprocess.run([sys.executable, ROOT / "benchmarks" / "generate.py", "1500", events, "--mix", "realistic"], check=True)
    args = [events, "-c", HOSTING / "contract.yaml", "--close-at-end", "--allow-vendor-mismatch"]
    proc, all_resident = _watch(tmp_path, *args, name="all")
    assert proc.returncode == 0, proc.stderr
    proc, three = _watch(tmp_path, *args, "--max-resident-cases", 3, name="three")
    assert proc.returncode == 0, proc.stderr
    assert int(re.search(r"(\d+) cases set aside", proc.stderr)[1]) > 0
    assert three.read_bytes() == all_resident.read_bytes() and len(_lines(three)) > 100
    batch = json.loads(pw("check", *args[:3], "--allow-vendor-mismatch", "-f", "json").stdout)["outcomes"]
    watched = [d["outcome"] for d in _lines(three) if d["kind"] == "outcome"]
    assert sorted(map(_comparable, watched)) == sorted(map(_comparable, batch)) and len(batch) > 1000


@pytest.mark.parametrize(("seed", "resident"), [(1, None), (2, 1)])
def test_killed_at_any_step_and_restarted_it_writes_every_line_exactly_once(tmp_path, seed, resident):
    """SIGKILL after a step's lines are written but before its commit, or right after a commit:
    the restarts' output is byte for byte the uninterrupted run's (also with cases set aside)."""
    args = [MULTI / "events.jsonl", "-c", NORD, "--close-at-end", "--step-lines", "13",
            *(["--max-resident-cases", resident] if resident else [])]
    proc, whole = _watch(tmp_path, *args, name="whole")
    assert proc.returncode == 0, proc.stderr
    rng = random.Random(seed)
    kills = sorted(rng.sample(range(2, 40), 3))
    for n, step in enumerate(kills):
        phase = rng.choice(["written", "committed"])
        # each restart numbers its steps from 1: kill it a few steps after it resumed
        proc, out = _watch(tmp_path, *args, env={"PACTWATCH_TEST_WATCH_KILL": f"{step - (kills[n - 1] if n else 0)}:{phase}"},
                           name="killed")
        assert proc.returncode == -signal.SIGKILL, (step, phase, proc.stderr)
    proc, out = _watch(tmp_path, *args, name="killed")
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == whole.read_bytes()
    ids = [d["id"] for d in _lines(out)]
    assert len(ids) == len(set(ids))


@pytest.mark.slow
def test_killed_from_outside_at_random_moments_nothing_is_lost_or_doubled(tmp_path):
    args = [sys.executable, "-m", "pactwatch.cli", "watch", MULTI / "events.jsonl", "-c", NORD, "--close-at-end",
            "--step-lines", "5", "--checkpoint", tmp_path / "ck", "--output", tmp_path / "out.jsonl"]
    proc, whole = _watch(tmp_path, MULTI / "events.jsonl", "-c", NORD, "--close-at-end", name="whole")
    assert proc.returncode == 0
    rng = random.Random(7)
    env = {"PATH": "/usr/bin:/bin", **SANITIZER}
    for _ in range(6):
        p = subprocess.Popen([str(a) for a in args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.5, 4.0))
        p.send_signal(signal.SIGKILL)
        p.wait()
    final = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert final.returncode == 0, final.stderr
    assert (tmp_path / "out.jsonl").read_bytes() == whole.read_bytes()


def _jsonl(*raws: dict) -> str:
    return "".join(json.dumps(r) + "\n" for r in raws)


@pytest.fixture()
def acme(tmp_path) -> Path:
    path = tmp_path / "contract.yaml"
    path.write_text("id: C-1\nvendor: acme\ncustomer: Kunde GmbH\ncurrency: EUR\nmonthly_fee: 100\n"
                    "timezone: Europe/Berlin\nclauses:\n  - id: '7'\n    title: Notice\n    covers: [suspension_notice]\n"
                    "    params: {notice_hours: 24}\n", encoding="utf-8")
    return path


def _suspension(hours: float, id_: str) -> dict:
    return event(hours, "service.suspended", id=id_, incident="INC-1", service="www.kunde.de",
                 data={"reason": "log files"})


def test_an_event_later_than_the_allowed_lateness_is_reported_late_not_merged(tmp_path, acme):
    stream = _jsonl(event(0, "probe", id="p1", service="www.kunde.de", incident="INC-1", data={"up": False, "check": "https"}),
                    event(5, "probe", id="p2", service="www.kunde.de", incident="INC-1", data={"up": False, "check": "https"}),
                    _suspension(1, "late-one"),   # 4 h behind the latest: within 6 h, taken in its place
                    event(20, "probe", id="p3", service="www.kunde.de", incident="INC-1", data={"up": False, "check": "https"}),
                    _suspension(2, "too-late"))   # 18 h behind: later than allowed
    proc, out = _watch(tmp_path, "-c", acme, "--allowed-lateness", "6h", "--close-at-end", stdin=stream)
    assert proc.returncode == 0, proc.stderr
    lines = _lines(out)
    late = [d for d in lines if d["kind"] == "late"]
    assert [(d["event"], d["line"]) for d in late] == [("too-late", 5)]
    found = [d["violation"] for d in lines if d["kind"] == "violation" and d["violation"]["rule"] == "suspension-without-notice"]
    assert [[e["event"] for e in v["evidence"]] for v in found] == [["late-one"]]
    assert "1 late" in proc.stderr


def test_out_of_order_within_the_lateness_gives_the_same_lines_as_in_order(tmp_path, acme):
    raws = [event(h, "probe", id=f"p{h}", service="www.kunde.de", incident="INC-1", data={"up": False, "check": "https"}) for h in range(0, 30, 3)]
    raws.insert(3, _suspension(4, "s1"))
    shuffled = raws[:]
    random.Random(3).shuffle(shuffled)
    outs = []
    for name, order in (("sorted", sorted(raws, key=lambda r: r["at"])), ("shuffled", shuffled)):
        proc, out = _watch(tmp_path, "-c", acme, "--allowed-lateness", "2 days", "--close-at-end",
                           stdin=_jsonl(*order), name=name)
        assert proc.returncode == 0, proc.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and b"suspension-without-notice" in outs[0]


def test_a_restart_fed_stdin_from_the_start_skips_what_was_consumed(tmp_path, acme):
    first = _jsonl(event(0, "probe", id="p1", service="www.kunde.de", incident="INC-1", data={"up": False, "check": "https"}), _suspension(1, "s1"))
    more = _jsonl(event(3, "probe", id="p2", service="www.kunde.de", incident="INC-1", data={"up": False, "check": "https"}))
    proc, out = _watch(tmp_path, "-c", acme, stdin=first)
    assert proc.returncode == 0 and _lines(out) == []  # nothing after the suspension yet: not decided
    proc, out = _watch(tmp_path, "-c", acme, stdin=first + more)
    assert proc.returncode == 0, proc.stderr
    assert [d["violation"]["rule"] for d in _lines(out)] == ["suspension-without-notice"]
    assert "1 lines read" in proc.stderr


def test_bad_lines_are_rejected_lines_and_strict_stops_with_exit_2(tmp_path, acme):
    stream = '{"at": "yesterday"}\nnot json\n' + _jsonl(_suspension(1, "s1"))
    proc, out = _watch(tmp_path, "-c", acme, stdin=stream)
    assert proc.returncode == 0
    rejected = [d for d in _lines(out) if d["kind"] == "rejected"]
    assert [d["line"] for d in rejected] == [1, 2] and all(d["reason"] for d in rejected)
    proc, _ = _watch(tmp_path, "-c", acme, "--strict", stdin=stream, name="strict")
    assert proc.returncode == 2 and "<stdin>:1" in proc.stderr and "Traceback" not in proc.stderr


def test_a_checkpoint_is_bound_to_its_contract_and_output(tmp_path, acme):
    proc, _ = _watch(tmp_path, "-c", acme, stdin=_jsonl(_suspension(1, "s1")))
    assert proc.returncode == 0
    other = tmp_path / "other.yaml"
    other.write_text(acme.read_text(encoding="utf-8").replace("notice_hours: 24", "notice_hours: 48"), encoding="utf-8")
    proc, _ = _watch(tmp_path, "-c", other, stdin="")
    assert proc.returncode == 2 and "checkpoint-mismatch" in proc.stderr and "contract" in proc.stderr
    # a new checkpoint does not append to someone else's file
    (tmp_path / "used.jsonl").write_text("keep me\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pactwatch.cli", "watch", "-c", acme, "--checkpoint", tmp_path / "new",
                           "--output", tmp_path / "used.jsonl"], input="", capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "output-exists" in proc.stderr
    assert (tmp_path / "used.jsonl").read_text(encoding="utf-8") == "keep me\n"


def test_follow_writes_findings_for_lines_appended_later_and_stops_on_sigterm(tmp_path, acme):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(_jsonl(_suspension(1, "s1")), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    p = subprocess.Popen([sys.executable, "-m", "pactwatch.cli", "watch", feed, "-c", acme, "--follow",
                          "--checkpoint", tmp_path / "ck", "--output", out], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env={"PATH": "/usr/bin:/bin", **SANITIZER})
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "ck" / "checkpoint.sqlite").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        with feed.open("a", encoding="utf-8") as handle:
            handle.write(_jsonl(event(2, "probe", id="p2", service="www.kunde.de", incident="INC-1", data={"up": False, "check": "https"})))
        while not (out.exists() and out.stat().st_size) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [d["violation"]["rule"] for d in _lines(out)] == ["suspension-without-notice"]
    finally:
        p.send_signal(signal.SIGTERM)
        _, stderr = p.communicate(timeout=60)
    assert p.returncode == 0, stderr
    assert "2 lines read" in stderr


def test_follow_reads_on_in_the_new_file_after_a_rotation_and_a_restart_starts_it_from_its_beginning(tmp_path, acme):
    """logrotate's rename-and-create: what was still appended to the old file is read, then the new
    file from its start; a watcher restarted after another rotation reads the file now under the name."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text(_jsonl(_suspension(1, "s1")), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "pactwatch.cli", "watch", feed, "-c", acme, "--follow", "--checkpoint", tmp_path / "ck",
           "--output", out]
    env = {"PATH": "/usr/bin:/bin", **SANITIZER}

    def wait_for(predicate) -> None:
        deadline = time.monotonic() + 60
        while not predicate() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert predicate()

    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        wait_for(lambda: (tmp_path / "ck" / "checkpoint.sqlite").exists())
        time.sleep(1)
        with feed.open("a", encoding="utf-8") as old:
            feed.rename(tmp_path / "feed.jsonl.1")
            old.write("not an event\n")  # still written to the old file after the rename
        feed.write_text("also not an event\n" + _jsonl(_suspension(30, "s2"),
                        event(31, "probe", id="p9", service="www.kunde.de", incident="INC-1",
                              data={"up": False, "check": "https"})), encoding="utf-8")
        wait_for(lambda: out.exists() and len(_lines(out)) >= 4)
    finally:
        p.send_signal(signal.SIGTERM)
        _, stderr = p.communicate(timeout=60)
    assert p.returncode == 0, stderr
    lines = _lines(out)
    assert [(d["kind"], d.get("line")) for d in lines if d["kind"] == "rejected"] == [("rejected", 2), ("rejected", 1)]
    assert len({d["id"] for d in lines}) == len(lines)  # line 1 of the new file is not line 1 of the old one
    found = [d["violation"] for d in lines if d["kind"] == "violation" and d["violation"]["rule"] == "suspension-without-notice"]
    assert [v["evidence"][0]["event"] for v in found] == ["s1", "s2"]
    # rotated again while no watcher ran: the new file is read from its start
    feed.rename(tmp_path / "feed.jsonl.2")
    feed.write_text("third file\n", encoding="utf-8")
    done = subprocess.run([c for c in cmd if c != "--follow"], cwd=ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "another file under this name" in done.stderr
    assert [d["line"] for d in _lines(out)[len(lines):]] == [1]


def test_a_checkpoint_or_output_that_cannot_be_used_is_a_clear_input_error(tmp_path, acme):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    proc = pw("watch", "-c", acme, "--checkpoint", blocker / "ck", stdin="")
    assert proc.returncode == 2 and "checkpoint-unusable" in proc.stderr and "Traceback" not in proc.stderr
    proc = pw("watch", "-c", acme, "--checkpoint", tmp_path / "ck", "--output", blocker / "out.jsonl", stdin="")
    assert proc.returncode == 2 and "output-not-writable" in proc.stderr
    proc = pw("watch", "-c", acme, "--checkpoint", tmp_path / "ck2", "--output", "/dev/full",
              stdin=_jsonl(_suspension(1, "s1"), event(2, "probe", id="p2", service="www.kunde.de", incident="INC-1",
                                                       data={"up": False, "check": "https"})))
    assert proc.returncode == 2 and "output-not-writable" in proc.stderr and "Traceback" not in proc.stderr


def test_the_service_level_stage_judged_in_slices_writes_the_same_lines(tmp_path, monkeypatch):
    """At the end of the input the watcher judges availability per service and month like check: in
    slices of services, each in a session of its own. One service a slice writes the bytes that one
    session for all of them writes (findings handed out, outcomes, the credit rule decided once)."""
    import typer

    import pactwatch.evaluation.service_level as service_level
    from pactwatch.cli.watch import watch

    terms = tmp_path / "contract.yaml"
    terms.write_text("id: C-1\nvendor: acme\ncustomer: Kunde GmbH\ncurrency: EUR\nmonthly_fee: 100\n"
                     "timezone: Europe/Berlin\nclauses:\n  - {id: '3', title: SLA, covers: [availability], "
                     "params: {target_percent: 99.9}}\n  - {id: '5', title: Credit, covers: [compensation]}\n",
                     encoding="utf-8")
    raws = []
    for i in range(5):
        hours = 24 * 30 * (i % 2) + i  # March and April
        raws += [event(hours, "service.suspended", id=f"s{i}", incident=f"INC-{i}", service=f"www.k{i}.de",
                       data={"reason": "load"}),
                 event(hours + 20, "service.restored", id=f"r{i}", incident=f"INC-{i}", service=f"www.k{i}.de")]
    events = tmp_path / "events.jsonl"
    events.write_text(_jsonl(*sorted(raws, key=lambda r: r["at"]), event(24 * 80, "clock")), encoding="utf-8")
    outputs = []
    for size in (1, 10**9):
        monkeypatch.setattr(service_level, "SLICE_SERVICES", size)
        out = tmp_path / f"out-{size}.jsonl"
        with pytest.raises(typer.Exit) as done:
            watch(contract=terms, checkpoint=tmp_path / f"ck-{size}", events=[str(events)], output=out, close_at_end=True)
        assert done.value.exit_code == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    found = [d["violation"] for d in _lines(out) if d["kind"] == "violation"]
    assert [v["services"] for v in found if v["rule"] == "availability-breach"] == \
        [["www.k0.de", "www.k2.de", "www.k4.de"], ["www.k1.de", "www.k3.de"]]
    assert [v["rule"] for v in found].count("no-compensation") == 1


def test_many_lines_are_written_in_pieces_with_the_length_of_them_all(tmp_path):
    from pactwatch.watch.watcher import Output

    lines = [json.dumps({"n": i, "text": "ä" * (i % 7)}) for i in range(2_503)]
    out = Output(tmp_path / "out.jsonl", 0, fresh=True)
    length = out.write(lines)
    out.close()
    data = (tmp_path / "out.jsonl").read_bytes()
    assert data == "".join(line + "\n" for line in lines).encode("utf-8") and length == len(data)
