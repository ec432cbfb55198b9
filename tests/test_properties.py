"""Properties that hold for every case, checked on generated ones (hypothesis).

- the order of the input and how it is split into files change nothing;
- an event delivered twice changes nothing;
- an apology never adds a ``no-apology`` finding (against a message that says nothing);
- a passing probe never adds downtime (within the time the case covers).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import clause, contract
from pactwatch import Evaluator, load_rules
from pactwatch.ingest import IngestSummary
from pactwatch.ingest.stream import stream_events

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone(timedelta(hours=1)))
SERVICES = ("www.a.de", "mail.a.de")
TERMS = contract(clause("§1", "suspension_notice", notice_hours=24), clause("§2", "apology", within_hours=24),
                 clause("§3", "resolution_claims"), clause("§4", "availability", target_percent=99.9))
_EVALUATOR: list[Evaluator] = []


def evaluator() -> Evaluator:
    """One evaluator for every example (compiling the rules takes about a second)."""
    if not _EVALUATOR:
        _EVALUATOR.append(Evaluator(load_rules(), TERMS))
    return _EVALUATOR[0]


VENDOR_TEXTS = ("Wir prüfen das.", "Leider kam es zu einer Störung.", "Der Server ist wieder erreichbar.",
                "We are investigating the issue.", "All services have been restored.", "Unfortunately the host failed.")


@st.composite
def events(draw: Any) -> list[dict[str, Any]]:
    """A small case: complaints, replies, suspensions, notices, probes, claims, at whole hours (so times tie)."""
    out = []
    for i in range(draw(st.integers(1, 14))):
        hour = draw(st.integers(0, 60))
        service = draw(st.sampled_from(SERVICES))
        kind = draw(st.sampled_from(["complaint", "reply", "suspended", "notice", "probe", "restored", "claim"]))
        base: dict[str, Any] = {"id": f"e{i}", "at": (T0 + timedelta(hours=hour)).isoformat(), "vendor": "acme"}
        if kind == "complaint":
            base.update(type="message.sent", actor="customer", text="Die Seite ist down!", data={"kind": "complaint"})
        elif kind == "reply":
            base.update(type="message.sent", actor="vendor", text=draw(st.sampled_from(VENDOR_TEXTS)), data={"kind": "reply"})
        elif kind == "suspended":
            base.update(type="service.suspended", actor="vendor", service=service)
        elif kind == "notice":
            base.update(type="notice.sent", actor="vendor", service=service, data={"kind": "warning"})
        elif kind == "probe":
            base.update(type="probe", actor="monitor", service=service, data={"check": "https", "up": draw(st.booleans())})
        elif kind == "restored":
            base.update(type="service.restored", actor="vendor", service=service)
        else:
            base.update(type="status.claimed", actor="vendor", text="Resolved.", data={"status": "resolved", "services": [service]})
        out.append(base)
    return out


def report(tmp_path: Any, *files: list[dict[str, Any]]) -> dict[str, Any]:
    paths = []
    for k, records in enumerate(files):
        path = tmp_path / f"part-{k}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        paths.append(path)
    summary = IngestSummary()
    result = evaluator().run(stream_events(paths, summary), summary).model_dump(mode="json")
    result["input"] = {k: v for k, v in result["input"].items() if k not in ("files",)}
    return result


def downtime(result: dict[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for month in result["availability"]:
        out[month["service"]] = out.get(month["service"], 0.0) + month["downtime_hours"]
    return out


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(case=events(), data=st.data())
def test_order_and_file_splits_change_nothing(tmp_path, case, data):
    shuffled = data.draw(st.permutations(case))
    cut = data.draw(st.integers(0, len(case)))
    assert report(tmp_path, case) == report(tmp_path, shuffled[:cut], shuffled[cut:])


@FAST
@given(case=events(), data=st.data())
def test_an_event_delivered_twice_changes_nothing(tmp_path, case, data):
    again = data.draw(st.lists(st.sampled_from(case), min_size=1, max_size=3))
    once, twice = report(tmp_path, case), report(tmp_path, case + again)
    assert twice["input"]["duplicates"] == len(again)
    for key in ("violations", "pending", "outcomes", "availability", "counts"):
        assert twice[key] == once[key]


@FAST
@given(case=events(), hour=st.integers(0, 60), text=st.sampled_from(
    ["Wir entschuldigen uns für den Ausfall.", "We apologise for the outage.", "Sorry for the trouble, our mistake."]))
def test_an_apology_never_adds_a_no_apology_finding(tmp_path, case, hour, text):
    # compared with a message that says nothing, sent at the same time (any later event moves time on)
    neutral = {"id": "reply", "at": (T0 + timedelta(hours=hour)).isoformat(), "vendor": "acme", "type": "message.sent",
               "actor": "vendor", "text": "Wir prüfen das.", "data": {"kind": "reply"}}
    apology = {**neutral, "text": text}
    before = [v for v in report(tmp_path, [*case, neutral])["violations"] if v["rule"] == "no-apology"]
    after = [v for v in report(tmp_path, [*case, apology])["violations"] if v["rule"] == "no-apology"]
    assert len(after) <= len(before)


@FAST
@given(case=events(), hour=st.integers(0, 60), service=st.sampled_from(SERVICES))
def test_a_passing_probe_never_adds_downtime(tmp_path, case, hour, service):
    # within the time the case already covers: a later event of any kind extends what is observed
    last = max(datetime.fromisoformat(e["at"]) for e in case)
    at = min(T0 + timedelta(hours=hour), last)
    probe = {"id": "passing", "at": at.isoformat(), "vendor": "acme", "type": "probe",
             "actor": "monitor", "service": service, "data": {"check": "https", "up": True}}
    before, after = downtime(report(tmp_path, case)), downtime(report(tmp_path, [*case, probe]))
    for svc, hours in after.items():
        assert hours <= before.get(svc, 0.0) + 1e-9, (svc, before, after)
