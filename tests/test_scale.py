"""Many cases in one run: past durable_rules' 1024-session limit, with exact counts."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from pactwatch import Evaluator
from pactwatch.ingest import IngestSummary
from pactwatch.models.events import Event

from conftest import contract


def _case(i: int, start: datetime) -> list[Event]:
    vendor, inc = "acme", f"INC-{i:05d}"
    t = start + timedelta(minutes=i)
    evs = []
    if i % 2:  # odd cases get a timely notice
        evs.append(Event(id=f"{inc}-n", at=t - timedelta(hours=30), type="notice.sent", vendor=vendor, incident=inc,
                         service=f"s{i}.de", actor="vendor", data={"kind": "warning"}))
    evs += [
        Event(id=f"{inc}-s", at=t, type="service.suspended", vendor=vendor, incident=inc, service=f"s{i}.de", actor="vendor"),
        Event(id=f"{inc}-a", at=t + timedelta(minutes=5), type="message.sent", vendor=vendor, incident=inc, actor="vendor",
              text="We apologise for the interruption."),
        Event(id=f"{inc}-x", at=t + timedelta(hours=1), type="incident.closed", vendor=vendor, incident=inc),
    ]
    return evs


def test_three_thousand_cases_open_at_once_and_closed_in_turn(library):
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    # 1500 cases overlap (each stays open 1 h, one starts per minute, notices 30 h ahead),
    # then the rest reuse the sessions of closed cases.
    events = [e for i in range(3000) for e in _case(i, start)]
    report = Evaluator(library, contract()).run_events(events, IngestSummary())
    fired = [v.rule for v in report.violations]
    assert fired.count("suspension-without-notice") == 1500
    assert fired.count("no-apology") == 0  # every case apologised
    assert report.input.events_accepted == len(events)


def test_a_closed_session_holds_no_facts_in_durable_rules(library):
    """Sessions are recycled: whatever a case asserted must be gone from the C engine when it closes."""
    from pactwatch.contracts import effective_params
    from pactwatch.evaluation.sessions import SessionPool
    from pactwatch.rules.compiler import compile_rules

    compiled = compile_rules(list(library.rules), effective_params(contract(), library.concepts))
    pool = SessionPool(compiled.definition, lambda *args: None)
    try:
        session = pool.open()
        base = {"pw": "ev", "vendor": "acme", "service": "a.de", "actor": "vendor"}
        stored = [session.assert_fact(dict(base, id=f"f{i}", ref=f"f{i}", ev=f"f{i}", at=float(i), type=kind))
                  for i, kind in enumerate(["service.suspended", "notice.sent", "status.claimed", "service.suspended"])]
        assert any(stored)
        host, ruleset = session._host, session._ruleset
        assert host.get_facts(ruleset, session.sid)  # something was stored ...
        session.close()
        assert host.get_facts(ruleset, session.sid) == []  # ... and nothing is left
        assert pool.open() is session  # the empty session is handed out again
    finally:
        pool.shutdown()


def _stream(tmp_path, events: int):
    import subprocess
    import sys

    from conftest import ROOT

    path = tmp_path / "stream.jsonl"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(events), str(path)], check=True)
    return path


def test_a_run_past_max_memory_stops_with_exit_2_and_the_open_cases(tmp_path):
    from conftest import EXAMPLES, pw

    run = pw("check", _stream(tmp_path, 2000), "-c", EXAMPLES / "hosting-2026" / "contract.yaml",
             "--allow-vendor-mismatch", "--max-memory", "64M")
    assert run.returncode == 2 and "memory-limit" in run.stderr and "cases open after" in run.stderr, run.stderr
    assert pw("check", "x.jsonl", "--max-memory", "lots").returncode == 2


@pytest.mark.slow
def test_an_address_space_limit_ends_in_a_message_not_a_segfault(tmp_path):
    """ulimit -v makes malloc fail inside durable_rules' C++ (SIGSEGV); the guard stops before."""
    import resource
    import subprocess
    import sys

    from conftest import EXAMPLES, ROOT

    stream = _stream(tmp_path, 100_000)
    limit = 900 * 2**20

    def check(workers: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pactwatch.cli", "check", str(stream), "-c",
                               str(EXAMPLES / "hosting-2026" / "contract.yaml"), "--allow-vendor-mismatch", "-f", "json",
                               "--workers", workers], capture_output=True, text=True, cwd=ROOT,
                              preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)))

    run = check("0")  # one process, every case interleaved: hundreds open at once
    assert run.returncode == 2, (run.returncode, run.stderr[-2000:])
    assert "ulimit -v" in run.stderr and "cases open after" in run.stderr
    # workers hold one case at a time: the same stream fits in the same limit
    run = check("2")
    assert run.returncode == 1, (run.returncode, run.stderr[-2000:])
    assert json.loads(run.stdout)["input"]["events_accepted"] == 100_000


def test_an_evaluator_run_again_and_again_gives_the_same_report_and_does_not_grow(library):
    """A procurement tool embeds one evaluator and runs it per request: no drift, no leak."""
    import pytest

    from conftest import EXAMPLES
    from pactwatch.contracts import load_contract
    from pactwatch.errors import PactwatchError
    from pactwatch.ingest.stream import stream_events

    terms = load_contract(EXAMPLES / "hosting-2026" / "contract.yaml", library.concepts, [r.id for r in library.rules])
    evaluator = Evaluator(library, terms)

    def run():
        summary = IngestSummary()
        stream = stream_events([EXAMPLES / "hosting-2026" / "events.jsonl"], summary, local_tz=terms.timezone)
        return evaluator.run(stream, summary).model_dump_json()

    def resident_mib():
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * 4096 / 2**20

    first = run()
    events = [e for _, _, e in stream_events([EXAMPLES / "hosting-2026" / "events.jsonl"], IngestSummary())]
    with pytest.raises(PactwatchError):  # a run that fails half-way (out of order) must not poison the next
        evaluator.run([(e.at.timestamp(), e.id, e) for e in reversed(events)], IngestSummary())
    for _ in range(10):
        assert run() == first
    before = resident_mib()
    for _ in range(100):
        run()
    assert resident_mib() - before < 40  # was about 1.1 MB per run: durable_rules keeps what sessions held
