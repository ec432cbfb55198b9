"""Contract carve-outs from the CLI: an exempted finding is listed with its clause, counted apart, and exits 0."""

import csv
import io
import json

from conftest import pw

CONTRACT = """\
id: C-NULLROUTE
vendor: acme
customer: Kunde GmbH
currency: EUR
monthly_fee: 100
timezone: Europe/Berlin
clauses:
  - id: "§5.1"
    title: Notice before suspension
    covers: [suspension_notice]
    params: {notice_hours: 24}
  - id: "§5.4"
    title: "Null-routing <during> attacks"
    covers: [suspension_notice]
    params: {exempt_reasons: [attack]}
"""

EVENTS = [
    {"at": "2026-03-02T08:00:00+01:00", "type": "service.suspended", "vendor": "acme", "actor": "vendor",
     "service": "www.a.de", "data": {"reason": "Volumetric DDoS against your IP; null-routed upstream"}},
    {"at": "2026-03-02T08:10:00+01:00", "type": "message.sent", "vendor": "acme", "actor": "vendor",
     "text": "We apologise for the interruption; the attack has been mitigated.", "data": {"kind": "update"}},
    {"at": "2026-03-02T08:40:00+01:00", "type": "service.restored", "vendor": "acme", "actor": "vendor", "service": "www.a.de"},
    {"at": "2026-03-02T09:00:00+01:00", "type": "incident.closed", "vendor": "acme"},
]


def _case(tmp_path):
    (tmp_path / "contract.yaml").write_text(CONTRACT, encoding="utf-8")
    (tmp_path / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in EVENTS), encoding="utf-8")
    return tmp_path / "events.jsonl", tmp_path / "contract.yaml"


def test_exempted_finding_in_every_format_and_exit_0(tmp_path):
    events, contract = _case(tmp_path)
    run = pw("check", events, "-c", contract, "-f", "json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    (v,) = [v for v in report["violations"] if v["rule"] == "suspension-without-notice"]
    assert v["exempted"] == {"clause": "§5.4", "title": "Null-routing <during> attacks", "param": "exempt_reasons", "value": "attack"}
    assert report["counts"]["exempted"] == 1
    text = pw("check", events, "-c", contract).stdout
    assert "exempted by §5.4 (exempt_reasons: attack)" in text
    md = pw("check", events, "-c", contract, "-f", "md").stdout
    assert "(exempted)" in md and "Allowed by a carve-out of the contract: §5.4" in md
    html = pw("check", events, "-c", contract, "-f", "html").stdout
    assert "Null-routing &lt;during&gt; attacks" in html and "<during>" not in html
    rows = list(csv.DictReader(io.StringIO(pw("check", events, "-c", contract, "-f", "csv").stdout)))
    assert [r["exempted"] for r in rows if r["rule"] == "suspension-without-notice"] == ["§5.4 exempt_reasons=attack"]
    junit = pw("check", events, "-c", contract, "-f", "junit").stdout
    assert 'failures="0"' in junit
