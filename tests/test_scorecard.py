"""Scorecard figures against hand-computed expectations on a small fixture."""

import json
import subprocess
import sys

from conftest import EXAMPLES, ROOT
from test_cli import pw

CONTRACT = """\
id: {id}
vendor: {vendor}
customer: C
currency: EUR
monthly_fee: 100
timezone: UTC
clauses:
  - {{id: "1", title: Availability, covers: [availability], params: {{target_percent: 99.0}}}}
  - id: "2"
    title: Credits
    covers: [service_credits]
    params: {{tiers: [{{below_percent: 99.0, credit_percent: 10}}, {{below_percent: 90.0, credit_percent: 50}}]}}
  - {{id: "3", title: Replies, covers: [complaint_handling], params: {{response_hours: 1000}}}}
  - {{id: "4", title: Apology, covers: [apology], params: {{within_hours: 12}}}}
  - {{id: "5", title: Restoration, covers: [restoration_time], params: {{max_hours: 1000}}}}
"""


def _e(i, vendor, inc, at, type_, **kw):
    return json.dumps({"id": f"{vendor}-{i}", "at": at, "type": type_, "vendor": vendor, "incident": inc, **kw})


def _fixture(tmp_path):
    (tmp_path / "contracts").mkdir()
    for n, v in enumerate(["alpha", "beta"]):
        (tmp_path / "contracts" / f"{v}.yaml").write_text(CONTRACT.format(id=f"K{n}", vendor=v), encoding="utf-8")
    lines = [
        # alpha, case A1 (June, 30 days = 720 h): down 10 h (98.61 %), complaint answered after 2 h with an apology
        _e(1, "alpha", "A1", "2026-06-01T00:00:00Z", "probe", service="s", data={"check": "http", "up": False}),
        _e(2, "alpha", "A1", "2026-06-01T01:00:00Z", "message.sent", actor="customer", text="down", data={"kind": "complaint"}),
        _e(3, "alpha", "A1", "2026-06-01T03:00:00Z", "message.sent", actor="vendor", text="We apologise.", data={"kind": "reply"}),
        _e(4, "alpha", "A1", "2026-06-01T10:00:00Z", "probe", service="s", data={"check": "http", "up": True}),
        _e(5, "alpha", "A1", "2026-06-02T00:00:00Z", "incident.closed"),
        # alpha, case A2: down 2 h (99.72 %), complaint answered after 6 h without apology
        _e(6, "alpha", "A2", "2026-06-10T00:00:00Z", "probe", service="t", data={"check": "http", "up": False}),
        _e(7, "alpha", "A2", "2026-06-10T00:30:00Z", "message.sent", actor="customer", text="down", data={"kind": "complaint"}),
        _e(8, "alpha", "A2", "2026-06-10T02:00:00Z", "probe", service="t", data={"check": "http", "up": True}),
        _e(9, "alpha", "A2", "2026-06-10T06:30:00Z", "message.sent", actor="vendor", text="Noted.", data={"kind": "reply"}),
        _e(10, "alpha", "A2", "2026-06-11T00:00:00Z", "incident.closed"),
        # beta, one case, no outage, no complaint
        _e(1, "beta", "B1", "2026-06-05T00:00:00Z", "message.sent", actor="vendor", text="Maintenance tonight.", data={"kind": "notice"}),
        _e(2, "beta", "B1", "2026-06-06T00:00:00Z", "incident.closed"),
    ]
    events = tmp_path / "events.jsonl"
    events.write_text("\n".join(sorted(lines, key=lambda l: json.loads(l)["at"])) + "\n", encoding="utf-8")
    return events, tmp_path / "contracts"


def test_figures_match_hand_computation(tmp_path):
    events, contracts = _fixture(tmp_path)
    run = pw("scorecard", events, "--contracts", contracts, "-f", "json")
    assert run.returncode == 0, run.stderr
    alpha, beta = json.loads(run.stdout)["vendors"]
    assert (alpha["vendor"], beta["vendor"]) == ("alpha", "beta")
    assert alpha["cases"] == 2 and beta["cases"] == 1
    # responses: 2 h and 6 h → median 4, p90 (nearest rank, ceil(0.9*2)=2nd) 6
    assert (alpha["response_hours_median"], alpha["response_hours_p90"]) == (4.0, 6.0)
    # outages: 10 h and 2 h → median 6, p90 10
    assert (alpha["restoration_hours_median"], alpha["restoration_hours_p90"]) == (6.0, 10.0)
    # apology in one of two impacted cases
    assert alpha["apology_share"] == 0.5
    # A1 below 99 % → 10 % of 100 EUR; A2 above target
    assert alpha["credits_owed"] == "10.00" and alpha["by_rule"]["availability-breach"] == 1
    # shortfall: (99 - 98.611) and 0 over two service-months → 0.1945 (rounded 4)
    assert abs(alpha["availability_shortfall"] - (99 - 98.611) / 2) < 1e-3
    # findings: availability-breach (high 5) + no-apology in A2 (medium 2) → 7 per 2 cases = 3.5
    assert alpha["by_severity"] == {"critical": 0, "high": 1, "medium": 1, "low": 0}
    expected = 100 - (3.5 + 5 * alpha["availability_shortfall"] + 5 * 4 / 24 + 5 * 6 / 24 + 10 * 0.5)
    assert alpha["score"] == round(expected, 1)
    assert beta["findings"] == 0 and beta["score"] == 100.0 and beta["apology_share"] is None
    assert [m["month"] for m in alpha["months"]] == ["2026-06"] and alpha["months"][0]["cases"] == 2


def test_formats_and_missing_contract(tmp_path):
    events, contracts = _fixture(tmp_path)
    html = pw("scorecard", events, "--contracts", contracts, "-f", "html").stdout
    assert "<svg" in html and "alpha" in html and "<script" not in html
    csv = pw("scorecard", events, "--contracts", contracts, "-f", "csv").stdout.splitlines()
    assert csv[0].startswith("vendor,contract,score") and len(csv) == 3
    (contracts / "beta.yaml").unlink()
    run = pw("scorecard", events, "--contracts", contracts)
    assert run.returncode == 2 and "no contract for vendor(s) beta" in run.stderr


def test_multi_vendor_example_is_reproducible_and_ranks_vendors(tmp_path):
    before = (EXAMPLES / "multi-vendor" / "events.jsonl").read_bytes()
    subprocess.run([sys.executable, str(EXAMPLES / "multi-vendor" / "generate.py")], check=True, cwd=ROOT)
    assert (EXAMPLES / "multi-vendor" / "events.jsonl").read_bytes() == before
    card = json.loads(pw("scorecard", EXAMPLES / "multi-vendor" / "events.jsonl", "--contracts",
                         EXAMPLES / "multi-vendor" / "contracts", "-f", "json").stdout)
    scores = {v["vendor"]: v["score"] for v in card["vendors"]}
    assert scores["cloudhaus"] > scores["webhost-nord"] and scores["cloudhaus"] > scores["mailwerk"]
    assert all(len(v["months"]) == 12 for v in card["vendors"])


def test_as_of_decides_deadlines_and_ignores_later_events(tmp_path):
    events, contracts = _fixture(tmp_path)
    # As of 10 June 00:30 UTC, case A2 has just begun: its outage and complaint are open, its reply not yet known.
    run = pw("scorecard", events, "--contracts", contracts, "-f", "json", "--as-of", "2026-06-10T00:45:00Z")
    assert run.returncode == 0, run.stderr
    card = json.loads(run.stdout)
    alpha = card["vendors"][0]
    assert card["as_of"] == "2026-06-10T00:45:00Z"
    assert alpha["pending"] >= 1 and "no-apology" not in alpha["by_rule"]
    full = json.loads(pw("scorecard", events, "--contracts", contracts, "-f", "json").stdout)
    assert full["as_of"] is None and full["vendors"][0]["by_rule"].get("no-apology") == 1
    md = pw("scorecard", events, "--contracts", contracts, "-f", "md", "--as-of", "2026-06-10T00:45:00Z").stdout
    assert "As of 2026-06-10T00:45:00Z" in md and "Open obligations" in md
    bad = pw("scorecard", events, "--contracts", contracts, "--as-of", "someday")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
